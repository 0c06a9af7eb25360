/// One way an instance breaks a schema: where, which keyword, what is wrong and how to fix it.
public struct SchemaViolation: Hashable, Sendable, CustomStringConvertible {
    /// The offending value's location in the instance, as JSON Pointer tokens
    /// (`["integrations", "0", "name"]`).
    public var instancePath: [String]
    /// The keyword that failed, e.g. `required` or `additionalProperties`.
    public var keyword: String
    /// The failing keyword's location in the schema document, as JSON Pointer tokens
    /// (ending with the keyword itself).
    public var schemaPath: [String]
    /// What is wrong, in words, e.g. "missing required property 'description'".
    public var message: String
    /// A fix when one is known, e.g. "did you mean 'services'?"; for a `pattern`, the
    /// schema's `description` of the value, when it has one.
    public var suggestion: String?
    /// True when the problem is an object key rather than its value (an unknown property,
    /// a bad property name): a caller should point at the key.
    public var pointsAtKey: Bool

    public init(
        instancePath: [String], keyword: String, schemaPath: [String], message: String,
        suggestion: String? = nil, pointsAtKey: Bool = false
    ) {
        self.instancePath = instancePath
        self.keyword = keyword
        self.schemaPath = schemaPath
        self.message = message
        self.suggestion = suggestion
        self.pointsAtKey = pointsAtKey
    }

    /// The instance location as an RFC 6901 JSON Pointer string (`/integrations/0/name`).
    public var instancePointer: String { Self.pointer(instancePath) }

    /// The schema location as an RFC 6901 JSON Pointer string (`/$defs/integration/required`).
    public var schemaPointer: String { Self.pointer(schemaPath) }

    /// `/integrations/0: missing required property 'description'` (plus the suggestion).
    public var description: String {
        let place = instancePath.isEmpty ? "(root)" : instancePointer
        if let suggestion { return "\(place): \(message); \(suggestion)" }
        return "\(place): \(message)"
    }

    /// Joins tokens into an RFC 6901 pointer, escaping `~` as `~0` and `/` as `~1`.
    static func pointer(_ tokens: [String]) -> String {
        var text = ""
        for token in tokens {
            text += "/"
            for character in token {
                switch character {
                case "~": text += "~0"
                case "/": text += "~1"
                default: text.append(character)
                }
            }
        }
        return text
    }
}
