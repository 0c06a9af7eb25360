// TEMPORARY: stands in for KeyformJSON's JSONSchema until h/schema is merged; deleted then.
import KeyformJSON

struct JSONSchema: Sendable {
    init(compiling schema: JSON) throws(SchemaError) {}
    func validate(_ instance: JSON) -> [SchemaViolation] { [] }
}

struct SchemaError: Error {}

struct SchemaViolation: Hashable, Sendable {
    var instancePath: [String]
    var keyword: String
    var schemaPath: [String]
    var message: String
    var suggestion: String?
    var pointsAtKey: Bool
}
