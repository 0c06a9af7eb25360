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

    /// The words' letters one after the other, sorted by first letter, so a check allocates
    /// nothing and follows no references: the words starting with `a` are
    /// `wordEnds[firstWord[0]..<firstWord[1]]`, each ending where the next starts.
    ///
    /// `openings` has a bit for each pair of letters a generic value can start with (`letter0 *
    /// 26 + letter1`): the first two letters of a word, or a one-letter word and the first
    /// letter of any word. Most names fail this first test.
    private static let table: (letters: [UInt8], wordStarts: [Int], firstWord: [Int], openings: [UInt64]) = {
        let sorted = words.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        var letters: [UInt8] = [], wordStarts: [Int] = [], firstWord = [Int](repeating: 0, count: 27)
        for word in sorted {
            wordStarts.append(letters.count)
            letters += word
        }
        wordStarts.append(letters.count)
        for letter in 0...26 {
            firstWord[letter] = sorted.firstIndex { Int($0[0]) - 0x61 >= letter } ?? sorted.count
        }
        var openings = [UInt64](repeating: 0, count: (26 * 26 + 63) / 64)
        func open(_ a: UInt8, _ b: UInt8) {
            let pair = Int(a - 0x61) * 26 + Int(b - 0x61)
            openings[pair >> 6] |= 1 << UInt64(pair & 63)
        }
        for word in sorted {
            if word.count >= 2 {
                open(word[0], word[1])
            } else {
                for next in sorted { open(word[0], next[0]) }
            }
        }
        return (letters, wordStarts, firstWord, openings)
    }()

    /// Whether a generic value can start with the two letters `pair` (`letter0 * 26 + letter1`).
    @inline(__always)
    private static func opens(_ pair: Int) -> Bool {
        openings[pair >> 6] & (1 << UInt64(pair & 63)) != 0
    }

    private static let openings = table.openings

    /// Whether `value` consists of generic words only (and at least one letter or digit).
    static func isGeneric(_ value: String) -> Bool {
        var value = value
        return value.withUTF8(isGeneric(utf8:))
    }

    /// `isGeneric` for the UTF-8 of a value.
    static func isGeneric(utf8 value: UnsafeBufferPointer<UInt8>) -> Bool {
        // Most names fail the test of their first two letters: it needs no buffer.
        var pair = 0, letters = 0, i = 0
        while letters < 2, i < value.count {
            let lower = value[i] | 0x20
            if value[i] & 0x80 == 0, lower >= UInt8(ascii: "a"), lower <= UInt8(ascii: "z") {
                pair = pair * 26 + Int(lower - 0x61)
                letters += 1
            }
            i += 1
        }
        if letters == 2, !Self.opens(pair) { return false }
        let count = value.count
        // Names and titles are short; the buffers live on the stack.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { letters in
            withUnsafeTemporaryAllocation(of: Bool.self, capacity: count + 1) { reachable in
                isGeneric(value, letters: letters, reachable: reachable)
            }
        }
    }

    private static func isGeneric(
        _ value: UnsafeBufferPointer<UInt8>, letters: UnsafeMutableBufferPointer<UInt8>, reachable: UnsafeMutableBufferPointer<Bool>
    ) -> Bool {
        var length = 0
        var hasAlphanumeric = false
        for byte in value {
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
        let table = Self.table
        return table.letters.withUnsafeBufferPointer { wordLetters in
            for start in 0..<length where reachable[start] {
                let letter = Int(letters[start]) - 0x61
                for word in table.firstWord[letter]..<table.firstWord[letter + 1] {
                    let wordStart = table.wordStarts[word], count = table.wordStarts[word + 1] - wordStart
                    guard start + count <= length else { continue }
                    var same = true
                    for i in 1..<count where wordLetters[wordStart + i] != letters[start + i] {
                        same = false
                        break
                    }
                    if same { reachable[start + count] = true }
                }
            }
            return reachable[length]
        }
    }
}
