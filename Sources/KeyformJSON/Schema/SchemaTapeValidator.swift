/// Answers whether a value of a parsed document is valid, reading the document's tape in
/// place: no owned `JSON` tree, no strings made for names or values that are only compared,
/// and (through `SchemaTapeProgram`) no reference counting on the way.
///
/// It answers yes or no only, like `SchemaValidator` with `collect` false, and must always
/// agree with it (the JSON Schema suite checks both): a caller that needs the violations runs
/// `JSONSchema.validate` on the tree when this says no. Numbers, and the nodes the program
/// marks `needsTree`, are handed to the tree validator on the value materialized: they are
/// rare in practice, and their rules then live in one place.
///
/// For `{"name": "web", "type": "apiKey"}` against a schema with `properties`, `required` and
/// `additionalProperties: false`, the two keys are numbered once by their bytes; one pass over
/// the members then finds each declared property by its number, marks `name` and `type`
/// present for `required`, and checks each value where it lies in the input.
///
/// A class, so that the walk passes one reference around rather than copying its state.
final class SchemaTapeValidator {
    let nodes: [SchemaNode]
    let program: SchemaTapeProgram.Buffers
    let view: JSONTapeView
    let replacements: JSONStringReplacements
    private let hasReplacements: Bool
    /// Made on first use (most documents never need it).
    private var tree: SchemaValidator?

    /// The members of the objects on the current path, with their keys numbered as property
    /// names (-1 for a name no node knows): the walk applies several subschemas to one object
    /// (`$ref`, each `if` and `then`), and numbering its keys once serves them all. Entries
    /// `0..<memberCount` of `memberNames`/`memberValues`; the objects, nested, in `openObjects`,
    /// each with the set of its keys' name numbers below 64.
    let memberNames: UnsafeMutablePointer<Int32>
    let memberValues: UnsafeMutablePointer<Int>
    var memberCount = 0
    let openObjects: UnsafeMutablePointer<(object: Int, end: Int, start: Int, count: Int, names: UInt64)>
    var openCount = 0

    /// - Parameter nodeCount: the number of tape nodes (bounds the members open at once).
    init(
        nodes: [SchemaNode], program: SchemaTapeProgram, view: JSONTapeView, nodeCount: Int, replacements: JSONStringReplacements
    ) {
        self.nodes = nodes
        self.program = program.buffers
        self.view = view
        self.replacements = replacements
        self.hasReplacements = !replacements.isEmpty
        memberNames = .allocate(capacity: nodeCount)
        memberValues = .allocate(capacity: nodeCount)
        // Open objects are nested, so there are at most as many as the nesting limit allows.
        openObjects = .allocate(capacity: JSONDocument.maximumDepth + 2)
    }

    deinit {
        memberNames.deallocate()
        memberValues.deallocate()
        openObjects.deallocate()
    }

    /// Whether the value at tape index `value` is valid against node `index`.
    func valid(_ index: Int, _ value: Int) -> Bool {
        let node = program.nodes + index
        if node.pointee.isLeaf { return validLeaf(index, node, value) }
        if node.pointee.memberTest >= 0 { return validMemberTest(node, value) }
        let kind = view.kind(value)
        if kind == .number || node.pointee.needsTree { return validOnTree(index, value) }
        guard validValue(node, value, kind) else { return false }
        switch kind {
        case .string:
            if node.pointee.hasStringRules, !validString(node, value) { return false }
        case .object:
            if node.pointee.hasObject, !validObject(node, value) { return false }
        case .array:
            if node.pointee.hasArray, !validArray(node, value) { return false }
        default:
            break
        }
        if node.pointee.hasApplicators, !validApplicators(node, value) { return false }
        return true
    }

    /// `valid` for a subschema of an object or array: leaves (no object, array or applicator
    /// keywords, most of a schema's nodes) are checked here without a call.
    @inline(__always)
    func validChild(_ index: Int, _ value: Int) -> Bool {
        let node = program.nodes + index
        if node.pointee.isLeaf { return validLeaf(index, node, value) }
        return valid(index, value)
    }

    /// `false` as a property's (or items') schema forbids it; otherwise the value is checked.
    func validProperty(_ child: Int, _ member: Int) -> Bool {
        program.nodes[child].kind != 1 && validChild(child, member)
    }

    @inline(__always)
    private func validLeaf(_ index: Int, _ node: UnsafeMutablePointer<SchemaTapeProgram.Node>, _ value: Int) -> Bool {
        if node.pointee.kind != 2 { return node.pointee.kind == 0 }
        let kind = view.kind(value)
        if kind == .number || node.pointee.needsTree { return validOnTree(index, value) }
        guard validValue(node, value, kind) else { return false }
        return kind != .string || !node.pointee.hasStringRules || validString(node, value)
    }

    /// `type`, `enum` and `const`.
    @inline(__always)
    private func validValue(_ node: UnsafeMutablePointer<SchemaTapeProgram.Node>, _ value: Int, _ kind: JSONKind) -> Bool {
        if node.pointee.hasTypes, node.pointee.types & Self.typeBit(kind) == 0 { return false }
        if node.pointee.hasEnumeration {
            guard kind == .string, withString(value, { utf8 in node.pointee.enumeration.contains { program.equals($0, utf8) } }) else {
                return false
            }
        }
        if node.pointee.constant >= 0 {
            guard kind == .string, withString(value, { program.equals(node.pointee.constant, $0) }) else { return false }
        }
        return true
    }

    private func validOnTree(_ index: Int, _ value: Int) -> Bool {
        if tree == nil { tree = SchemaValidator(nodes: nodes) }
        let instance = json(value)
        return tree?.validate(index, instance, collect: false) ?? false
    }

    /// The `SchemaTypeSet` bits that admit a value of `kind` (numbers go to the tree validator).
    @inline(__always)
    private static func typeBit(_ kind: JSONKind) -> UInt8 {
        switch kind {
        case .null: SchemaTypeSet.null.rawValue
        case .bool: SchemaTypeSet.boolean.rawValue
        case .string: SchemaTypeSet.string.rawValue
        case .object: SchemaTypeSet.object.rawValue
        case .array: SchemaTypeSet.array.rawValue
        case .number: SchemaTypeSet.number.rawValue | SchemaTypeSet.integer.rawValue
        }
    }

    // MARK: - Strings

    /// Calls `body` with the UTF-8 of the string at `value`, after any replacement.
    @inline(__always)
    func withString<R>(_ value: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if hasReplacements, var text = replacements.replacement(tapeIndex: value) { return text.withUTF8(body) }
        if view.isPlainString(value) { return body(view.rawString(value)) }
        return view.stringBytes(value).withUnsafeBufferPointer(body)
    }

    private func validString(_ node: UnsafeMutablePointer<SchemaTapeProgram.Node>, _ value: Int) -> Bool {
        withString(value) { utf8 in
            // JSON Schema counts code points; the UTF-8 length settles most cases (see SchemaValidator).
            if node.pointee.maxLength >= 0, utf8.count > node.pointee.maxLength, Self.scalarCount(utf8) > node.pointee.maxLength { return false }
            if node.pointee.minLength > 0, utf8.count / 4 < node.pointee.minLength, Self.scalarCount(utf8) < node.pointee.minLength { return false }
            if node.pointee.pattern >= 0, !program.matches(node.pointee.pattern, utf8) { return false }
            return true
        }
    }

    private static func scalarCount(_ utf8: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        for byte in utf8 where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }

    // MARK: - Arrays

    private func validArray(_ node: UnsafeMutablePointer<SchemaTapeProgram.Node>, _ value: Int) -> Bool {
        let end = view.end(of: value)
        if node.pointee.minItems >= 0 || node.pointee.maxItems >= 0 {
            var count = 0
            var k = value + 1
            while k < end {
                count += 1
                k = view.next(after: k)
            }
            if node.pointee.minItems >= 0, count < node.pointee.minItems { return false }
            if node.pointee.maxItems >= 0, count > node.pointee.maxItems { return false }
        }
        var k = value + 1
        var position = 0
        while k < end {
            if position < node.pointee.prefixItems.count {
                if !validChild(program.lists[node.pointee.prefixItems.lowerBound + position], k) { return false }
            } else if node.pointee.items >= 0 {
                if !validProperty(node.pointee.items, k) { return false }
            }
            position += 1
            k = view.next(after: k)
        }
        if node.pointee.contains >= 0 {
            var matches = 0
            k = value + 1
            while k < end {
                if validChild(node.pointee.contains, k) {
                    matches += 1
                    if node.pointee.maxContains < 0, matches >= node.pointee.minContains { return true }
                }
                k = view.next(after: k)
            }
            if matches < node.pointee.minContains { return false }
            if node.pointee.maxContains >= 0, matches > node.pointee.maxContains { return false }
        }
        return true
    }

    // MARK: - Applicators

    private func validApplicators(_ node: UnsafeMutablePointer<SchemaTapeProgram.Node>, _ value: Int) -> Bool {
        if node.pointee.reference >= 0, !validChild(node.pointee.reference, value) { return false }
        for position in node.pointee.allOf where !validChild(program.lists[position], value) { return false }
        if !node.pointee.anyOf.isEmpty {
            var any = false
            for position in node.pointee.anyOf where validChild(program.lists[position], value) {
                any = true
                break
            }
            if !any { return false }
        }
        if !node.pointee.oneOf.isEmpty {
            var matching = 0
            for position in node.pointee.oneOf where validChild(program.lists[position], value) {
                matching += 1
                if matching == 2 { return false }
            }
            if matching != 1 { return false }
        }
        if node.pointee.not >= 0, validChild(node.pointee.not, value) { return false }
        if node.pointee.condition >= 0 {
            let branch = validChild(node.pointee.condition, value) ? node.pointee.then : node.pointee.otherwise
            if branch >= 0, !validChild(branch, value) { return false }
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
