/// `${env:NAME}` in manifest strings: replaced by the environment variable's value.
///
/// `"https://${env:HOOKS_HOST}/adobe"` with `HOOKS_HOST=hooks.example.com` becomes
/// `"https://hooks.example.com/adobe"`. `$${` is an escape for a literal `${`
/// (`"$${env:X}"` stays `"${env:X}"`). A `${` not followed by `env:` is left as written.
/// An undefined variable, a reference with no closing `}`, and a name that is not letters,
/// digits and underscores (not starting with a digit) are problems, each with its byte range
/// in the string so the diagnostic can point at it.
enum EnvironmentSubstitution {
    struct Problem: Hashable {
        enum Kind: Hashable {
            case undefined(name: String)
            case unterminated(reference: String)
            case emptyName
            case invalidName(name: String)
        }

        var kind: Kind
        /// Byte range of the reference within the string's UTF-8.
        var range: Range<Int>
    }

    struct Result {
        /// The string after substitution; `nil` when nothing changed.
        var substituted: String?
        var problems: [Problem]
    }

    /// Substitutes every reference in `string`; undefined ones are left as written.
    static func substitute(_ string: String, environment: [String: String]) -> Result {
        guard string.utf8.contains(UInt8(ascii: "$")) else { return Result(substituted: nil, problems: []) }
        var string = string
        let (bytes, problems) = string.withUTF8 { substitute(utf8: $0, environment: environment) }
        return Result(substituted: bytes.map { String(decoding: $0, as: UTF8.self) }, problems: problems)
    }

    /// `substitute` on UTF-8 bytes (a plain JSON string's content, read in place): the bytes
    /// after substitution (`nil` when nothing changed) and the problems.
    static func substitute(
        utf8: UnsafeBufferPointer<UInt8>, environment: [String: String]
    ) -> (substituted: [UInt8]?, problems: [Problem]) {
        let dollar = UInt8(ascii: "$"), open = UInt8(ascii: "{"), close = UInt8(ascii: "}")
        let count = utf8.count
        var out: [UInt8] = []
        var problems: [Problem] = []
        var changed = false
        // Bytes before `copied` are in `out`; the rest are copied in runs, up to each `$`.
        var copied = 0
        var i = 0
        func copy(upTo end: Int) {
            if end > copied { out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[copied..<end])) }
            copied = end
        }
        while i < count {
            guard utf8[i] == dollar else { i += 1; continue }
            if out.capacity == 0 { out.reserveCapacity(count + 16) }
            if i + 2 < count, utf8[i + 1] == dollar, utf8[i + 2] == open {
                copy(upTo: i)
                out.append(dollar)
                out.append(open)
                i += 3
                copied = i
                changed = true
                continue
            }
            guard hasEnvPrefix(utf8, at: i) else { i += 1; continue }
            let nameStart = i + 6
            var end = nameStart
            while end < count, utf8[end] != close { end += 1 }
            guard end < count else {
                let reference = String(decoding: UnsafeBufferPointer(rebasing: utf8[i...]), as: UTF8.self)
                problems.append(Problem(kind: .unterminated(reference: reference), range: i..<count))
                break
            }
            let name = String(decoding: UnsafeBufferPointer(rebasing: utf8[nameStart..<end]), as: UTF8.self)
            let range = i..<(end + 1)
            if name.isEmpty {
                problems.append(Problem(kind: .emptyName, range: range))
            } else if !isVariableName(name) {
                problems.append(Problem(kind: .invalidName(name: name), range: range))
            } else if let value = environment[name] {
                copy(upTo: i)
                out.append(contentsOf: value.utf8)
                copied = end + 1
                changed = true
            } else {
                problems.append(Problem(kind: .undefined(name: name), range: range))
            }
            i = end + 1
        }
        guard changed else { return (nil, problems) }
        copy(upTo: count)
        return (out, problems)
    }

    /// Whether `${env:` starts at `i`.
    private static func hasEnvPrefix(_ utf8: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        i + 6 <= utf8.count && utf8[i + 1] == UInt8(ascii: "{") && utf8[i + 2] == UInt8(ascii: "e")
            && utf8[i + 3] == UInt8(ascii: "n") && utf8[i + 4] == UInt8(ascii: "v") && utf8[i + 5] == UInt8(ascii: ":")
    }

    /// Letters, digits and underscores, not starting with a digit (as POSIX shells accept).
    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        }
    }
}
