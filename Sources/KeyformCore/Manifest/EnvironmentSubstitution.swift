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
        var utf8 = Array(string.utf8)
        guard utf8.contains(UInt8(ascii: "$")) else { return Result(substituted: nil, problems: []) }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var problems: [Problem] = []
        var changed = false
        var i = 0
        let dollar = UInt8(ascii: "$"), open = UInt8(ascii: "{"), close = UInt8(ascii: "}")
        let prefix = Array("${env:".utf8)
        while i < utf8.count {
            let byte = utf8[i]
            guard byte == dollar else { out.append(byte); i += 1; continue }
            if i + 2 < utf8.count, utf8[i + 1] == dollar, utf8[i + 2] == open {
                out.append(dollar); out.append(open)
                i += 3
                changed = true
                continue
            }
            guard utf8[i...].starts(with: prefix) else { out.append(byte); i += 1; continue }
            let nameStart = i + prefix.count
            guard let end = utf8[nameStart...].firstIndex(of: close) else {
                let reference = String(decoding: utf8[i...], as: UTF8.self)
                problems.append(Problem(kind: .unterminated(reference: reference), range: i..<utf8.count))
                out.append(contentsOf: utf8[i...])
                break
            }
            let name = String(decoding: utf8[nameStart..<end], as: UTF8.self)
            let range = i..<(end + 1)
            if name.isEmpty {
                problems.append(Problem(kind: .emptyName, range: range))
                out.append(contentsOf: utf8[range])
            } else if !isVariableName(name) {
                problems.append(Problem(kind: .invalidName(name: name), range: range))
                out.append(contentsOf: utf8[range])
            } else if let value = environment[name] {
                out.append(contentsOf: value.utf8)
                changed = true
            } else {
                problems.append(Problem(kind: .undefined(name: name), range: range))
                out.append(contentsOf: utf8[range])
            }
            i = end + 1
        }
        utf8 = out
        return Result(substituted: changed ? String(decoding: utf8, as: UTF8.self) : nil, problems: problems)
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
