extension SchemaValidator {
    /// `min/maxItems`, `uniqueItems`, `prefixItems`, `items`, `contains` (with
    /// `min/maxContains`) and `unevaluatedItems`.
    mutating func validateArray(
        _ node: SchemaNode, _ rules: SchemaNode.ArrayRules, _ elements: [JSON], collect: Bool
    ) -> Bool {
        var valid = true
        if let minimum = rules.minItems, elements.count < minimum {
            guard collect else { return false }
            valid = false
            report(node, keyword: "minItems", SchemaMessage.atLeast(minimum, "item", is: elements.count))
        }
        if let maximum = rules.maxItems, elements.count > maximum {
            guard collect else { return false }
            valid = false
            report(node, keyword: "maxItems", SchemaMessage.atMost(maximum, "item", is: elements.count))
        }
        if rules.uniqueItems {
            for (duplicate, original) in Self.duplicates(elements) {
                guard collect else { return false }
                valid = false
                report(
                    node, keyword: "uniqueItems", "duplicate item: the same as the item at index \(original)",
                    suggestion: "remove it", at: .index(duplicate))
            }
        }
        for (position, child) in zip(elements.indices, rules.prefixItems) {
            if !validate(child, elements[position], at: .index(position), collect: collect) {
                guard collect else { return false }
                valid = false
            }
        }
        if let items = rules.items, elements.count > rules.prefixItems.count {
            if nodes[items].kind == .alwaysInvalid {
                guard collect else { return false }
                valid = false
                report(node, keyword: "items", SchemaMessage.atMost(rules.prefixItems.count, "item", is: elements.count))
            } else {
                for position in rules.prefixItems.count..<elements.count {
                    if !validate(items, elements[position], at: .index(position), collect: collect) {
                        guard collect else { return false }
                        valid = false
                    }
                }
            }
        }
        if let contains = rules.contains, !validateContains(node, rules, contains, elements, collect: collect) {
            guard collect else { return false }
            valid = false
        }
        if let unevaluated = rules.unevaluatedItems,
            !validateUnevaluatedItems(node, unevaluated, .array(elements), elements, collect: collect)
        {
            valid = false
        }
        return valid
    }

    private mutating func validateContains(
        _ node: SchemaNode, _ rules: SchemaNode.ArrayRules, _ contains: Int, _ elements: [JSON], collect: Bool
    ) -> Bool {
        var matches = 0
        for (position, element) in elements.enumerated() where validate(contains, element, at: .index(position), collect: false) {
            matches += 1
            // Enough is known once the minimum is met and no maximum can be exceeded.
            if rules.maxContains == nil, matches >= rules.minContains { return true }
        }
        if matches < rules.minContains {
            if collect {
                report(
                    node, keyword: rules.minContains == 1 ? "contains" : "minContains",
                    "must contain at least \(SchemaMessage.count(rules.minContains, "item")) matching the 'contains' schema (has \(matches))")
            }
            return false
        }
        if let maximum = rules.maxContains, matches > maximum {
            if collect {
                report(
                    node, keyword: "maxContains",
                    "must contain at most \(SchemaMessage.count(maximum, "item")) matching the 'contains' schema (has \(matches))")
            }
            return false
        }
        return true
    }

    /// Each item equal to an earlier one, with the index of the first such earlier item.
    static func duplicates(_ elements: [JSON]) -> [(duplicate: Int, original: Int)] {
        var found: [(Int, Int)] = []
        if elements.count <= 16 {
            for later in elements.indices {
                for earlier in 0..<later where SchemaEquality.equal(elements[earlier], elements[later]) {
                    found.append((later, earlier))
                    break
                }
            }
            return found
        }
        var first: [SchemaValueKey: Int] = [:]
        for (position, element) in elements.enumerated() {
            let key = SchemaValueKey(value: element)
            if let original = first[key] {
                found.append((position, original))
            } else {
                first[key] = position
            }
        }
        return found
    }
}
