import KeyformJSON
import Testing

/// What violations say and where they point: exact instance paths, keywords, schema paths,
/// messages and suggestions.
@Suite struct SchemaViolationTests {
    /// One violation per line: `pointer keyword schemaPointer | message | suggestion [key]`.
    static func lines(_ schema: String, _ instance: String) throws -> [String] {
        let compiled = try JSONSchema(compiling: JSON.parse(schema))
        let value = try JSON.parse(instance)
        let violations = compiled.validate(value)
        #expect(compiled.isValid(value) == violations.isEmpty)
        return violations.map { violation in
            var line = "\(violation.instancePointer) \(violation.keyword) /\(violation.schemaPath.joined(separator: "/"))"
            line += " | \(violation.message)"
            if let suggestion = violation.suggestion { line += " | \(suggestion)" }
            if violation.pointsAtKey { line += " [key]" }
            return line
        }
    }

    static let manifestSchema = #"""
        {
          "type": "object",
          "required": ["integrations"],
          "properties": {
            "$schema": {"type": "string"},
            "integrations": {"type": "array", "items": {"$ref": "#/$defs/integration"}}
          },
          "additionalProperties": false,
          "$defs": {
            "integration": {
              "type": "object",
              "required": ["name", "description", "type"],
              "properties": {
                "name": {"type": "string", "pattern": "^[A-Za-z0-9]{3,45}$"},
                "title": {"type": "string", "minLength": 3, "maxLength": 45},
                "description": {"type": "string", "maxLength": 1000},
                "type": {"enum": ["apiKey", "oauth", "serviceAccount"]},
                "services": {"type": "array", "items": {"type": "string"}, "uniqueItems": true},
                "redirectUris": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                "protected": {"type": "boolean"}
              },
              "additionalProperties": false,
              "allOf": [
                {"if": {"properties": {"type": {"const": "oauth"}}, "required": ["type"]},
                 "then": {"required": ["redirectUris"]},
                 "else": {"not": {"required": ["redirectUris"]}}}
              ]
            }
          }
        }
        """#

    @Test func everyProblemOfAManifestAtItsPlace() throws {
        let instance = #"""
            {"integrations": [
              {"name": "a b", "title": "This title is far too long for the console to accept it", "type": "oath",
               "servces": ["A"], "redirectUris": [], "protected": "yes"},
              {"name": "ok123", "description": "d", "type": "oauth", "services": ["A", "B", "A"]}
            ], "extra": 1}
            """#
        #expect(
            try Self.lines(Self.manifestSchema, instance) == [
                "/integrations/0 required /$defs/integration/required | missing required property 'description'",
                "/integrations/0/name pattern /$defs/integration/properties/name/pattern | must match the pattern '^[A-Za-z0-9]{3,45}$'",
                "/integrations/0/title maxLength /$defs/integration/properties/title/maxLength | must be at most 45 characters (is 55)",
                "/integrations/0/type enum /$defs/integration/properties/type/enum | expected one of 'apiKey', 'oauth', 'serviceAccount' | did you mean 'oauth'?",
                "/integrations/0/servces additionalProperties /$defs/integration/additionalProperties | unknown property 'servces' | did you mean 'services'? [key]",
                "/integrations/0/redirectUris minItems /$defs/integration/properties/redirectUris/minItems | must have at least 1 item (has 0)",
                "/integrations/0/protected type /$defs/integration/properties/protected/type | expected a boolean, found a string",
                "/integrations/0/redirectUris not /$defs/integration/allOf/0/else/not | property 'redirectUris' is not allowed here [key]",
                "/integrations/1/services/2 uniqueItems /$defs/integration/properties/services/uniqueItems | duplicate item: the same as the item at index 0 | remove it",
                "/integrations/1 required /$defs/integration/allOf/0/then/required | missing required property 'redirectUris'",
                "/extra additionalProperties /additionalProperties | unknown property 'extra' | remove it; allowed and not used yet here: '$schema' [key]",
            ])
    }

    @Test func aValidManifestHasNoViolations() throws {
        let instance = #"""
            {"$schema": "../schemas/manifest.schema.json", "integrations": [
              {"name": "web123", "description": "d", "type": "apiKey"},
              {"name": "app123", "description": "d", "type": "oauth", "redirectUris": ["https://x"]}
            ]}
            """#
        #expect(try Self.lines(Self.manifestSchema, instance) == [])
    }

    static let cases: [(schema: String, instance: String, expected: [String])] = [
        (#"{"type": "integer"}"#, "1.5", [" type /type | expected an integer, found 1.5"]),
        (#"{"type": "integer"}"#, "1.0", []),
        (#"{"type": ["string", "null"]}"#, "[]", [" type /type | expected a string or null, found an array"]),
        (#"{"type": "number"}"#, #""1""#, [" type /type | expected a number, found a string"]),
        (#"{"const": {"a": [1, "x"]}}"#, #"{"a": [1]}"#, [#" const /const | expected {"a":[1,"x"]}"#]),
        (#"{"const": "apiKey"}"#, #""apikey""#, [" const /const | expected 'apiKey' | did you mean 'apiKey'?"]),
        (#"{"enum": [1, "two", null]}"#, "3", [" enum /enum | expected one of 1, 'two', null"]),
        (#"{"pattern": "^[a-z]+$", "description": "Lower-case letters only."}"#, #""A""#, [
            " pattern /pattern | must match the pattern '^[a-z]+$' | Lower-case letters only.",
        ]),
        (#"{"minLength": 1}"#, #""""#, [" minLength /minLength | must be at least 1 character (is 0)"]),
        (#"{"maxLength": 2}"#, #""日本語""#, [" maxLength /maxLength | must be at most 2 characters (is 3)"]),
        (#"{"maxLength": 1}"#, #""😀""#, []),
        (#"{"minLength": 1e300}"#, #""abc""#, [" minLength /minLength | must be at least 9223372036854775807 characters (is 3)"]),
        (#"{"minLength": 2}"#, #""😀😀""#, []),
        (#"{"maxLength": 1e99999999999}"#, #""abc""#, []),
        (#"{"maxLength": 1}"#, #""e\u0301""#, [" maxLength /maxLength | must be at most 1 character (is 2)"]),
        (#"{"minimum": 1, "exclusiveMaximum": 0, "multipleOf": 0.0001}"#, "0.00751", [
            " minimum /minimum | must be at least 1 (is 0.00751)",
            " exclusiveMaximum /exclusiveMaximum | must be less than 0 (is 0.00751)",
            " multipleOf /multipleOf | must be a multiple of 0.0001 (is 0.00751)",
        ]),
        (#"{"maximum": 30, "exclusiveMinimum": 31}"#, "31", [
            " maximum /maximum | must be at most 30 (is 31)",
            " exclusiveMinimum /exclusiveMinimum | must be greater than 31 (is 31)",
        ]),
        (#"{"multipleOf": 0.0001}"#, "0.0075", []),
        (#"{"const": 12345678901234567890123}"#, "12345678901234567890124", [
            " const /const | expected 12345678901234567890123",
        ]),
        (#"{"const": 12345678901234567890123}"#, "1.2345678901234567890123e22", []),
        (#"{"maximum": 9007199254740992}"#, "9007199254740993", [
            " maximum /maximum | must be at most 9007199254740992 (is 9007199254740993)",
        ]),
        (#"{"minItems": 2, "maxItems": 0}"#, "[1]", [
            " minItems /minItems | must have at least 2 items (has 1)",
            " maxItems /maxItems | must have at most 0 items (has 1)",
        ]),
        (#"{"prefixItems": [{}, {}], "items": false}"#, "[1, 2, 3, 4]", [" items /items | must have at most 2 items (has 4)"]),
        (#"{"items": {"type": "string"}}"#, #"["a", 1]"#, ["/1 type /items/type | expected a string, found an integer"]),
        (#"{"contains": {"const": 1}}"#, "[2]", [" contains /contains | must contain at least 1 item matching the 'contains' schema (has 0)"]),
        (#"{"contains": {"const": 1}, "minContains": 2}"#, "[1]", [" minContains /minContains | must contain at least 2 items matching the 'contains' schema (has 1)"]),
        (#"{"contains": {"const": 1}, "maxContains": 1}"#, "[1, 1, 2]", [" maxContains /maxContains | must contain at most 1 item matching the 'contains' schema (has 2)"]),
        (#"{"minProperties": 2}"#, #"{"a": 1}"#, [" minProperties /minProperties | must have at least 2 properties (has 1)"]),
        (#"{"maxProperties": 1}"#, #"{"a": 1, "b": 2}"#, [" maxProperties /maxProperties | must have at most 1 property (has 2)"]),
        (#"{"dependentRequired": {"a": ["b"]}}"#, #"{"a": 1}"#, [" dependentRequired /dependentRequired | missing property 'b', required when 'a' is present"]),
        (#"{"properties": {"a": false}}"#, #"{"a": 1}"#, ["/a false /properties/a | property 'a' is not allowed [key]"]),
        (#"{"patternProperties": {"^x-": {"type": "string"}}}"#, #"{"x-a": 1}"#, ["/x-a type /patternProperties/^x-/type | expected a string, found an integer"]),
        (#"{"propertyNames": {"pattern": "^[a-z]+$", "maxLength": 4}}"#, #"{"Abc": 1, "abcdef": 2}"#, [
            "/Abc pattern /propertyNames/pattern | invalid property name 'Abc': must match the pattern '^[a-z]+$' [key]",
            "/abcdef maxLength /propertyNames/maxLength | invalid property name 'abcdef': must be at most 4 characters (is 6) [key]",
        ]),
        (#"{"properties": {"name": {}}, "additionalProperties": false}"#, #"{"zzz": 1}"#, [
            "/zzz additionalProperties /additionalProperties | unknown property 'zzz' | remove it; allowed and not used yet here: 'name' [key]",
        ]),
        (#"{"properties": {"a": {}}, "allOf": [{"properties": {"bb": {}}}], "unevaluatedProperties": false}"#, #"{"a": 1, "b": 2}"#, [
            "/b unevaluatedProperties /unevaluatedProperties | unknown property 'b' | did you mean 'bb'? [key]",
        ]),
        (#"{"prefixItems": [{}], "unevaluatedItems": false}"#, "[1, 2]", ["/1 unevaluatedItems /unevaluatedItems | unexpected item: no schema allows it"]),
        (#"{"not": {"const": "x"}}"#, #""x""#, [" not /not | must not be 'x'"]),
        (#"{"not": {"enum": ["x", "y"]}}"#, #""y""#, [" not /not | must not be any of 'x', 'y'"]),
        (#"{"not": {"type": "string"}}"#, #""y""#, [" not /not | must not match the schema in 'not'"]),
        ("false", "1", [" false / | no value is allowed here"]),
        (##"{"$defs": {"n": {"type": "string"}}, "properties": {"a": {"$ref": "#/$defs/n"}}}"##, #"{"a": 1}"#, [
            "/a type /$defs/n/type | expected a string, found an integer",
        ]),
        (#"{"properties": {"a/b~c": {"type": "string"}}}"#, #"{"a/b~c": 1}"#, ["/a~1b~0c type /properties/a/b~c/type | expected a string, found an integer"]),
    ]

    @Test(arguments: cases.indices)
    func keywordMessages(_ index: Int) throws {
        let (schema, instance, expected) = Self.cases[index]
        #expect(try Self.lines(schema, instance) == expected, "\(schema) on \(instance)")
    }

    static let discriminated = #"""
        {"oneOf": [
          {"type": "object", "properties": {"kind": {"const": "apiKey"}, "domains": {"type": "array"}}, "required": ["kind", "domains"]},
          {"type": "object", "properties": {"kind": {"const": "oauth"}, "uris": {"type": "array"}}, "required": ["kind", "uris"]}
        ]}
        """#

    static let alternatives: [(schema: String, instance: String, expected: [String])] = [
        // The discriminator picks the alternative: only its problems are reported.
        (discriminated, #"{"kind": "oauth"}"#, [" required /oneOf/1/required | missing required property 'uris'"]),
        // No alternative's discriminator matches: say which values would.
        (discriminated, #"{"kind": "oath"}"#, ["/kind oneOf /oneOf | expected one of 'apiKey', 'oauth' | did you mean 'oauth'?"]),
        (discriminated, #"{"kind": "apiKey", "domains": []}"#, []),
        (discriminated, "[]", [" oneOf /oneOf | expected an object, found an array"]),
        (#"{"oneOf": [{"type": "integer"}, {"minimum": 0}]}"#, "1", [
            " oneOf /oneOf | matches 2 of the alternatives (the 1st, the 2nd) but must match exactly one",
        ]),
        (#"{"anyOf": [{"type": "string"}, {"type": "integer"}]}"#, "1.5", [" anyOf /anyOf | expected a string or an integer, found 1.5"]),
        (#"{"anyOf": [{"required": ["a"]}, {"required": ["b"]}]}"#, "{}", [
            " anyOf /anyOf | must match one of the alternatives: missing required property 'a' (1st), or missing required property 'b' (2nd)",
        ]),
        // The alternative of the right type is the one meant.
        (#"{"anyOf": [{"type": "string", "minLength": 3}, {"type": "integer"}]}"#, #""ab""#, [
            " minLength /anyOf/0/minLength | must be at least 3 characters (is 2)",
        ]),
        (#"{"anyOf": [{"const": 1}, {"const": 2}], "if": {"const": 3}, "then": false}"#, "3", [
            " anyOf /anyOf | must match one of the alternatives: expected 1 (1st), or expected 2 (2nd)",
            " false /then | no value is allowed here",
        ]),
    ]

    @Test(arguments: alternatives.indices)
    func alternativesGiveOneClearReport(_ index: Int) throws {
        let (schema, instance, expected) = Self.alternatives[index]
        #expect(try Self.lines(schema, instance) == expected, "\(schema) on \(instance)")
    }

    @Test func descriptionNamesThePlace() throws {
        let schema = try JSONSchema(compiling: JSON.parse(#"{"properties": {"a": {"required": ["b"]}}, "required": ["x"]}"#))
        let violations = schema.validate(try JSON.parse(#"{"a": {}}"#))
        #expect(violations.map(\.description) == [
            "(root): missing required property 'x'",
            "/a: missing required property 'b'",
        ])
    }

    @Test func recursiveSchemasFollowTheValue() throws {
        let schema = try JSONSchema(compiling: JSON.parse(##"{"properties": {"next": {"$ref": "#"}, "v": {"type": "integer"}}}"##))
        var value = JSON.object([JSONMember("v", "bad")])
        for _ in 0..<200 { value = .object([JSONMember("next", value)]) }
        let violations = schema.validate(value)
        #expect(violations.count == 1)
        #expect(violations.first?.instancePath == Array(repeating: "next", count: 200) + ["v"])
        #expect(violations.first?.schemaPath == ["properties", "v", "type"])
    }
}

extension SchemaViolationTests {
    @Test func notWithMoreThanRequiredIsDescribedGenerally() throws {
        #expect(
            try Self.lines(#"{"not": {"required": ["a"], "properties": {"a": {"type": "integer"}}}}"#, #"{"a": 1}"#) == [
                " not /not | must not match the schema in 'not'"
            ])
        #expect(
            try Self.lines(#"{"not": {"required": ["a", "b"]}}"#, #"{"a": 1, "b": 2}"#) == [
                " not /not | properties 'a' and 'b' must not be used together"
            ])
    }
}

extension SchemaViolationTests {
    /// The example in `JSONSchema`'s documentation.
    @Test func documentedExample() throws {
        let schema = try JSONSchema(
            compiling: JSON.parse(
                #"""
                {"type": "object", "required": ["name"],
                 "properties": {"name": {"type": "string", "maxLength": 45}},
                 "additionalProperties": false}
                """#))
        #expect(
            schema.validate(try JSON.parse(#"{"nam": "x"}"#)).map(\.description) == [
                "(root): missing required property 'name'",
                "/nam: unknown property 'nam'; did you mean 'name'?",
            ])
    }
}
