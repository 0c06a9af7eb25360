/// A JSON Pointer (RFC 6901): a path of reference tokens from the root of a document.
///
/// `/integrations/0/name` names the `name` of the first integration; in the text form `~`
/// is written `~0` and `/` is written `~1` (so the key `a/b` is the token `a~1b`). The empty
/// pointer names the whole document.
public struct JSONPointer: Hashable, Sendable, CustomStringConvertible {
    public var tokens: [String]

    /// The empty pointer: the whole document.
    public static let root = JSONPointer(tokens: [])

    /// A pointer from unescaped reference tokens (`["a/b"]` is the text `/a~1b`).
    public init(tokens: [String]) {
        self.tokens = tokens
    }

    /// Parses the text form: empty, or `/` followed by tokens separated by `/`.
    /// - Throws: `JSONPointerError` when the text does not start with `/` or has a `~` not
    ///   followed by `0` or `1`.
    public init(parsing text: String) throws(JSONPointerError) {
        guard !text.isEmpty else {
            self.tokens = []
            return
        }
        guard text.hasPrefix("/") else { throw .missingLeadingSlash(text) }
        var tokens: [String] = []
        for raw in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            var token = ""
            var scalars = raw.unicodeScalars.makeIterator()
            while let scalar = scalars.next() {
                guard scalar == "~" else {
                    token.unicodeScalars.append(scalar)
                    continue
                }
                switch scalars.next() {
                case "0": token += "~"
                case "1": token += "/"
                default: throw .invalidEscape(text)
                }
            }
            tokens.append(token)
        }
        self.tokens = tokens
    }

    /// Parses a URI fragment such as `#/definitions/a%20b` (as used in `$ref`): the `#` is
    /// removed and percent-escapes are decoded before the pointer is parsed.
    public init(fragment: String) throws(JSONPointerError) {
        guard fragment.hasPrefix("#") else { throw .missingLeadingSlash(fragment) }
        var bytes: [UInt8] = []
        let utf8 = Array(fragment.utf8.dropFirst())
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "%") {
                guard i + 2 < utf8.count, StringUnescaper.hexValue(utf8[i + 1]) != 0xFF, StringUnescaper.hexValue(utf8[i + 2]) != 0xFF
                else { throw .invalidEscape(fragment) }
                bytes.append(StringUnescaper.hexValue(utf8[i + 1]) << 4 | StringUnescaper.hexValue(utf8[i + 2]))
                i += 3
            } else {
                bytes.append(utf8[i])
                i += 1
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalidEscape(fragment) }
        try self.init(parsing: text)
    }

    /// This pointer extended by a member name.
    public func appending(_ token: String) -> JSONPointer {
        JSONPointer(tokens: tokens + [token])
    }

    /// This pointer extended by an array index.
    public func appending(_ index: Int) -> JSONPointer {
        JSONPointer(tokens: tokens + [String(index)])
    }

    /// The pointer one level up; the root's parent is the root.
    public var parent: JSONPointer {
        JSONPointer(tokens: Array(tokens.dropLast()))
    }

    /// The RFC 6901 text, with `~` written `~0` and `/` written `~1`.
    public var description: String {
        var text = ""
        for token in tokens {
            text += "/"
            for scalar in token.unicodeScalars {
                switch scalar {
                case "~": text += "~0"
                case "/": text += "~1"
                default: text.unicodeScalars.append(scalar)
                }
            }
        }
        return text
    }
}

/// Why a JSON Pointer's text could not be parsed.
public enum JSONPointerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A non-empty pointer must start with '/'.
    case missingLeadingSlash(String)
    /// '~' must be followed by '0' or '1' (or a '%' escape in a fragment was malformed).
    case invalidEscape(String)

    public var description: String {
        switch self {
        case .missingLeadingSlash(let text): "invalid JSON Pointer '\(text)': it must be empty or start with '/'"
        case .invalidEscape(let text): "invalid JSON Pointer '\(text)': '~' must be followed by '0' or '1'"
        }
    }
}
