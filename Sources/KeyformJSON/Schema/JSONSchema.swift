/// A JSON Schema (draft 2020-12) compiled once, then used to validate any number of values.
///
///     let schema = try JSONSchema(compiling: try JSON.parse(#"""
///         {"type": "object", "required": ["name"],
///          "properties": {"name": {"type": "string", "maxLength": 45}},
///          "additionalProperties": false}
///         """#))
///     schema.validate(try JSON.parse(#"{"nam": "x"}"#))
///     // (root): missing required property 'name'
///     // /nam: unknown property 'nam'; did you mean 'name'?   (pointsAtKey: the key "nam")
///
/// The pipeline: `SchemaResourceIndex` finds every `$id`, `$anchor` and subschema location;
/// `SchemaCompiler` turns each subschema into a `SchemaNode` (keywords read into typed fields,
/// patterns compiled, references resolved to node indices) and refuses reference loops;
/// `SchemaValidator` then walks value and nodes together, building instance paths only for
/// violations.
///
/// Keywords: `type`, `enum`, `const`; `properties`, `patternProperties`,
/// `additionalProperties`, `propertyNames`, `required`, `min/maxProperties`,
/// `dependentRequired`, `dependentSchemas`, `unevaluatedProperties`; `prefixItems`, `items`,
/// `contains`, `min/maxContains`, `min/maxItems`, `uniqueItems`, `unevaluatedItems`;
/// `min/maxLength` (in Unicode code points), `pattern` (`ECMAPattern`); `minimum`, `maximum`,
/// `exclusiveMinimum/Maximum`, `multipleOf` (exact decimal arithmetic); `allOf`, `anyOf`,
/// `oneOf`, `not`, `if`/`then`/`else`; `$ref` to `$defs`, JSON Pointers, `$id`s and `$anchor`s
/// within the document; `true`/`false` schemas. `format`, `default`, `title`, `description` and
/// other annotations are accepted and not enforced; unknown keywords are ignored, as the
/// specification asks. Remote references are not fetched.
public struct JSONSchema: Sendable {
    let nodes: [SchemaNode]
    /// The nodes flattened for validating a parsed document in place (see `SchemaTapeValidator`).
    let program: SchemaTapeProgram

    /// Compiles `schema`.
    /// - Throws: `SchemaError` for a malformed keyword, an unsupported pattern, a reference to
    ///   no schema in the document, or references that loop without descending into the value.
    public init(compiling schema: JSON) throws(SchemaError) {
        var compiler = SchemaCompiler(root: schema)
        nodes = try compiler.compileDocument()
        program = SchemaTapeProgram(nodes)
    }

    /// Every violation of the schema by `instance`, in evaluation order (document order of the
    /// instance's members within each keyword); empty when it is valid.
    public func validate(_ instance: JSON) -> [SchemaViolation] {
        var validator = SchemaValidator(nodes: nodes)
        _ = validator.validate(0, instance, collect: true)
        return validator.violations
    }

    /// Whether `instance` is valid: stops at the first problem and builds no messages.
    public func isValid(_ instance: JSON) -> Bool {
        var validator = SchemaValidator(nodes: nodes)
        return validator.validate(0, instance, collect: false)
    }

    /// Whether `value`, a value of a parsed document, is valid, checked where it lies in the
    /// document (no owned tree is built): what `isValid(value.json)` answers, much faster.
    /// - Parameter replacements: strings of that document to read in place of their values.
    public func isValid(_ value: JSONValueRef, replacing replacements: JSONStringReplacements = JSONStringReplacements()) -> Bool {
        value.tape.bytes.withUnsafeBufferPointer { buffer in
            let view = JSONTapeView(nodes: UnsafePointer(value.tape.nodes), bytes: buffer)
            let validator = SchemaTapeValidator(
                nodes: nodes, program: program, view: view, nodeCount: value.tape.count, replacements: replacements)
            return validator.valid(0, value.index)
        }
    }
}
