extension SchemaTapeProgram {
    /// Flattens compiled nodes into the program's buffers (see `SchemaTapeProgram`).
    struct Builder {
        var properties: [Property] = []
        var patternProperties: [(pattern: Int, node: Int)] = []
        var required: [Required] = []
        var positions: [Int32] = []
        var lists: [Int] = []
        var strings: [Text] = []
        var bytes: [UInt8] = []
        let nameCount: Int
        var nameSlots: [Int32]
        var automata: [Automaton] = []
        var transitions: [UInt16] = []
        var acceptsAtEnd: [Bool] = []
        var patterns: [ECMAPattern] = []
        /// Name numbers by name, while building.
        private var names: [SchemaKey: Int] = [:]

        /// Numbers every property name and `required` name first, so that they are the first
        /// `nameCount` strings.
        init(_ compiled: [SchemaNode]) {
            var ordered: [String] = []
            var numbers: [SchemaKey: Int] = [:]
            for node in compiled {
                for name in (node.object?.properties.map(\.name) ?? []) + (node.object?.required ?? [])
                where numbers[SchemaKey(text: name)] == nil {
                    numbers[SchemaKey(text: name)] = ordered.count
                    ordered.append(name)
                }
            }
            nameCount = ordered.count
            var size = 16
            while size < ordered.count * 4 { size <<= 1 }
            nameSlots = [Int32](repeating: 0, count: size)
            for name in ordered {
                let number = string(name)
                var slot = strings[number].packed.hash & (size - 1)
                while nameSlots[slot] != 0 { slot = (slot + 1) & (size - 1) }
                nameSlots[slot] = Int32(number + 1)
            }
            names = numbers
        }

        mutating func node(_ node: SchemaNode) -> Node {
            var flat = flatten(node)
            flat.hasStringRules = flat.minLength >= 0 || flat.maxLength >= 0 || flat.pattern >= 0
            flat.isLeaf = flat.kind != 2 || (!flat.needsTree && !flat.hasObject && !flat.hasArray && !flat.hasApplicators)
            return flat
        }

        private mutating func flatten(_ node: SchemaNode) -> Node {
            var flat = Node()
            switch node.kind {
            case .alwaysValid: flat.kind = 0; return flat
            case .alwaysInvalid: flat.kind = 1; return flat
            case .rules: break
            }
            if let types = node.types {
                flat.hasTypes = true
                flat.types = types.rawValue
            }
            if let enumeration = node.enumeration {
                guard enumeration.strings != nil else { return tree(flat) }
                flat.hasEnumeration = true
                let start = strings.count
                for value in enumeration.values { if let text = value.stringValue { _ = string(text) } }
                flat.enumeration = start..<strings.count
            }
            if let constant = node.constant {
                guard let text = constant.stringValue else { return tree(flat) }
                flat.constant = string(text)
            }
            if let rules = node.string {
                flat.minLength = rules.minLength ?? -1
                flat.maxLength = rules.maxLength ?? -1
                flat.pattern = rules.pattern.map { pattern($0) } ?? -1
            }
            if let rules = node.object {
                guard rules.unevaluatedProperties == nil, rules.dependentSchemas.isEmpty, rules.dependentRequired.isEmpty else {
                    return tree(flat)
                }
                object(rules, into: &flat)
            }
            if let rules = node.array {
                guard rules.unevaluatedItems == nil, !rules.uniqueItems else { return tree(flat) }
                flat.hasArray = true
                flat.prefixItems = list(rules.prefixItems)
                flat.items = rules.items ?? -1
                flat.contains = rules.contains ?? -1
                flat.minContains = rules.minContains
                flat.maxContains = rules.maxContains ?? -1
                flat.minItems = rules.minItems ?? -1
                flat.maxItems = rules.maxItems ?? -1
            }
            if let applicators = node.applicators {
                flat.hasApplicators = true
                flat.reference = applicators.reference ?? -1
                flat.allOf = list(applicators.allOf)
                flat.anyOf = list(applicators.anyOf)
                flat.oneOf = list(applicators.oneOf)
                flat.not = applicators.not ?? -1
                flat.condition = applicators.condition ?? -1
                flat.then = applicators.then ?? -1
                flat.otherwise = applicators.otherwise ?? -1
            }
            return flat
        }

        private mutating func object(_ rules: SchemaNode.ObjectRules, into flat: inout Node) {
            flat.hasObject = true
            let start = properties.count
            // `rules.properties` holds each name once (the first declaration).
            for (name, child) in rules.properties { properties.append(Property(name: names[SchemaKey(text: name)] ?? -1, node: child)) }
            flat.properties = start..<properties.count
            if !rules.properties.isEmpty {
                flat.positions = positions.count
                var row = [Int32](repeating: -1, count: nameCount)
                for (position, entry) in rules.properties.enumerated() { row[names[SchemaKey(text: entry.name)] ?? 0] = Int32(position) }
                positions += row
            }
            let patternStart = patternProperties.count
            for entry in rules.patternProperties { patternProperties.append((pattern(entry.pattern), entry.node)) }
            flat.patternProperties = patternStart..<patternProperties.count
            let requiredStart = required.count
            for name in rules.required {
                let position = rules.properties.firstIndex { SchemaEquality.sameText($0.name, name) } ?? -1
                required.append(Required(property: position < 64 ? position : -1, name: names[SchemaKey(text: name)] ?? -1))
            }
            flat.required = requiredStart..<required.count
            flat.additionalProperties = rules.additionalProperties ?? -1
            flat.propertyNames = rules.propertyNames ?? -1
            flat.minProperties = rules.minProperties ?? -1
            flat.maxProperties = rules.maxProperties ?? -1
            flat.visitsMembers = rules.visitsMembers
            flat.onlyProperties = rules.onlyProperties
        }

        /// Points every use of a node that is only a `$ref` (annotations aside, as
        /// `{"description": "…", "$ref": "#/$defs/name"}`) at the node it refers to, so the walk
        /// takes one step instead of two. (The compiler refuses reference loops.)
        mutating func skipReferences(_ nodes: inout [Node]) {
            func isOnlyReference(_ node: Node) -> Bool {
                node.reference >= 0 && node.kind == 2 && !node.needsTree && node.hasApplicators
                    && !node.hasTypes && !node.hasEnumeration && node.constant < 0 && node.minLength < 0
                    && node.maxLength < 0 && node.pattern < 0 && !node.hasObject && !node.hasArray && node.allOf.isEmpty
                    && node.anyOf.isEmpty && node.oneOf.isEmpty && node.not < 0 && node.condition < 0 && node.then < 0
                    && node.otherwise < 0
            }
            let target: [Int] = nodes.indices.map { start in
                var index = start
                var steps = 0
                while isOnlyReference(nodes[index]), steps <= nodes.count {
                    index = nodes[index].reference
                    steps += 1
                }
                return index
            }
            func skip(_ index: Int) -> Int { index >= 0 ? target[index] : index }
            for i in nodes.indices {
                nodes[i].reference = skip(nodes[i].reference)
                nodes[i].additionalProperties = skip(nodes[i].additionalProperties)
                nodes[i].propertyNames = skip(nodes[i].propertyNames)
                nodes[i].items = skip(nodes[i].items)
                nodes[i].contains = skip(nodes[i].contains)
                nodes[i].not = skip(nodes[i].not)
                nodes[i].condition = skip(nodes[i].condition)
                nodes[i].then = skip(nodes[i].then)
                nodes[i].otherwise = skip(nodes[i].otherwise)
            }
            for i in properties.indices { properties[i].node = skip(properties[i].node) }
            for i in patternProperties.indices { patternProperties[i].node = skip(patternProperties[i].node) }
            for i in lists.indices { lists[i] = skip(lists[i]) }
        }

        /// Marks the nodes that only say something about one member (see `Node.memberTest`),
        /// once references are skipped (the member's subschema must be a leaf).
        func markMemberTests(_ nodes: inout [Node]) {
            for i in nodes.indices {
                let node = nodes[i]
                guard node.kind == 2, !node.needsTree, node.hasObject, !node.hasArray, !node.hasApplicators, !node.hasTypes,
                    !node.hasEnumeration, node.constant < 0, node.minLength < 0, node.maxLength < 0, node.pattern < 0,
                    node.patternProperties.isEmpty, node.additionalProperties < 0, node.propertyNames < 0,
                    node.minProperties < 0, node.maxProperties < 0, node.properties.count <= 1, node.required.count <= 1,
                    node.properties.count + node.required.count > 0
                else { continue }
                let property = node.properties.first.map { properties[$0] }
                let requiredName = node.required.first.map { required[$0].name }
                guard let name = property?.name ?? requiredName, name >= 0, requiredName == nil || requiredName == name else {
                    continue
                }
                if let property, !nodes[property.node].isLeaf { continue }
                nodes[i].memberTest = name
                nodes[i].memberTestNode = property?.node ?? -1
                nodes[i].memberTestRequired = requiredName != nil
            }
        }

        private func tree(_ node: Node) -> Node {
            var node = node
            node.needsTree = true
            return node
        }

        mutating func string(_ text: String) -> Int {
            var text = text
            let packed = text.withUTF8 { PackedName($0) }
            strings.append(Text(start: bytes.count, packed: packed))
            bytes += text.utf8
            return strings.count - 1
        }

        mutating func list(_ nodes: [Int]) -> Range<Int> {
            let start = lists.count
            lists += nodes
            return start..<lists.count
        }

        mutating func pattern(_ pattern: ECMAPattern) -> Int {
            var automaton = Automaton()
            if let run = pattern.classRun {
                automaton.hasRun = true
                automaton.run = run
            }
            if let dfa = pattern.automaton {
                automaton.hasTable = true
                automaton.transitions = transitions.count
                automaton.acceptsAtEnd = acceptsAtEnd.count
                automaton.matched = dfa.matched
                automaton.dead = dfa.dead
                transitions += dfa.transitions
                acceptsAtEnd += dfa.matchesAtEnd
            }
            automata.append(automaton)
            patterns.append(pattern)
            return patterns.count - 1
        }
    }
}
