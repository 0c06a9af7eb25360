/// The compiled schema flattened for validating in place (`SchemaTapeValidator`): every node
/// a plain value, lists of subschemas, names and pattern tables in shared buffers, so that
/// the walk over 10,000 integrations reads memory and does no reference counting.
///
/// Property names are numbered across the whole schema (`names`), and each object node has a
/// row of `positions` giving, for each name number, the property's position in the node (or
/// -1). The validator numbers an object's keys once and then finds each node's properties by
/// table lookups. For `{"properties": {"name": {"pattern": "^a"}}, "required": ["name"]}`:
/// name 0 is "name"; node 0 has one property (name 0, subschema 1), one `required` entry
/// (property position 0, name 0) and the positions row [0]; node 1 has pattern 0.
///
/// What this does not flatten is left to the tree validator, by marking the node
/// `needsTree`: `unevaluatedProperties`, `unevaluatedItems`, `dependentSchemas`,
/// `dependentRequired`, `uniqueItems`, and `enum`/`const` with values other than strings.
final class SchemaTapeProgram: @unchecked Sendable {
    // @unchecked Sendable: every buffer is filled in `init`, only read afterwards, and freed
    // in `deinit`.

    struct Node {
        /// 0: always valid, 1: always invalid, 2: check the rules below.
        var kind: UInt8 = 2
        var needsTree = false
        var hasTypes = false
        var types: UInt8 = 0
        /// `enum`'s strings: a range of `strings`, when `hasEnumeration`.
        var hasEnumeration = false
        var enumeration = 0..<0
        /// `const`'s string, an index into `strings`, or -1.
        var constant = -1
        var minLength = -1, maxLength = -1
        /// Index into `automata`, or -1.
        var pattern = -1
        /// `minLength`, `maxLength` or `pattern` is there.
        var hasStringRules = false
        /// No object, array or applicator keywords (nor `needsTree`), or a boolean schema:
        /// checked without descending.
        var isLeaf = false
        var hasObject = false
        /// Ranges of `properties` and `patternProperties`; `required` entries.
        var properties = 0..<0
        var patternProperties = 0..<0
        var required = 0..<0
        /// Start of this node's row of `positions`, or -1 when it declares no properties.
        var positions = -1
        var additionalProperties = -1, propertyNames = -1, minProperties = -1, maxProperties = -1
        var visitsMembers = false
        /// Only `properties` looks at members (no patterns, `additionalProperties` or names).
        var onlyProperties = false
        var hasArray = false
        /// A range of `lists`.
        var prefixItems = 0..<0
        var items = -1, contains = -1, minContains = 1, maxContains = -1, minItems = -1, maxItems = -1
        var hasApplicators = false
        var reference = -1
        /// Ranges of `lists`.
        var allOf = 0..<0, anyOf = 0..<0, oneOf = 0..<0
        var not = -1, condition = -1, then = -1, otherwise = -1
        /// For a node that only says something about one member (`{"required": ["type"]}`,
        /// `{"properties": {"redirectUris": false}}`, or `{"properties": {"type": {"const":
        /// "oauth"}}, "required": ["type"]}`, the usual `if` and `then` of a conditional): that
        /// member's name number, else -1. Such a node is checked by `memberTestNode` (a leaf,
        /// or -1) on the member, and `memberTestRequired` says whether the member must be there.
        var memberTest = -1
        var memberTestNode = -1
        var memberTestRequired = false
    }

    /// A string as a range of `bytes`, packed for quick comparison.
    struct Text {
        var start: Int
        var packed: PackedName
    }

    /// A declared property: its name's number and its subschema.
    struct Property {
        var name: Int
        var node: Int
    }

    /// A `required` name: its position among the node's properties when declared there (and
    /// under 64, so it fits the bit set of properties seen), else -1; and its name's number.
    struct Required {
        var property: Int
        var name: Int
    }

    /// A `pattern` for ASCII input: a class run (see `ECMAPattern.ClassRun`), or an automaton
    /// as slices of `transitions` and `acceptsAtEnd`; otherwise `ECMAPattern` decides.
    struct Automaton {
        var hasRun = false
        var run = ECMAPattern.ClassRun(low: 0, high: 0, minimum: 0, maximum: -1)
        var hasTable = false
        var transitions = 0
        var acceptsAtEnd = 0
        var matched = -1
        var dead = -1
    }

    let nodes: UnsafeMutablePointer<Node>
    let properties: UnsafeMutablePointer<Property>
    /// `patternProperties` entries: (index into `automata`, subschema).
    let patternProperties: UnsafeMutablePointer<(pattern: Int, node: Int)>
    let required: UnsafeMutablePointer<Required>
    /// Rows of property positions by name number, one per object node with properties.
    let positions: UnsafeMutablePointer<Int32>
    /// Subschema lists (`allOf`, `anyOf`, `oneOf`, `prefixItems`).
    let lists: UnsafeMutablePointer<Int>
    /// Property names by number, then `enum` and `const` strings.
    let strings: UnsafeMutablePointer<Text>
    let bytes: UnsafeMutablePointer<UInt8>
    /// The number of property names (the first `nameCount` of `strings`).
    let nameCount: Int
    /// Open addressing over the names: name number + 1 per slot, 0 when empty.
    let nameSlots: UnsafeMutablePointer<Int32>
    let nameSlotMask: Int
    let automata: UnsafeMutablePointer<Automaton>
    let transitions: UnsafeMutablePointer<UInt16>
    let acceptsAtEnd: UnsafeMutablePointer<Bool>
    /// Every pattern, for what its automaton cannot decide.
    let patterns: [ECMAPattern]

    init(_ compiled: [SchemaNode]) {
        var builder = Builder(compiled)
        var flat = compiled.map { builder.node($0) }
        builder.skipReferences(&flat)
        builder.markMemberTests(&flat)
        nodes = .filled(flat)
        properties = .filled(builder.properties)
        patternProperties = .filled(builder.patternProperties)
        required = .filled(builder.required)
        positions = .filled(builder.positions)
        lists = .filled(builder.lists)
        strings = .filled(builder.strings)
        bytes = .filled(builder.bytes)
        nameCount = builder.nameCount
        nameSlots = .filled(builder.nameSlots)
        nameSlotMask = builder.nameSlots.count - 1
        automata = .filled(builder.automata)
        transitions = .filled(builder.transitions)
        acceptsAtEnd = .filled(builder.acceptsAtEnd)
        patterns = builder.patterns
    }

    deinit {
        nodes.deallocate()
        properties.deallocate()
        patternProperties.deallocate()
        required.deallocate()
        positions.deallocate()
        lists.deallocate()
        strings.deallocate()
        bytes.deallocate()
        nameSlots.deallocate()
        automata.deallocate()
        transitions.deallocate()
        acceptsAtEnd.deallocate()
    }

    /// The buffers, to read without reference counting; valid while the program lives.
    var buffers: Buffers { Buffers(self) }
}

extension UnsafeMutablePointer {
    /// A new buffer holding `elements` (deallocate it when done; never empty, so never nil).
    static func filled(_ elements: [Pointee]) -> UnsafeMutablePointer<Pointee> {
        let buffer = UnsafeMutablePointer<Pointee>.allocate(capacity: Swift.max(1, elements.count))
        buffer.initialize(from: elements, count: elements.count)
        return buffer
    }
}
