import KeyformJSON

/// Why a state document or journal entry could not be decoded from its JSON value.
///
/// The place is an RFC 6901 JSON Pointer (`/integrations/stocksearchweb/apiKey`). Decoders build
/// it only when something is wrong: each level catches the error of the level below and
/// prepends its own key (`under(_:)`), so a valid document costs no pointer strings at all.
public enum StateDecodingError: Error, Hashable, Sendable {
    /// A value is missing, of the wrong type, out of range, or not expected.
    case invalid(pointer: String, problem: String, suggestion: String?)
    /// `format` is a version this build cannot read (written by a newer Keyform).
    case unsupportedFormat(Int)

    /// A problem at the value being decoded; the callers prepend their keys.
    static func here(_ problem: String, suggestion: String? = nil) -> StateDecodingError {
        .invalid(pointer: "", problem: problem, suggestion: suggestion)
    }

    /// The same error, one level down: `key` (an object key or array index) is prepended.
    public func under(_ key: String) -> StateDecodingError {
        guard case .invalid(let pointer, let problem, let suggestion) = self else { return self }
        return .invalid(pointer: "/" + StateDecodingError.escape(key) + pointer, problem: problem, suggestion: suggestion)
    }

    /// The pointer, or `nil` for `unsupportedFormat`.
    public var pointer: String? {
        if case .invalid(let pointer, _, _) = self { return pointer }
        return nil
    }

    /// One line for messages: `/integrations/web/apiKey: expected a string, found a number`.
    public var message: String {
        switch self {
        case .invalid(let pointer, let problem, _):
            return pointer.isEmpty ? "the document: \(problem)" : "\(pointer): \(problem)"
        case .unsupportedFormat(let found):
            return "format \(found) is newer than this build reads (\(StateDocument.currentFormat))"
        }
    }

    /// RFC 6901 escaping of one reference token: `~` as `~0`, `/` as `~1`.
    public static func escape(_ token: String) -> String {
        guard token.contains("~") || token.contains("/") else { return token }
        return token.replacingOccurrences("~", with: "~0").replacingOccurrences("/", with: "~1")
    }
}

extension String {
    /// Foundation-free replacement of every occurrence of a single character.
    fileprivate func replacingOccurrences(_ target: Character, with replacement: String) -> String {
        var out = ""
        out.reserveCapacity(count)
        for character in self {
            if character == target { out += replacement } else { out.append(character) }
        }
        return out
    }
}
