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

/// Typed access to the members of one JSON object in a state file, with errors that say where.
struct StateObjectReader {
    let members: [JSONMember]

    /// Checks that `json` is an object whose keys are all in `allowed`.
    init(_ json: JSON, allowed: [String]) throws(StateDecodingError) {
        guard case .object(let members) = json else {
            throw .here("expected an object, found \(json.kindName)")
        }
        for index in members.indices where !allowed.contains(members[index].key) {
            let key = members[index].key
            let guess = Suggestion.closest(to: key, among: allowed)
            throw StateDecodingError.here(
                "unknown member '\(key)'", suggestion: guess.map { "did you mean '\($0)'?" }
            ).under(key)
        }
        self.members = members
    }

    /// The value of `key`, which must be present.
    func value(_ key: String) throws(StateDecodingError) -> JSON {
        for index in members.indices where members[index].key == key { return members[index].value }
        throw .here("missing member '\(key)'")
    }

    /// The value of `key`, or `nil` when absent.
    func optionalValue(_ key: String) -> JSON? {
        for index in members.indices where members[index].key == key { return members[index].value }
        return nil
    }

    func string(_ key: String) throws(StateDecodingError) -> String {
        let value = try value(key)
        guard case .string(let s) = value else {
            throw StateDecodingError.here("expected a string, found \(value.kindName)").under(key)
        }
        return s
    }

    func nonEmptyString(_ key: String) throws(StateDecodingError) -> String {
        let s = try string(key)
        if s.isEmpty { throw StateDecodingError.here("must not be empty").under(key) }
        return s
    }

    func bool(_ key: String) throws(StateDecodingError) -> Bool {
        let value = try value(key)
        guard case .bool(let b) = value else {
            throw StateDecodingError.here("expected true or false, found \(value.kindName)").under(key)
        }
        return b
    }

    /// A non-negative integer.
    func count(_ key: String) throws(StateDecodingError) -> Int {
        let value = try value(key)
        guard case .number(let n) = value, let int = n.int, int >= 0 else {
            throw StateDecodingError.here("expected a non-negative integer, found \(value.kindDescription)").under(key)
        }
        return int
    }

    func strings(_ key: String) throws(StateDecodingError) -> [String] {
        let value = try value(key)
        guard case .array(let elements) = value else {
            throw StateDecodingError.here("expected an array of strings, found \(value.kindName)").under(key)
        }
        var out: [String] = []
        out.reserveCapacity(elements.count)
        for index in elements.indices {
            guard case .string(let s) = elements[index] else {
                throw StateDecodingError.here("expected a string, found \(elements[index].kindName)").under(String(index)).under(key)
            }
            out.append(s)
        }
        return out
    }

    /// The members of an object-valued member (keyed collections such as `integrations`).
    func keyed(_ key: String) throws(StateDecodingError) -> [JSONMember] {
        let value = try value(key)
        guard case .object(let members) = value else {
            throw StateDecodingError.here("expected an object, found \(value.kindName)").under(key)
        }
        return members
    }
}

extension JSON {
    /// "a string", "an object", … for messages.
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Like `kindName`, with the literal for numbers (`the number -1`).
    var kindDescription: String {
        if case .number(let n) = self { return "the number \(n.literal)" }
        return kindName
    }
}
