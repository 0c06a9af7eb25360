/// Recognises generic integration names and titles ("My Test App", "test", "demo2",
/// "Untitled Project"), which the console's documentation discourages: integrations are
/// shared across the organization, so a name should say what the integration is for.
///
/// A value is generic when, lower-cased with everything but letters removed, it is made up
/// entirely of the words below: `MyTestApp` → `mytestapp` → my·test·app → generic;
/// `stocksearchweb` → not.
enum GenericNameLint {
    static let words: Set<String> = [
        "my", "new", "our", "the", "a", "test", "testing", "tests", "demo", "sample", "samples", "untitled",
        "example", "examples", "temp", "tmp", "foo", "bar", "baz", "qux", "app", "apps", "application", "project",
        "integration", "hello", "world", "sandbox", "default", "trial", "dummy", "playground", "poc", "try",
        "first", "simple", "quickstart", "starter", "hack", "scratch", "copy", "of", "api", "key", "client",
    ]

    /// The words as bytes, by their first letter, so a check allocates no strings.
    private static let wordsByFirstLetter: [UInt8: [[UInt8]]] = Dictionary(grouping: words.map { Array($0.utf8) }, by: { $0[0] })

    /// Whether `value` consists of generic words only (and at least one letter or digit).
    static func isGeneric(_ value: String) -> Bool {
        let count = value.utf8.count
        // Names and titles are short; the buffers live on the stack.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { letters in
            withUnsafeTemporaryAllocation(of: Bool.self, capacity: count + 1) { reachable in
                isGeneric(value, letters: letters, reachable: reachable)
            }
        }
    }

    private static func isGeneric(
        _ value: String, letters: UnsafeMutableBufferPointer<UInt8>, reachable: UnsafeMutableBufferPointer<Bool>
    ) -> Bool {
        var length = 0
        var hasAlphanumeric = false
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): letters[length] = byte; length += 1; hasAlphanumeric = true
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): letters[length] = byte + 0x20; length += 1; hasAlphanumeric = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"): hasAlphanumeric = true
            default: break
            }
        }
        guard hasAlphanumeric else { return false }
        if length == 0 { return true }
        // reachable[i]: letters[0..<i] splits into generic words.
        reachable[0] = true
        for i in 1...length { reachable[i] = false }
        for start in 0..<length where reachable[start] {
            for word in wordsByFirstLetter[letters[start]] ?? [] where start + word.count <= length {
                if letters[start..<(start + word.count)].elementsEqual(word) { reachable[start + word.count] = true }
            }
        }
        return reachable[length]
    }
}
