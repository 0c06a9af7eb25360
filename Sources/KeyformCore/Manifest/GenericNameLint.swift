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
        var letters: [UInt8] = []
        var hasAlphanumeric = false
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): letters.append(byte); hasAlphanumeric = true
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): letters.append(byte + 0x20); hasAlphanumeric = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"): hasAlphanumeric = true
            default: break
            }
        }
        guard hasAlphanumeric else { return false }
        if letters.isEmpty { return true }
        // reachable[i]: letters[0..<i] splits into generic words.
        var reachable = [Bool](repeating: false, count: letters.count + 1)
        reachable[0] = true
        for start in 0..<letters.count where reachable[start] {
            for word in wordsByFirstLetter[letters[start]] ?? [] where start + word.count <= letters.count {
                if letters[start..<(start + word.count)].elementsEqual(word) { reachable[start + word.count] = true }
            }
        }
        return reachable[letters.count]
    }
}
