extension SchemaValidator {
    /// `unevaluatedProperties`: members that no `properties`, `patternProperties` or
    /// `additionalProperties` evaluated, here or in a subschema applied in place that the value
    /// passed (`$ref`, `allOf`, a passing `anyOf`/`oneOf` branch, the `if` branch taken, …).
    ///
    /// The annotations are recomputed only for objects that reach this keyword, by re-running
    /// the in-place subschemas in yes/no mode.
    mutating func validateUnevaluatedProperties(
        _ node: SchemaNode, _ unevaluated: Int, _ instance: JSON, _ members: [JSONMember], collect: Bool
    ) -> Bool {
        var evaluated = Set<String>()
        collectEvaluatedProperties(node, instance, members, into: &evaluated, isRoot: true)
        var valid = true
        for member in members where !evaluated.contains(member.key) {
            if nodes[unevaluated].kind == .alwaysInvalid {
                guard collect else { return false }
                valid = false
                var seen = Set<ObjectIdentifier>()
                let allowed = knownPropertyNames(node, seen: &seen).filter { !Self.has(members, $0) }
                report(
                    node, keyword: "unevaluatedProperties", "unknown property '\(member.key)'",
                    suggestion: SchemaMessage.unknownPropertyHelp(member.key, allowed: allowed),
                    pointsAtKey: true, at: .key(member.key))
            } else if !validate(unevaluated, member.value, at: .key(member.key), collect: collect) {
                guard collect else { return false }
                valid = false
            }
        }
        return valid
    }

    /// `unevaluatedItems`: items after those `prefixItems`/`items` evaluated and not matched by
    /// a `contains`, here or in passing in-place subschemas.
    mutating func validateUnevaluatedItems(
        _ node: SchemaNode, _ unevaluated: Int, _ instance: JSON, _ elements: [JSON], collect: Bool
    ) -> Bool {
        var evaluated = EvaluatedItems()
        collectEvaluatedItems(node, instance, elements, into: &evaluated, isRoot: true)
        if evaluated.all { return true }
        var valid = true
        for position in evaluated.prefix..<elements.count where !evaluated.indices.contains(position) {
            if nodes[unevaluated].kind == .alwaysInvalid {
                guard collect else { return false }
                valid = false
                report(node, keyword: "unevaluatedItems", "unexpected item: no schema allows it", at: .index(position))
            } else if !validate(unevaluated, elements[position], at: .index(position), collect: collect) {
                guard collect else { return false }
                valid = false
            }
        }
        return valid
    }

    struct EvaluatedItems {
        var prefix = 0
        var indices = Set<Int>()
        var all = false
    }

    private mutating func collectEvaluatedProperties(
        _ node: SchemaNode, _ instance: JSON, _ members: [JSONMember], into evaluated: inout Set<String>, isRoot: Bool
    ) {
        guard node.kind == .rules else { return }
        if let rules = node.object {
            if rules.additionalProperties != nil || (!isRoot && rules.unevaluatedProperties != nil) {
                for member in members { evaluated.insert(member.key) }
                return
            }
            for member in members
            where rules.property(member.key) != nil || rules.patternProperties.contains(where: { $0.pattern.matches(member.key) }) {
                evaluated.insert(member.key)
            }
            for entry in rules.dependentSchemas where Self.has(members, entry.name) && validate(entry.node, instance, collect: false) {
                collectEvaluatedProperties(nodes[entry.node], instance, members, into: &evaluated, isRoot: false)
            }
        }
        for child in passingInPlace(node, instance) {
            collectEvaluatedProperties(nodes[child], instance, members, into: &evaluated, isRoot: false)
        }
    }

    private mutating func collectEvaluatedItems(
        _ node: SchemaNode, _ instance: JSON, _ elements: [JSON], into evaluated: inout EvaluatedItems, isRoot: Bool
    ) {
        guard node.kind == .rules, !evaluated.all else { return }
        if let rules = node.array {
            if rules.items != nil || (!isRoot && rules.unevaluatedItems != nil) {
                evaluated.all = true
                return
            }
            evaluated.prefix = max(evaluated.prefix, rules.prefixItems.count)
            if let contains = rules.contains {
                for (position, element) in elements.enumerated() where validate(contains, element, collect: false) {
                    evaluated.indices.insert(position)
                }
            }
        }
        for child in passingInPlace(node, instance) {
            collectEvaluatedItems(nodes[child], instance, elements, into: &evaluated, isRoot: false)
        }
    }

    /// The in-place subschemas whose annotations count: those the value passes.
    private mutating func passingInPlace(_ node: SchemaNode, _ instance: JSON) -> [Int] {
        guard let applicators = node.applicators else { return [] }
        var passing: [Int] = []
        for child in [applicators.reference].compactMap({ $0 }) + applicators.allOf + applicators.anyOf + applicators.oneOf
        where validate(child, instance, collect: false) {
            passing.append(child)
        }
        if let condition = applicators.condition {
            if validate(condition, instance, collect: false) {
                passing.append(condition)
                if let then = applicators.then, validate(then, instance, collect: false) { passing.append(then) }
            } else if let otherwise = applicators.otherwise, validate(otherwise, instance, collect: false) {
                passing.append(otherwise)
            }
        }
        return passing
    }

    /// Every property name declared here or in subschemas applied in place (for suggestions).
    private func knownPropertyNames(_ node: SchemaNode, seen: inout Set<ObjectIdentifier>) -> [String] {
        guard seen.insert(ObjectIdentifier(node)).inserted else { return [] }
        var names = node.object?.propertyOrder ?? []
        var children = node.applicators?.all ?? []
        children += node.object?.dependentSchemas.map(\.node) ?? []
        for child in children {
            for name in knownPropertyNames(nodes[child], seen: &seen) where !names.contains(name) { names.append(name) }
        }
        return names
    }
}
