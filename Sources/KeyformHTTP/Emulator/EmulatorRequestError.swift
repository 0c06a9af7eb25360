/// Why the emulator refused a request before the console engine saw it: a body or query that
/// is not what the API takes. Answered 400, naming the field.
enum EmulatorRequestError: Error, Hashable, Sendable {
    /// The endpoint takes a JSON body and none came.
    case missingBody
    /// The body is not JSON; `offset` is the byte where parsing stopped.
    case malformedJSON(message: String, offset: Int)
    /// The body is JSON of the wrong kind (`an object`, `an array`).
    case wrongBody(expected: String)
    /// A required field is absent (`events_of_interest[0].event_code`).
    case missingField(String)
    /// A field has the wrong JSON type.
    case wrongType(field: String, expected: String)
    /// A field's value is not one the emulator takes.
    case invalidValue(field: String, reason: String)
    /// A query parameter's value is not one the API takes.
    case invalidQuery(name: String, reason: String)

    /// The field or parameter concerned, when there is one.
    var field: String? {
        switch self {
        case .missingBody, .malformedJSON, .wrongBody: nil
        case .missingField(let field), .wrongType(let field, _), .invalidValue(let field, _), .invalidQuery(let field, _): field
        }
    }

    /// One sentence for the answer's `message`.
    var message: String {
        switch self {
        case .missingBody: "the request needs a JSON body"
        case .malformedJSON(let message, let offset): "the body is not valid JSON: \(message) at byte \(offset)"
        case .wrongBody(let expected): "the body must be \(expected)"
        case .missingField(let field): "field `\(field)` is required"
        case .wrongType(let field, let expected): "field `\(field)` must be \(expected)"
        case .invalidValue(let field, let reason): "field `\(field)` \(reason)"
        case .invalidQuery(let name, let reason): "\(name) \(reason)"
        }
    }
}
