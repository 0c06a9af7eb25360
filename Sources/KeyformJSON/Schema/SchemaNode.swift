/// One compiled (sub)schema: its keywords read once into typed fields, grouped by the kind of
/// instance they apply to, with subschemas referred to by index into `JSONSchema`'s node list
/// (so `$ref` cycles are just indices, and the validator never looks a keyword up by name).
final class SchemaNode: Sendable {
    enum Kind: Sendable {
        /// `true` or `{}`-like: every instance is valid.
        case alwaysValid
        /// `false`: no instance is valid.
        case alwaysInvalid
        case rules
    }

    let kind: Kind
    /// Where the schema is in the document, as JSON Pointer tokens.
    let location: [String]
    let types: SchemaTypeSet?
    let enumeration: SchemaEnumeration?
    let constant: JSON?
    let string: StringRules?
    let number: NumberRules?
    let object: ObjectRules?
    let array: ArrayRules?
    let applicators: Applicators?
    /// The schema's `description` annotation: for a `pattern`, the words for what it wants.
    let description: String?

    init(
        kind: Kind, location: [String], types: SchemaTypeSet? = nil, enumeration: SchemaEnumeration? = nil,
        constant: JSON? = nil, string: StringRules? = nil, number: NumberRules? = nil, object: ObjectRules? = nil,
        array: ArrayRules? = nil, applicators: Applicators? = nil, description: String? = nil
    ) {
        self.kind = kind
        self.location = location
        self.types = types
        self.enumeration = enumeration
        self.constant = constant
        self.string = string
        self.number = number
        self.object = object
        self.array = array
        self.applicators = applicators
        self.description = description
    }

    /// `minLength`, `maxLength`, `pattern`.
    final class StringRules: Sendable {
        let minLength: Int?
        let maxLength: Int?
        let pattern: ECMAPattern?

        init(minLength: Int?, maxLength: Int?, pattern: ECMAPattern?) {
            self.minLength = minLength
            self.maxLength = maxLength
            self.pattern = pattern
        }
    }

    /// `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`.
    final class NumberRules: Sendable {
        let minimum: SchemaBound?
        let maximum: SchemaBound?
        let exclusiveMinimum: SchemaBound?
        let exclusiveMaximum: SchemaBound?
        let multipleOf: SchemaBound?

        init(
            minimum: SchemaBound?, maximum: SchemaBound?, exclusiveMinimum: SchemaBound?,
            exclusiveMaximum: SchemaBound?, multipleOf: SchemaBound?
        ) {
            self.minimum = minimum
            self.maximum = maximum
            self.exclusiveMinimum = exclusiveMinimum
            self.exclusiveMaximum = exclusiveMaximum
            self.multipleOf = multipleOf
        }
    }

    /// The object keywords. `properties` is a list (searched directly when short) and, when
    /// long, also a dictionary.
    final class ObjectRules: Sendable {
        let properties: [(name: String, node: Int)]
        let propertyIndex: [SchemaKey: Int]?
        let propertyOrder: [String]
        let patternProperties: [(pattern: ECMAPattern, node: Int)]
        let additionalProperties: Int?
        let propertyNames: Int?
        let required: [String]
        let minProperties: Int?
        let maxProperties: Int?
        let dependentRequired: [(name: String, requires: [String])]
        let dependentSchemas: [(name: String, node: Int)]
        let unevaluatedProperties: Int?
        /// Whether each member has to be visited (properties, patterns, additional, names).
        let visitsMembers: Bool
        /// True when `properties` is the only member keyword: then the validator looks each
        /// declared property up instead of visiting every member.
        let onlyProperties: Bool

        init(
            properties: [(String, Int)], patternProperties: [(pattern: ECMAPattern, node: Int)],
            additionalProperties: Int?, propertyNames: Int?, required: [String], minProperties: Int?,
            maxProperties: Int?, dependentRequired: [(name: String, requires: [String])],
            dependentSchemas: [(name: String, node: Int)], unevaluatedProperties: Int?
        ) {
            var lookup: [SchemaKey: Int] = [:]
            var unique: [(name: String, node: Int)] = []
            for (name, node) in properties where lookup[SchemaKey(text: name)] == nil {
                lookup[SchemaKey(text: name)] = node
                unique.append((name, node))
            }
            self.properties = unique
            self.propertyIndex = unique.count > 24 ? lookup : nil
            self.propertyOrder = properties.map(\.0)
            self.patternProperties = patternProperties
            self.additionalProperties = additionalProperties
            self.propertyNames = propertyNames
            self.required = required
            self.minProperties = minProperties
            self.maxProperties = maxProperties
            self.dependentRequired = dependentRequired
            self.dependentSchemas = dependentSchemas
            self.unevaluatedProperties = unevaluatedProperties
            self.visitsMembers =
                !properties.isEmpty || !patternProperties.isEmpty || additionalProperties != nil || propertyNames != nil
            self.onlyProperties = patternProperties.isEmpty && additionalProperties == nil && propertyNames == nil
        }

        /// True when `required` is the only object keyword (as in `"not": {"required": ["x"]}`).
        var onlyRequired: Bool {
            !required.isEmpty && !visitsMembers && unevaluatedProperties == nil && minProperties == nil
                && maxProperties == nil && dependentRequired.isEmpty && dependentSchemas.isEmpty
        }

        /// The subschema for a declared property.
        @inline(__always)
        func property(_ name: String) -> Int? {
            if let propertyIndex { return propertyIndex[SchemaKey(text: name)] }
            for entry in properties where SchemaEquality.sameText(entry.name, name) { return entry.node }
            return nil
        }
    }

    /// The array keywords.
    final class ArrayRules: Sendable {
        let prefixItems: [Int]
        let items: Int?
        let contains: Int?
        let minContains: Int
        let maxContains: Int?
        let minItems: Int?
        let maxItems: Int?
        let uniqueItems: Bool
        let unevaluatedItems: Int?

        init(
            prefixItems: [Int], items: Int?, contains: Int?, minContains: Int, maxContains: Int?, minItems: Int?,
            maxItems: Int?, uniqueItems: Bool, unevaluatedItems: Int?
        ) {
            self.prefixItems = prefixItems
            self.items = items
            self.contains = contains
            self.minContains = minContains
            self.maxContains = maxContains
            self.minItems = minItems
            self.maxItems = maxItems
            self.uniqueItems = uniqueItems
            self.unevaluatedItems = unevaluatedItems
        }
    }

    /// Keywords that apply other schemas to the same instance.
    final class Applicators: Sendable {
        let reference: Int?
        let allOf: [Int]
        let anyOf: [Int]
        let oneOf: [Int]
        let not: Int?
        let condition: Int?
        let then: Int?
        let otherwise: Int?

        init(
            reference: Int?, allOf: [Int], anyOf: [Int], oneOf: [Int], not: Int?, condition: Int?, then: Int?,
            otherwise: Int?
        ) {
            self.reference = reference
            self.allOf = allOf
            self.anyOf = anyOf
            self.oneOf = oneOf
            self.not = not
            self.condition = condition
            self.then = then
            self.otherwise = otherwise
        }

        /// Every subschema applied in place, in evaluation order (for annotations and cycles).
        var all: [Int] {
            var nodes: [Int] = []
            if let reference { nodes.append(reference) }
            nodes += allOf + anyOf + oneOf
            for node in [not, condition, then, otherwise] { if let node { nodes.append(node) } }
            return nodes
        }
    }
}
