/// Answers whether a value of a parsed document is valid, reading the document's tape in
/// place: no owned `JSON` tree, no strings made for names or values that are only compared.
///
/// It answers yes or no only, like `SchemaValidator` with `collect` false, and must always
/// agree with it (the JSON Schema suite checks both): a caller that needs the violations runs
/// `JSONSchema.validate` on the tree when this says no. Numbers, and nodes using
/// `unevaluatedProperties`, `unevaluatedItems` or `dependentSchemas`, are handed to the tree
/// validator on the value materialized: they are rare, and their rules then live in one place.
///
/// For `{"name": "web", "type": "apiKey"}` against a schema with `properties`, `required` and
/// `additionalProperties: false`, one pass over the two members looks each key up by its
/// bytes, marks `name` and `type` present, and checks each value where it lies in the input.
struct SchemaTapeValidator {
    let nodes: [SchemaNode]
    let rules: [SchemaTapeRules]
    let view: JSONTapeView
    let replacements: JSONStringReplacements
    /// Made on first use (most documents never need it).
    private var tree: SchemaValidator?

    init(nodes: [SchemaNode], rules: [SchemaTapeRules], view: JSONTapeView, replacements: JSONStringReplacements) {
        self.nodes = nodes
        self.rules = rules
        self.view = view
        self.replacements = replacements
    }

    /// Whether the value at tape index `value` is valid against node `index`.
    mutating func valid(_ index: Int, _ value: Int) -> Bool {
        let node = nodes[index]
        switch node.kind {
        case .alwaysValid: return true
        case .alwaysInvalid: return false
        case .rules: break
        }
        let kind = view.kind(value)
        let tapeRules = rules[index]
        if kind == .number || tapeRules.needsTree { return validOnTree(index, value) }
        if let types = node.types, !Self.admits(types, kind) { return false }
        if let enumeration = node.enumeration, !contains(enumeration, tapeRules, value, kind) { return false }
        if let constant = node.constant {
            if let text = tapeRules.constantString {
                guard kind == .string, stringEquals(value, text) else { return false }
            } else if !SchemaEquality.equal(constant, json(value)) {
                return false
            }
        }
        switch kind {
        case .string:
            if let stringRules = node.string, !validString(stringRules, value) { return false }
        case .object:
            if let objectRules = node.object, !validObject(objectRules, tapeRules, value) { return false }
        case .array:
            if let arrayRules = node.array, !validArray(arrayRules, value) { return false }
        default:
            break
        }
        if let applicators = node.applicators, !validApplicators(applicators, value) { return false }
        return true
    }

    private mutating func validOnTree(_ index: Int, _ value: Int) -> Bool {
        if tree == nil { tree = SchemaValidator(nodes: nodes) }
        let instance = json(value)
        return tree?.validate(index, instance, collect: false) ?? false
    }

    private static func admits(_ types: SchemaTypeSet, _ kind: JSONKind) -> Bool {
        switch kind {
        case .null: types.contains(.null)
        case .bool: types.contains(.boolean)
        case .string: types.contains(.string)
        case .object: types.contains(.object)
        case .array: types.contains(.array)
        case .number: types.contains(.number) || types.contains(.integer)
        }
    }

    // MARK: - Strings

    /// Calls `body` with the UTF-8 of the string at `value`, after any replacement.
    @inline(__always)
    private func withString<R>(_ value: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if !replacements.isEmpty, var text = replacements.replacement(tapeIndex: value) { return text.withUTF8(body) }
        if view.isPlainString(value) { return body(view.rawString(value)) }
        return view.stringBytes(value).withUnsafeBufferPointer(body)
    }

    private func stringEquals(_ value: Int, _ text: [UInt8]) -> Bool {
        withString(value) { utf8 in utf8.elementsEqual(text) }
    }

    private func contains(_ enumeration: SchemaEnumeration, _ tapeRules: SchemaTapeRules, _ value: Int, _ kind: JSONKind) -> Bool {
        guard kind == .string else {
            return enumeration.strings == nil && enumeration.contains(json(value))
        }
        return withString(value) { utf8 in
            for text in tapeRules.enumerationStrings where text.count == utf8.count && utf8.elementsEqual(text) { return true }
            return false
        }
    }

    private func validString(_ stringRules: SchemaNode.StringRules, _ value: Int) -> Bool {
        withString(value) { utf8 in
            // JSON Schema counts code points; the UTF-8 length settles most cases (see SchemaValidator).
            if let maximum = stringRules.maxLength, utf8.count > maximum, Self.scalarCount(utf8) > maximum { return false }
            if let minimum = stringRules.minLength, minimum > 0, utf8.count / 4 < minimum, Self.scalarCount(utf8) < minimum {
                return false
            }
            if let pattern = stringRules.pattern, !pattern.matches(utf8: utf8) { return false }
            return true
        }
    }

    private static func scalarCount(_ utf8: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        for byte in utf8 where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }

    // MARK: - Objects

    private mutating func validObject(_ objectRules: SchemaNode.ObjectRules, _ tapeRules: SchemaTapeRules, _ value: Int) -> Bool {
        let end = view.end(of: value)
        if objectRules.minProperties != nil || objectRules.maxProperties != nil {
            var count = 0
            var k = value + 1
            while k < end {
                count += 1
                k = view.next(after: k + 1)
            }
            if let minimum = objectRules.minProperties, count < minimum { return false }
            if let maximum = objectRules.maxProperties, count > maximum { return false }
        }
        // Declared properties seen, by position in `properties` (the first 64).
        var present: UInt64 = 0
        if objectRules.visitsMembers {
            var k = value + 1
            while k < end {
                guard validMember(objectRules, tapeRules, key: k, present: &present) else { return false }
                k = view.next(after: k + 1)
            }
        }
        for (position, name) in tapeRules.required.enumerated() {
            let property = tapeRules.requiredProperty[position]
            if objectRules.visitsMembers, property >= 0, property < 64 {
                if present & (1 << UInt64(property)) == 0 { return false }
            } else if !has(value, name) {
                return false
            }
        }
        for entry in tapeRules.dependentRequired where has(value, entry.name) {
            for name in entry.requires where !has(value, name) { return false }
        }
        return true
    }

    /// One member: its declared property, matching patterns, `additionalProperties` and
    /// `propertyNames`.
    private mutating func validMember(
        _ objectRules: SchemaNode.ObjectRules, _ tapeRules: SchemaTapeRules, key: Int, present: inout UInt64
    ) -> Bool {
        let member = key + 1
        var matched = false
        if !objectRules.properties.isEmpty, let position = withString(key, tapeRules.properties.index(of:)) {
            matched = true
            if position < 64 { present |= 1 << UInt64(position) }
            if !validProperty(objectRules.properties[position].node, member) { return false }
        }
        for entry in objectRules.patternProperties where withString(key, entry.pattern.matches(utf8:)) {
            matched = true
            if !validProperty(entry.node, member) { return false }
        }
        if !matched, let additional = objectRules.additionalProperties {
            if nodes[additional].kind == .alwaysInvalid { return false }
            if !valid(additional, member) { return false }
        }
        if let names = objectRules.propertyNames, !valid(names, key) { return false }
        return true
    }

    private mutating func validProperty(_ child: Int, _ member: Int) -> Bool {
        nodes[child].kind != .alwaysInvalid && valid(child, member)
    }

    /// Whether the object at `value` has a member named `name`.
    private func has(_ value: Int, _ name: [UInt8]) -> Bool {
        let end = view.end(of: value)
        var k = value + 1
        while k < end {
            if name.withUnsafeBufferPointer({ view.string(k, equals: $0) }) { return true }
            k = view.next(after: k + 1)
        }
        return false
    }

    // MARK: - Arrays

    private mutating func validArray(_ arrayRules: SchemaNode.ArrayRules, _ value: Int) -> Bool {
        let end = view.end(of: value)
        var count = 0
        var k = value + 1
        while k < end {
            count += 1
            k = view.next(after: k)
        }
        if let minimum = arrayRules.minItems, count < minimum { return false }
        if let maximum = arrayRules.maxItems, count > maximum { return false }
        if arrayRules.uniqueItems {
            var elements: [JSON] = []
            k = value + 1
            while k < end {
                elements.append(json(k))
                k = view.next(after: k)
            }
            if !SchemaValidator.duplicates(elements).isEmpty { return false }
        }
        let prefix = arrayRules.prefixItems.count
        k = value + 1
        var position = 0
        while k < end {
            if position < prefix {
                if !valid(arrayRules.prefixItems[position], k) { return false }
            } else if let items = arrayRules.items {
                if nodes[items].kind == .alwaysInvalid || !valid(items, k) { return false }
            }
            position += 1
            k = view.next(after: k)
        }
        if let contains = arrayRules.contains {
            var matches = 0
            k = value + 1
            while k < end {
                if valid(contains, k) {
                    matches += 1
                    if arrayRules.maxContains == nil, matches >= arrayRules.minContains { return true }
                }
                k = view.next(after: k)
            }
            if matches < arrayRules.minContains { return false }
            if let maximum = arrayRules.maxContains, matches > maximum { return false }
        }
        return true
    }

    // MARK: - Applicators

    private mutating func validApplicators(_ applicators: SchemaNode.Applicators, _ value: Int) -> Bool {
        if let reference = applicators.reference, !valid(reference, value) { return false }
        for child in applicators.allOf where !valid(child, value) { return false }
        if !applicators.anyOf.isEmpty {
            var any = false
            for child in applicators.anyOf where valid(child, value) {
                any = true
                break
            }
            if !any { return false }
        }
        if !applicators.oneOf.isEmpty {
            var matching = 0
            for child in applicators.oneOf where valid(child, value) {
                matching += 1
                if matching == 2 { return false }
            }
            if matching != 1 { return false }
        }
        if let not = applicators.not, valid(not, value) { return false }
        if let condition = applicators.condition {
            let branch = valid(condition, value) ? applicators.then : applicators.otherwise
            if let branch, !valid(branch, value) { return false }
        }
        return true
    }

    // MARK: - Materializing

    /// The value at `index` as an owned tree, with replacements applied.
    func json(_ index: Int) -> JSON {
        switch view.kind(index) {
        case .null: return .null
        case .bool: return .bool(view.bool(index) ?? false)
        case .number:
            return .number(JSONNumber(literal: String(decoding: view.bytes[view.byteRange(index)], as: UTF8.self)))
        case .string: return .string(replacements.replacement(tapeIndex: index) ?? view.string(index))
        case .array:
            var elements: [JSON] = []
            let end = view.end(of: index)
            var k = index + 1
            while k < end {
                elements.append(json(k))
                k = view.next(after: k)
            }
            return .array(elements)
        case .object:
            var members: [JSONMember] = []
            let end = view.end(of: index)
            var k = index + 1
            while k < end {
                members.append(JSONMember(view.string(k), json(k + 1)))
                k = view.next(after: k + 1)
            }
            return .object(members)
        }
    }
}
