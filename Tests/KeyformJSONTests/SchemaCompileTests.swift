import KeyformJSON
import Testing

/// Schemas that must not compile, each refused with its location and words; and what compiles.
@Suite struct SchemaCompileTests {
    static let refusals: [(schema: String, error: SchemaError, description: String)] = [
        (
            #"{"minLength": "3"}"#, .invalidKeyword("minLength", at: ["minLength"], expected: "a non-negative integer"),
            "'minLength' at '/minLength' must be a non-negative integer"
        ),
        (
            #"{"maxItems": -1}"#, .invalidKeyword("maxItems", at: ["maxItems"], expected: "a non-negative integer"),
            "'maxItems' at '/maxItems' must be a non-negative integer"
        ),
        (
            #"{"properties": {"a": 3}}"#, .notASchema(at: ["properties", "a"], found: "an integer"),
            "schema at '/properties/a' is an integer; a schema must be an object, true or false"
        ),
        (
            #"{"type": "strin"}"#,
            .invalidKeyword(
                "type", at: ["type"],
                expected: "a type name (object, array, string, integer, number, boolean, null) or a list of them"),
            "'type' at '/type' must be a type name (object, array, string, integer, number, boolean, null) or a list of them"
        ),
        (
            #"{"pattern": "(a"}"#, .invalidPattern("(a", at: ["pattern"], reason: "missing ')' (at offset 2)"),
            "pattern '(a' at '/pattern' is not supported: missing ')' (at offset 2)"
        ),
        (
            #"{"patternProperties": {"(?<=x)y": {}}}"#,
            .invalidPattern("(?<=x)y", at: ["patternProperties", "(?<=x)y"], reason: "lookbehind is not supported (at offset 0)"),
            "pattern '(?<=x)y' at '/patternProperties/(?<=x)y' is not supported: lookbehind is not supported (at offset 0)"
        ),
        (
            ##"{"items": {"$ref": "#/$defs/missing"}}"##, .unresolvedReference("#/$defs/missing", at: ["items", "$ref"]),
            "'$ref' '#/$defs/missing' at '/items/$ref' names no schema in this document; define it under '$defs' (remote references are not fetched)"
        ),
        (
            #"{"$ref": "https://example.com/other.json"}"#,
            .unresolvedReference("https://example.com/other.json", at: ["$ref"]),
            "'$ref' 'https://example.com/other.json' at '/$ref' names no schema in this document; define it under '$defs' (remote references are not fetched)"
        ),
        (
            ##"{"$ref": "#"}"##, .referenceCycle(at: []),
            "schema at the root refers back to itself without descending into the value; the validation would never end"
        ),
        (
            ##"{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"allOf": [{"not": {"$ref": "#/$defs/a"}}]}}, "properties": {"x": {"$ref": "#/$defs/a"}}}"##,
            .referenceCycle(at: ["$defs", "a"]),
            "schema at '/$defs/a' refers back to itself without descending into the value; the validation would never end"
        ),
        (
            #"{"multipleOf": 0}"#, .invalidKeyword("multipleOf", at: ["multipleOf"], expected: "a number above 0"),
            "'multipleOf' at '/multipleOf' must be a number above 0"
        ),
        (
            #"{"allOf": []}"#, .invalidKeyword("allOf", at: ["allOf"], expected: "a non-empty array of schemas"),
            "'allOf' at '/allOf' must be a non-empty array of schemas"
        ),
        (
            #"{"required": ["a", 1]}"#, .invalidKeyword("required", at: ["required"], expected: "an array of strings"),
            "'required' at '/required' must be an array of strings"
        ),
        (
            #"{"dependentRequired": {"a": "b"}}"#,
            .invalidKeyword("dependentRequired", at: ["dependentRequired", "a"], expected: "an array of strings"),
            "'dependentRequired' at '/dependentRequired/a' must be an array of strings"
        ),
        (
            #"{"enum": 1}"#, .invalidKeyword("enum", at: ["enum"], expected: "an array of values"),
            "'enum' at '/enum' must be an array of values"
        ),
        (
            ##"{"$dynamicRef": "#node"}"##, .unsupportedKeyword("$dynamicRef", at: ["$dynamicRef"]),
            "'$dynamicRef' at '/$dynamicRef' is not supported by Keyform's validator; remove it"
        ),
        (
            #"[]"#, .notASchema(at: [], found: "an array"),
            "schema at the root is an array; a schema must be an object, true or false"
        ),
    ]

    @Test(arguments: refusals.indices)
    func refusedWithLocationAndReason(_ index: Int) throws {
        let (text, expected, description) = Self.refusals[index]
        let schema = try JSON.parse(text)
        #expect(throws: expected) { try JSONSchema(compiling: schema) }
        #expect(expected.description == description)
        #expect(expected.schemaPath == Self.refusals[index].error.schemaPath)
    }

    @Test func annotationsAndUnknownKeywordsAreAccepted() throws {
        let schema = try JSONSchema(
            compiling: JSON.parse(
                #"{"title": "T", "description": "D", "format": "email", "default": 3, "examples": [1], "x-custom": {"type": "integer"}}"#))
        #expect(schema.validate("not an email") == [])
    }

    @Test func recursionThroughAPropertyIsNotACycle() throws {
        let schema = try JSONSchema(compiling: JSON.parse(##"{"properties": {"next": {"$ref": "#"}}, "not": {"required": ["stop"]}}"##))
        #expect(schema.isValid(try JSON.parse(#"{"next": {"next": {}}}"#)))
        #expect(!schema.isValid(try JSON.parse(#"{"next": {"next": {"stop": 1}}}"#)))
    }

    @Test func idsAndAnchorsResolveWithinTheDocument() throws {
        let schema = try JSONSchema(
            compiling: JSON.parse(
                ##"""
                {"$id": "https://keyform.test/schemas/root.json",
                 "properties": {
                   "a": {"$ref": "defs/name.json"},
                   "b": {"$ref": "#short"},
                   "c": {"$ref": "root.json#/$defs/short"}
                 },
                 "$defs": {
                   "name": {"$id": "defs/name.json", "type": "string", "maxLength": 3},
                   "short": {"$anchor": "short", "maxLength": 1}
                 }}
                """##))
        let violations = schema.validate(try JSON.parse(#"{"a": "abcd", "b": "xy", "c": "z", "d": 1}"#))
        #expect(violations.map(\.message) == ["must be at most 3 characters (is 4)", "must be at most 1 character (is 2)"])
        #expect(violations.map(\.schemaPath) == [["$defs", "name", "maxLength"], ["$defs", "short", "maxLength"]])
        #expect(violations.map(\.instancePath) == [["a"], ["b"]])
        #expect(!schema.isValid(try JSON.parse(#"{"c": "zz"}"#)))
    }
}
