import KeyformJSON

/// Typed access to the members of one JSON object in a state file, with errors that say where.
struct StateObjectReader<Value: StateJSONValue> {
    let members: [StateMember<Value>]

    /// Checks that `json` is an object whose keys are all in `allowed`.
    init(_ json: Value, allowed: [String]) throws(StateDecodingError) {
        guard let members = json.stateMembers else {
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
    func value(_ key: String) throws(StateDecodingError) -> Value {
        for index in members.indices where members[index].key == key { return members[index].value }
        throw .here("missing member '\(key)'")
    }

    /// The value of `key`, or `nil` when absent.
    func optionalValue(_ key: String) -> Value? {
        for index in members.indices where members[index].key == key { return members[index].value }
        return nil
    }

    func string(_ key: String) throws(StateDecodingError) -> String {
        let value = try value(key)
        guard let s = value.stringValue else {
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
        guard let b = value.boolValue else {
            throw StateDecodingError.here("expected true or false, found \(value.kindName)").under(key)
        }
        return b
    }

    /// The largest count a state holds: 2^53 − 1, the largest integer every JSON reader keeps
    /// exactly (and far from overflowing when the serial is counted up).
    static var largestCount: Int { (1 << 53) - 1 }

    /// A non-negative integer, at most `largestCount`.
    func count(_ key: String) throws(StateDecodingError) -> Int {
        let value = try value(key)
        guard let n = value.numberValue, let int = n.int, int >= 0 else {
            throw StateDecodingError.here("expected a non-negative integer, found \(value.kindDescription)").under(key)
        }
        guard int <= Self.largestCount else {
            throw StateDecodingError.here("\(int) is too large: at most \(Self.largestCount)").under(key)
        }
        return int
    }

    func strings(_ key: String) throws(StateDecodingError) -> [String] {
        let value = try value(key)
        guard let elements = value.stateElements else {
            throw StateDecodingError.here("expected an array of strings, found \(value.kindName)").under(key)
        }
        var out: [String] = []
        out.reserveCapacity(elements.count)
        for index in elements.indices {
            guard let s = elements[index].stringValue else {
                throw StateDecodingError.here("expected a string, found \(elements[index].kindName)").under(String(index)).under(key)
            }
            out.append(s)
        }
        return out
    }

    /// The members of an object-valued member (keyed collections such as `integrations`).
    func keyed(_ key: String) throws(StateDecodingError) -> [StateMember<Value>] {
        let value = try value(key)
        guard let members = value.stateMembers else {
            throw StateDecodingError.here("expected an object, found \(value.kindName)").under(key)
        }
        return members
    }
}
