extension SchemaValidator {
    /// One clear report for a value that matches none of `anyOf`'s or `oneOf`'s alternatives.
    ///
    /// Each alternative is re-run to collect its violations. An alternative that rejects the
    /// value's type, or a discriminating `const`/`enum` on one of its properties, is about a
    /// different kind of value, so it is set aside. If one alternative is left, its violations
    /// are the report (for `{"type": "oauth"}` without `redirectUris`, the `oauth` alternative
    /// says "missing required property 'redirectUris'"); if several, the one with the fewest.
    /// If none is left, one violation names what would be accepted: the union of the types, or
    /// the allowed values of the discriminating property.
    mutating func reportAlternatives(_ node: SchemaNode, _ keyword: String, _ alternatives: [Int], _ instance: JSON) {
        let depth = path.count
        var outcomes: [[SchemaViolation]] = []
        for child in alternatives {
            let first = violations.count
            _ = validate(child, instance, collect: true)
            outcomes.append(Array(violations[first...]))
            violations.removeSubrange(first...)
        }
        func rejectsType(_ violation: SchemaViolation) -> Bool {
            violation.keyword == "type" && violation.instancePath.count == depth
        }
        func discriminator(_ violation: SchemaViolation) -> String? {
            guard violation.keyword == "const" || violation.keyword == "enum",
                violation.instancePath.count == depth + 1
            else { return nil }
            return violation.instancePath.last
        }
        let candidates = outcomes.indices.filter { index in
            !outcomes[index].contains { rejectsType($0) || discriminator($0) != nil }
        }
        if let fewest = candidates.map({ outcomes[$0].count }).min() {
            let best = candidates.filter { outcomes[$0].count == fewest }
            // Alternatives that each miss by one thing about this very value: name them all.
            if best.count > 1, fewest == 1, best.allSatisfy({ outcomes[$0][0].instancePath.count == depth }) {
                let options = best.map { "\(outcomes[$0][0].message) (\(SchemaMessage.ordinal($0 + 1)))" }
                report(node, keyword: keyword, "must match one of the alternatives: " + options.joined(separator: ", or "))
            } else {
                violations += outcomes[best[0]]
            }
            return
        }
        if outcomes.allSatisfy({ $0.contains(where: rejectsType) }) {
            var types: SchemaTypeSet = []
            for child in alternatives { types.formUnion(acceptedTypes(child)) }
            report(node, keyword: keyword, SchemaMessage.type(expected: types, found: instance))
            return
        }
        let names = Set(outcomes.compactMap { $0.lazy.compactMap(discriminator).first })
        if names.count == 1, let name = names.first, case .object(let members) = instance,
            let value = members.first(where: { SchemaEquality.sameText($0.key, name) })?.value
        {
            var allowed: [JSON] = []
            for child in alternatives {
                for candidate in allowedValues(child, property: name, depth: 0)
                where !allowed.contains(where: { SchemaEquality.equal($0, candidate) }) {
                    allowed.append(candidate)
                }
            }
            report(
                node, keyword: keyword, SchemaMessage.oneOf(allowed),
                suggestion: SchemaMessage.closest(to: value, among: allowed), at: .key(name))
            return
        }
        let firstReason = outcomes.first?.first?.message ?? SchemaMessage.nothingAllowed
        report(
            node, keyword: keyword,
            "does not match any of the \(alternatives.count) alternatives (the 1st says: \(firstReason))")
    }

    /// The types a subschema accepts, following `$ref` and `allOf` (everything if unstated).
    private func acceptedTypes(_ index: Int, depth: Int = 0) -> SchemaTypeSet {
        let everything: SchemaTypeSet = [.null, .boolean, .object, .array, .number, .string, .integer]
        let node = nodes[index]
        guard node.kind == .rules, depth < 8 else { return node.kind == .alwaysInvalid ? [] : everything }
        var types = node.types ?? everything
        if let applicators = node.applicators {
            for child in [applicators.reference].compactMap({ $0 }) + applicators.allOf {
                types.formIntersection(acceptedTypes(child, depth: depth + 1))
            }
        }
        return types
    }

    /// The `const`/`enum` values a subschema allows for one property, following `$ref` and `allOf`.
    private func allowedValues(_ index: Int, property: String, depth: Int) -> [JSON] {
        let node = nodes[index]
        guard depth < 8 else { return [] }
        if let child = node.object?.property(property) {
            let target = nodes[child]
            if let constant = target.constant { return [constant] }
            if let values = target.enumeration?.values { return values }
        }
        guard let applicators = node.applicators else { return [] }
        var values: [JSON] = []
        for child in [applicators.reference].compactMap({ $0 }) + applicators.allOf {
            values += allowedValues(child, property: property, depth: depth + 1)
        }
        return values
    }
}
