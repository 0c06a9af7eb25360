/// Why a schema could not be compiled. Locations are JSON Pointer tokens into the schema.
public enum SchemaError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A subschema that is neither an object nor `true`/`false`.
    case notASchema(at: [String], found: String)
    /// A keyword whose value has the wrong form, e.g. `"minLength": "3"`.
    case invalidKeyword(String, at: [String], expected: String)
    /// A `pattern` or `patternProperties` key that is not a regular expression Keyform supports.
    case invalidPattern(String, at: [String], reason: String)
    /// A `$ref` naming no schema in the document (remote references are not fetched).
    case unresolvedReference(String, at: [String])
    /// A keyword Keyform's validator does not implement (`$dynamicRef`, say), refused rather
    /// than silently ignored.
    case unsupportedKeyword(String, at: [String])
    /// Subschemas that apply each other to the same value forever (`{"$ref": "#"}` at the root).
    case referenceCycle(at: [String])

    /// Where in the schema the problem is, as JSON Pointer tokens.
    public var schemaPath: [String] {
        switch self {
        case .notASchema(let at, _), .invalidKeyword(_, let at, _), .invalidPattern(_, let at, _),
            .unresolvedReference(_, let at), .unsupportedKeyword(_, let at), .referenceCycle(let at):
            return at
        }
    }

    public var description: String {
        let place = schemaPath.isEmpty ? "the root" : "'\(SchemaViolation.pointer(schemaPath))'"
        switch self {
        case .notASchema(_, let found):
            return "schema at \(place) is \(found); a schema must be an object, true or false"
        case .invalidKeyword(let keyword, _, let expected):
            return "'\(keyword)' at \(place) must be \(expected)"
        case .invalidPattern(let pattern, _, let reason):
            return "pattern '\(pattern)' at \(place) is not supported: \(reason)"
        case .unresolvedReference(let reference, _):
            return "'$ref' '\(reference)' at \(place) names no schema in this document; "
                + "define it under '$defs' (remote references are not fetched)"
        case .unsupportedKeyword(let keyword, _):
            return "'\(keyword)' at \(place) is not supported by Keyform's validator; remove it"
        case .referenceCycle:
            return "schema at \(place) refers back to itself without descending into the value; "
                + "the validation would never end"
        }
    }
}
