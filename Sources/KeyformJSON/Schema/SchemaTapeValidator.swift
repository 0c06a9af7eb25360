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
/// `additionalProperties: false`, one pass over the two members looks each key up by its
/// bytes, marks `name` and `type` present, and checks each value where it lies in the input.
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
    /// `0..<memberCount` of `memberNames`/`memberValues`; the objects, nested, in `openObjects`.
    private let memberNames: UnsafeMutablePointer<Int32>
    private let memberValues: UnsafeMutablePointer<Int>
    private var memberCount = 0
    private let openObjects: UnsafeMutablePointer<(object: Int, end: Int, start: Int, count: Int)>
    private var openCount = 0

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
        if node.pointee.kind != 2 { return node.pointee.kind == 0 }
        let kind = view.kind(value)
        if kind == .number || node.pointee.needsTree { return validOnTree(index, value) }
        if node.pointee.hasTypes, !Self.admits(SchemaTypeSet(rawValue: node.pointee.types), kind) { return false }
        if node.pointee.hasEnumeration {
            guard kind == .string, withString(value, { utf8 in node.pointee.enumeration.contains { program.equals($0, utf8) } }) else {
                return false
            }
        }
        if node.pointee.constant >= 0 {
            guard kind == .string, withString(value, { program.equals(node.pointee.constant, $0) }) else { return false }
        }
        switch kind {
        case .string:
            if node.pointee.minLength >= 0 || node.pointee.maxLength >= 0 || node.pointee.pattern >= 0, !validString(node, value) { return false }
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

    private func validOnTree(_ index: Int, _ value: Int) -> Bool {
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

    // MARK: - Objects

    /// The entries of `memberNames`/`memberValues` for the object at `object`, numbered now
    /// unless it is open already. Objects that do not contain it are closed first.
    private func members(of object: Int) -> Range<Int> {
        while openCount > 0 {
            let top = openObjects[openCount - 1]
            if top.object == object { return top.start..<(top.start + top.count) }
            if top.object < object, object < top.end { break }
            openCount -= 1
            memberCount = top.start
        }
        let end = view.end(of: object)
        let start = memberCount
        var k = object + 1
        while k < end {
            memberNames[memberCount] = view.isPlainString(k)
                ? program.nameNumber(view.rawString(k))
                : view.stringBytes(k).withUnsafeBufferPointer(program.nameNumber)
            memberValues[memberCount] = k + 1
            memberCount += 1
            k = view.next(after: k + 1)
        }
        openObjects[openCount] = (object, end, start, memberCount - start)
        openCount += 1
        return start..<memberCount
    }

    private func validObject(_ node: UnsafeMutablePointer<SchemaTapeProgram.Node>, _ value: Int) -> Bool {
        let members = members(of: value)
        if node.pointee.minProperties >= 0, members.count < node.pointee.minProperties { return false }
        if node.pointee.maxProperties >= 0, members.count > node.pointee.maxProperties { return false }
        // Declared properties seen, by position in `properties` (the first 64).
        var present: UInt64 = 0
        if node.pointee.visitsMembers {
            let properties = node.pointee.properties
            if node.pointee.onlyProperties, properties.count <= 4 {
                // Find each declared property among the members.
                for entry in properties {
                    let name = Int32(program.properties[entry].name)
                    for member in members where memberNames[member] == name {
                        let position = entry - properties.lowerBound
                        if position < 64 { present |= 1 << UInt64(position) }
                        if !validProperty(program.properties[entry].node, memberValues[member]) { return false }
                    }
                }
            } else {
                for member in members where !validMember(node, member, present: &present) { return false }
            }
        }
        for entry in node.pointee.required {
            let required = program.required[entry]
            if node.pointee.visitsMembers, required.property >= 0 {
                if present & (1 << UInt64(required.property)) == 0 { return false }
            } else if !members.contains(where: { memberNames[$0] == Int32(required.name) }) {
                return false
            }
        }
        return true
    }

    /// One member: its declared property, matching patterns, `additionalProperties` and
    /// `propertyNames`.
    private func validMember(_ node: UnsafeMutablePointer<SchemaTapeProgram.Node>, _ member: Int, present: inout UInt64) -> Bool {
        let value = memberValues[member]
        let key = value - 1
        var matched = false
        let name = Int(memberNames[member])
        if node.pointee.positions >= 0, name >= 0 {
            let position = Int(program.positions[node.pointee.positions + name])
            if position >= 0 {
                matched = true
                if position < 64 { present |= 1 << UInt64(position) }
                if !validProperty(program.properties[node.pointee.properties.lowerBound + position].node, value) { return false }
            }
        }
        for entry in node.pointee.patternProperties {
            let (pattern, child) = program.patternProperties[entry]
            if withKey(key, { program.matches(pattern, $0) }) {
                matched = true
                if !validProperty(child, value) { return false }
            }
        }
        if !matched, node.pointee.additionalProperties >= 0, !validProperty(node.pointee.additionalProperties, value) { return false }
        if node.pointee.propertyNames >= 0, !valid(node.pointee.propertyNames, key) { return false }
        return true
    }

    /// Calls `body` with the UTF-8 of the key at `key` (keys are never replaced).
    @inline(__always)
    private func withKey<R>(_ key: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if view.isPlainString(key) { return body(view.rawString(key)) }
        return view.stringBytes(key).withUnsafeBufferPointer(body)
    }

    /// `false` as a property's schema forbids the property; otherwise its value is checked.
    private func validProperty(_ child: Int, _ member: Int) -> Bool {
        program.nodes[child].kind != 1 && valid(child, member)
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
                if !valid(program.lists[node.pointee.prefixItems.lowerBound + position], k) { return false }
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
                if valid(node.pointee.contains, k) {
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
        if node.pointee.reference >= 0, !valid(node.pointee.reference, value) { return false }
        for position in node.pointee.allOf where !valid(program.lists[position], value) { return false }
        if !node.pointee.anyOf.isEmpty {
            var any = false
            for position in node.pointee.anyOf where valid(program.lists[position], value) {
                any = true
                break
            }
            if !any { return false }
        }
        if !node.pointee.oneOf.isEmpty {
            var matching = 0
            for position in node.pointee.oneOf where valid(program.lists[position], value) {
                matching += 1
                if matching == 2 { return false }
            }
            if matching != 1 { return false }
        }
        if node.pointee.not >= 0, valid(node.pointee.not, value) { return false }
        if node.pointee.condition >= 0 {
            let branch = valid(node.pointee.condition, value) ? node.pointee.then : node.pointee.otherwise
            if branch >= 0, !valid(branch, value) { return false }
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
