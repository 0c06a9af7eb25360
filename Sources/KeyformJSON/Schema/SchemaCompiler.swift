/// Turns a schema document into `SchemaNode`s, once.
///
/// Each subschema location is compiled at most once and gets an index; a `$ref` resolves (via
/// `SchemaResourceIndex`) to the location it names and so to that location's index, reserved
/// before its children are compiled so that recursive schemas close into cycles of indices.
/// `{"properties": {"next": {"$ref": "#"}}}` compiles to node 0 (the root, with `next` → 1)
/// and node 1 (an empty schema whose reference is node 0).
struct SchemaCompiler {
    private let root: JSON
    private let index: SchemaResourceIndex
    private var slots: [SchemaNode?] = []
    private var compiled: [String: Int] = [:]

    /// Keywords that are annotations or identifiers only: accepted, not enforced.
    static let annotations: Set<String> = [
        "$schema", "$id", "$anchor", "$comment", "$defs", "definitions", "$vocabulary", "title", "description",
        "default", "examples", "format", "deprecated", "readOnly", "writeOnly", "contentMediaType",
        "contentEncoding", "contentSchema",
    ]
    /// Keywords of draft 2020-12 that this validator refuses rather than ignores.
    static let unsupported: Set<String> = ["$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor"]

    init(root: JSON) {
        self.root = root
        self.index = SchemaResourceIndex(root: root)
    }

    /// Compiles the whole document; node 0 is the root.
    mutating func compileDocument() throws(SchemaError) -> [SchemaNode] {
        _ = try compile(at: [])
        var nodes: [SchemaNode] = []
        nodes.reserveCapacity(slots.count)
        for (position, slot) in slots.enumerated() {
            guard let slot else { preconditionFailure("schema node \(position) was reserved but never compiled") }
            nodes.append(slot)
        }
        try SchemaCycleCheck(nodes: nodes).run()
        return nodes
    }

    /// The index of the node for the subschema at `location`, compiling it if needed.
    private mutating func compile(at location: [String]) throws(SchemaError) -> Int {
        let key = SchemaViolation.pointer(location)
        if let existing = compiled[key] { return existing }
        guard let schema = Self.value(in: root, at: location) else {
            throw SchemaError.notASchema(at: location, found: "missing")
        }
        let slot = slots.count
        slots.append(nil)
        compiled[key] = slot
        slots[slot] = try build(schema, at: location)
        return slot
    }

    private static func value(in document: JSON, at location: [String]) -> JSON? {
        var current = document
        for token in location {
            switch current {
            case .object:
                guard let next = current[token] else { return nil }
                current = next
            case .array(let elements):
                guard let position = Int(token), elements.indices.contains(position) else { return nil }
                current = elements[position]
            default:
                return nil
            }
        }
        return current
    }

    private mutating func build(_ schema: JSON, at location: [String]) throws(SchemaError) -> SchemaNode {
        switch schema {
        case .bool(let value):
            return SchemaNode(kind: value ? .alwaysValid : .alwaysInvalid, location: location)
        case .object(let members):
            let reader = SchemaKeywordReader(members: members, location: location)
            for member in members where Self.unsupported.contains(member.key) {
                throw SchemaError.unsupportedKeyword(member.key, at: location + [member.key])
            }
            let node = SchemaNode(
                kind: .rules, location: location,
                types: try reader.types(),
                enumeration: try reader.enumeration(),
                constant: schema["const"],
                string: try stringRules(reader),
                number: try numberRules(reader),
                object: try objectRules(reader),
                array: try arrayRules(reader),
                applicators: try applicators(reader),
                description: schema["description"]?.stringValue)
            return node
        default:
            throw SchemaError.notASchema(at: location, found: SchemaKeywordReader.describe(schema))
        }
    }

    private func stringRules(_ reader: SchemaKeywordReader) throws(SchemaError) -> SchemaNode.StringRules? {
        let minLength = try reader.count("minLength")
        let maxLength = try reader.count("maxLength")
        let pattern = try reader.pattern("pattern")
        guard minLength != nil || maxLength != nil || pattern != nil else { return nil }
        return SchemaNode.StringRules(minLength: minLength, maxLength: maxLength, pattern: pattern)
    }

    private func numberRules(_ reader: SchemaKeywordReader) throws(SchemaError) -> SchemaNode.NumberRules? {
        let minimum = try reader.bound("minimum")
        let maximum = try reader.bound("maximum")
        let exclusiveMinimum = try reader.bound("exclusiveMinimum")
        let exclusiveMaximum = try reader.bound("exclusiveMaximum")
        let multipleOf = try reader.bound("multipleOf")
        if let multipleOf, multipleOf.decimal.isZero || multipleOf.decimal.negative {
            throw SchemaError.invalidKeyword("multipleOf", at: reader.location + ["multipleOf"], expected: "a number above 0")
        }
        guard minimum != nil || maximum != nil || exclusiveMinimum != nil || exclusiveMaximum != nil || multipleOf != nil
        else { return nil }
        return SchemaNode.NumberRules(
            minimum: minimum, maximum: maximum, exclusiveMinimum: exclusiveMinimum,
            exclusiveMaximum: exclusiveMaximum, multipleOf: multipleOf)
    }

    private mutating func objectRules(_ reader: SchemaKeywordReader) throws(SchemaError) -> SchemaNode.ObjectRules? {
        let location = reader.location
        var properties: [(String, Int)] = []
        for name in try reader.schemaMapKeys("properties") {
            properties.append((name, try compile(at: location + ["properties", name])))
        }
        var patternProperties: [(pattern: ECMAPattern, node: Int)] = []
        for source in try reader.schemaMapKeys("patternProperties") {
            let pattern = try SchemaKeywordReader.compilePattern(source, at: location + ["patternProperties", source])
            patternProperties.append((pattern, try compile(at: location + ["patternProperties", source])))
        }
        let additionalProperties = try single("additionalProperties", reader)
        let propertyNames = try single("propertyNames", reader)
        let unevaluatedProperties = try single("unevaluatedProperties", reader)
        let required = try reader.names("required") ?? []
        let minProperties = try reader.count("minProperties")
        let maxProperties = try reader.count("maxProperties")
        var dependentRequired: [(name: String, requires: [String])] = []
        for name in try reader.objectKeys("dependentRequired") {
            dependentRequired.append((name, try reader.names("dependentRequired", name) ?? []))
        }
        var dependentSchemas: [(name: String, node: Int)] = []
        for name in try reader.schemaMapKeys("dependentSchemas") {
            dependentSchemas.append((name, try compile(at: location + ["dependentSchemas", name])))
        }
        guard
            !properties.isEmpty || !patternProperties.isEmpty || additionalProperties != nil || propertyNames != nil
                || unevaluatedProperties != nil || !required.isEmpty || minProperties != nil || maxProperties != nil
                || !dependentRequired.isEmpty || !dependentSchemas.isEmpty
        else { return nil }
        return SchemaNode.ObjectRules(
            properties: properties, patternProperties: patternProperties, additionalProperties: additionalProperties,
            propertyNames: propertyNames, required: required, minProperties: minProperties,
            maxProperties: maxProperties, dependentRequired: dependentRequired, dependentSchemas: dependentSchemas,
            unevaluatedProperties: unevaluatedProperties)
    }

    private mutating func arrayRules(_ reader: SchemaKeywordReader) throws(SchemaError) -> SchemaNode.ArrayRules? {
        let prefixItems = try list("prefixItems", reader)
        let items = try single("items", reader)
        let contains = try single("contains", reader)
        let minContains = try reader.count("minContains")
        let maxContains = try reader.count("maxContains")
        let minItems = try reader.count("minItems")
        let maxItems = try reader.count("maxItems")
        let uniqueItems = try reader.flag("uniqueItems")
        let unevaluatedItems = try single("unevaluatedItems", reader)
        guard
            !prefixItems.isEmpty || items != nil || contains != nil || minItems != nil || maxItems != nil || uniqueItems
                || unevaluatedItems != nil
        else { return nil }
        return SchemaNode.ArrayRules(
            prefixItems: prefixItems, items: items, contains: contains, minContains: minContains ?? 1,
            maxContains: maxContains, minItems: minItems, maxItems: maxItems, uniqueItems: uniqueItems,
            unevaluatedItems: unevaluatedItems)
    }

    private mutating func applicators(_ reader: SchemaKeywordReader) throws(SchemaError) -> SchemaNode.Applicators? {
        var reference: Int?
        if let text = try reader.string("$ref") {
            let at = reader.location + ["$ref"]
            let base = index.base(at: reader.location) ?? SchemaURI(parsing: "")
            guard let target = index.resolve(text, against: base) else {
                throw SchemaError.unresolvedReference(text, at: at)
            }
            guard Self.value(in: root, at: target) != nil else {
                throw SchemaError.unresolvedReference(text, at: at)
            }
            reference = try compile(at: target)
        }
        let allOf = try list("allOf", reader)
        let anyOf = try list("anyOf", reader)
        let oneOf = try list("oneOf", reader)
        let not = try single("not", reader)
        let condition = try single("if", reader)
        // `then` and `else` without `if` have no effect.
        let then = condition == nil ? nil : try single("then", reader)
        let otherwise = condition == nil ? nil : try single("else", reader)
        guard reference != nil || !allOf.isEmpty || !anyOf.isEmpty || !oneOf.isEmpty || not != nil || condition != nil
        else { return nil }
        return SchemaNode.Applicators(
            reference: reference, allOf: allOf, anyOf: anyOf, oneOf: oneOf, not: not, condition: condition,
            then: then, otherwise: otherwise)
    }

    private mutating func single(_ keyword: String, _ reader: SchemaKeywordReader) throws(SchemaError) -> Int? {
        guard reader.has(keyword) else { return nil }
        return try compile(at: reader.location + [keyword])
    }

    private mutating func list(_ keyword: String, _ reader: SchemaKeywordReader) throws(SchemaError) -> [Int] {
        let count = try reader.schemaArrayCount(keyword)
        var nodes: [Int] = []
        for position in 0..<count {
            nodes.append(try compile(at: reader.location + [keyword, String(position)]))
        }
        return nodes
    }
}
