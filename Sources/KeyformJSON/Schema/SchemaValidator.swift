/// Walks an instance and the compiled nodes together.
///
/// Every check runs in one of two modes. With `collect` false the walk answers yes or no and
/// stops at the first failure (used inside `anyOf`, `oneOf`, `not`, `if` and `contains`, and by
/// `JSONSchema.isValid`). With `collect` true it records a `SchemaViolation` for every failure
/// and carries on. The instance path is a stack of tokens pushed and popped around each
/// child, turned into strings only when a violation is recorded.
struct SchemaValidator {
    /// One step into the instance.
    enum PathToken {
        case key(String)
        case index(Int)
    }

    let nodes: [SchemaNode]
    var path: [PathToken] = []
    var violations: [SchemaViolation] = []

    init(nodes: [SchemaNode]) {
        self.nodes = nodes
        path.reserveCapacity(32)
    }

    /// Whether `instance` is valid against node `index`; in `collect` mode also records why not.
    mutating func validate(_ index: Int, _ instance: JSON, collect: Bool) -> Bool {
        let node = nodes[index]
        switch node.kind {
        case .alwaysValid:
            return true
        case .alwaysInvalid:
            if collect { report(node, keyword: nil, SchemaMessage.nothingAllowed) }
            return false
        case .rules:
            break
        }
        if let types = node.types, !Self.admits(types, instance) {
            // Nothing else about a value of the wrong type is worth saying.
            if collect { report(node, keyword: "type", SchemaMessage.type(expected: types, found: instance)) }
            return false
        }
        var valid = true
        if let enumeration = node.enumeration, !enumeration.contains(instance) {
            guard collect else { return false }
            valid = false
            report(
                node, keyword: "enum", SchemaMessage.oneOf(enumeration.values),
                suggestion: SchemaMessage.closest(to: instance, among: enumeration.values))
        }
        if let constant = node.constant, !SchemaEquality.equal(constant, instance) {
            guard collect else { return false }
            valid = false
            report(
                node, keyword: "const", SchemaMessage.oneOf([constant]),
                suggestion: SchemaMessage.closest(to: instance, among: [constant]))
        }
        switch instance {
        case .string(let text):
            if let rules = node.string, !validateString(node, rules, text, collect: collect) {
                guard collect else { return false }
                valid = false
            }
        case .number(let number):
            if let rules = node.number, !validateNumber(node, rules, number, collect: collect) {
                guard collect else { return false }
                valid = false
            }
        case .object(let members):
            if let rules = node.object, !validateObject(node, rules, instance, members, collect: collect) {
                guard collect else { return false }
                valid = false
            }
        case .array(let elements):
            if let rules = node.array, !validateArray(node, rules, elements, collect: collect) {
                guard collect else { return false }
                valid = false
            }
        case .null, .bool:
            break
        }
        if let applicators = node.applicators, !validateApplicators(node, applicators, instance, collect: collect) {
            valid = false
        }
        return valid
    }

    /// Validates a child value one step down the instance.
    mutating func validate(_ index: Int, _ instance: JSON, at token: PathToken, collect: Bool) -> Bool {
        path.append(token)
        defer { path.removeLast() }
        return validate(index, instance, collect: collect)
    }

    static func admits(_ types: SchemaTypeSet, _ instance: JSON) -> Bool {
        switch instance {
        case .null: return types.contains(.null)
        case .bool: return types.contains(.boolean)
        case .string: return types.contains(.string)
        case .object: return types.contains(.object)
        case .array: return types.contains(.array)
        case .number(let number):
            return types.contains(.number) || (types.contains(.integer) && isInteger(number))
        }
    }

    static func isInteger(_ number: JSONNumber) -> Bool {
        let plain = !number.literal.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        return plain || SchemaDecimal(number).isInteger
    }

    /// Records a violation at the current instance path (plus `extra`, if given).
    /// A `nil` keyword means the `false` schema itself: its location is the schema path.
    mutating func report(
        _ node: SchemaNode, keyword: String?, _ message: String, suggestion: String? = nil,
        pointsAtKey: Bool = false, at extra: PathToken? = nil
    ) {
        var instancePath = path.map(Self.text)
        if let extra { instancePath.append(Self.text(extra)) }
        violations.append(
            SchemaViolation(
                instancePath: instancePath, keyword: keyword ?? "false",
                schemaPath: keyword.map { node.location + [$0] } ?? node.location, message: message,
                suggestion: suggestion, pointsAtKey: pointsAtKey))
    }

    private static func text(_ token: PathToken) -> String {
        switch token {
        case .key(let key): return key
        case .index(let index): return String(index)
        }
    }

    private mutating func validateString(
        _ node: SchemaNode, _ rules: SchemaNode.StringRules, _ text: String, collect: Bool
    ) -> Bool {
        var valid = true
        if rules.minLength != nil || rules.maxLength != nil {
            // JSON Schema counts code points; a UTF-8 length within the bound settles most cases.
            let bytes = text.utf8.count
            if let maximum = rules.maxLength, bytes > maximum {
                let length = text.unicodeScalars.count
                if length > maximum {
                    guard collect else { return false }
                    valid = false
                    report(node, keyword: "maxLength", SchemaMessage.atMost(maximum, "character", is: length))
                }
            }
            // A code point takes at most 4 bytes, so `bytes / 4` code points there are at least.
            if let minimum = rules.minLength, minimum > 0, bytes / 4 < minimum {
                let length = text.unicodeScalars.count
                if length < minimum {
                    guard collect else { return false }
                    valid = false
                    report(node, keyword: "minLength", SchemaMessage.atLeast(minimum, "character", is: length))
                }
            }
        }
        if let pattern = rules.pattern, !pattern.matches(text) {
            guard collect else { return false }
            valid = false
            // A pattern is opaque to people: the schema's description says what it wants.
            report(node, keyword: "pattern", SchemaMessage.pattern(pattern.source), suggestion: node.description)
        }
        return valid
    }

    private mutating func validateNumber(
        _ node: SchemaNode, _ rules: SchemaNode.NumberRules, _ number: JSONNumber, collect: Bool
    ) -> Bool {
        var valid = true
        let value = SchemaNumberValue(number)
        if let bound = rules.minimum, value.compare(to: bound) < 0 {
            guard collect else { return false }
            valid = false
            report(node, keyword: "minimum", "must be at least \(bound.literal) (is \(number.literal))")
        }
        if let bound = rules.maximum, value.compare(to: bound) > 0 {
            guard collect else { return false }
            valid = false
            report(node, keyword: "maximum", "must be at most \(bound.literal) (is \(number.literal))")
        }
        if let bound = rules.exclusiveMinimum, value.compare(to: bound) <= 0 {
            guard collect else { return false }
            valid = false
            report(node, keyword: "exclusiveMinimum", "must be greater than \(bound.literal) (is \(number.literal))")
        }
        if let bound = rules.exclusiveMaximum, value.compare(to: bound) >= 0 {
            guard collect else { return false }
            valid = false
            report(node, keyword: "exclusiveMaximum", "must be less than \(bound.literal) (is \(number.literal))")
        }
        if let divisor = rules.multipleOf, !value.isMultiple(of: divisor) {
            guard collect else { return false }
            valid = false
            report(node, keyword: "multipleOf", "must be a multiple of \(divisor.literal) (is \(number.literal))")
        }
        return valid
    }
}
