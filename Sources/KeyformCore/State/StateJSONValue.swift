import KeyformJSON

/// A JSON value the state decoders read: an owned tree (`JSON`: journal lines, callers that
/// built one) or a value of a parsed document (`JSONValueRef`: the state file, read straight
/// from the parser's tape without building a tree, which halves the cost of reading a large
/// state). One decoder serves both, so the two can never disagree.
protocol StateJSONValue {
    var stringValue: String? { get }
    var boolValue: Bool? { get }
    var numberValue: JSONNumber? { get }
    /// The elements, when this is an array.
    var stateElements: [Self]? { get }
    /// The members in document order (keys decoded once), when this is an object.
    var stateMembers: [StateMember<Self>]? { get }
    /// "a string", "an object", … for messages.
    var kindName: String { get }
    /// The records of a state's `integrations` object decoded by a fast path, or nil when
    /// the generic decoder must decide (see `StateTapeDecoder`).
    var fastStateIntegrations: [String: IntegrationRecord]? { get }
}

/// One member of an object being decoded.
struct StateMember<Value> {
    let key: String
    let value: Value
}

extension StateJSONValue {
    var fastStateIntegrations: [String: IntegrationRecord]? { nil }

    /// Like `kindName`, with the literal for numbers (`the number -1`).
    var kindDescription: String {
        if let number = numberValue { return "the number \(number.literal)" }
        return kindName
    }
}

extension JSON: StateJSONValue {
    var stateElements: [JSON]? { arrayValue }

    var stateMembers: [StateMember<JSON>]? {
        guard case .object(let members) = self else { return nil }
        return members.map { StateMember(key: $0.key, value: $0.value) }
    }

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
}

extension JSONValueRef: StateJSONValue {
    var fastStateIntegrations: [String: IntegrationRecord]? { StateTapeDecoder.integrations(self) }

    var stateElements: [JSONValueRef]? {
        kind == .array ? elements : nil
    }

    var stateMembers: [StateMember<JSONValueRef>]? {
        guard kind == .object else { return nil }
        let members = self.members
        var result: [StateMember<JSONValueRef>] = []
        result.reserveCapacity(members.count)
        for member in members { result.append(StateMember(key: member.key, value: member.value)) }
        return result
    }

    var kindName: String {
        switch kind {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
