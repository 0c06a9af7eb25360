extension SchemaValidator {
    /// `$ref`, `allOf`, `anyOf`, `oneOf`, `not` and `if`/`then`/`else`: other schemas applied to
    /// the same value.
    mutating func validateApplicators(
        _ node: SchemaNode, _ applicators: SchemaNode.Applicators, _ instance: JSON, collect: Bool
    ) -> Bool {
        var valid = true
        if let reference = applicators.reference, !validate(reference, instance, collect: collect) {
            guard collect else { return false }
            valid = false
        }
        for child in applicators.allOf where !validate(child, instance, collect: collect) {
            guard collect else { return false }
            valid = false
        }
        if !applicators.anyOf.isEmpty, !applicators.anyOf.contains(where: { validate($0, instance, collect: false) }) {
            guard collect else { return false }
            valid = false
            reportAlternatives(node, "anyOf", applicators.anyOf, instance)
        }
        if !applicators.oneOf.isEmpty, !validateOneOf(node, applicators.oneOf, instance, collect: collect) {
            guard collect else { return false }
            valid = false
        }
        if let not = applicators.not, validate(not, instance, collect: false) {
            guard collect else { return false }
            valid = false
            reportNot(node, nodes[not], instance)
        }
        if let condition = applicators.condition {
            let branch = validate(condition, instance, collect: false) ? applicators.then : applicators.otherwise
            if let branch, !validate(branch, instance, collect: collect) {
                guard collect else { return false }
                valid = false
            }
        }
        return valid
    }

    private mutating func validateOneOf(_ node: SchemaNode, _ alternatives: [Int], _ instance: JSON, collect: Bool) -> Bool {
        var matching: [Int] = []
        for (position, child) in alternatives.enumerated() where validate(child, instance, collect: false) {
            matching.append(position)
            if matching.count == 2, !collect { return false }
        }
        if matching.count == 1 { return true }
        guard collect else { return false }
        if matching.isEmpty {
            reportAlternatives(node, "oneOf", alternatives, instance)
        } else {
            let names = matching.map { "the \(SchemaMessage.ordinal($0 + 1))" }
            report(
                node, keyword: "oneOf",
                "matches \(matching.count) of the alternatives (\(names.joined(separator: ", "))) but must match exactly one")
        }
        return false
    }

    /// A value that matches a `not` schema. Common shapes get specific words: a forbidden
    /// property (`"not": {"required": ["x"]}`) or a forbidden value (`const`, `enum`).
    private mutating func reportNot(_ node: SchemaNode, _ forbidden: SchemaNode, _ instance: JSON) {
        if case .object = instance, let rules = forbidden.object, rules.onlyRequired,
            forbidden.types == nil, forbidden.enumeration == nil, forbidden.constant == nil, forbidden.string == nil,
            forbidden.number == nil, forbidden.array == nil, forbidden.applicators == nil
        {
            let required = rules.required
            if required.count == 1 {
                report(
                    node, keyword: "not", "property '\(required[0])' is not allowed here", pointsAtKey: true,
                    at: .key(required[0]))
            } else {
                let names = required.map { "'\($0)'" }
                let list = names.dropLast().joined(separator: ", ") + " and " + (names.last ?? "")
                report(node, keyword: "not", "properties \(list) must not be used together")
            }
            return
        }
        if let constant = forbidden.constant {
            report(node, keyword: "not", "must not be \(SchemaMessage.quoted(constant))")
        } else if let values = forbidden.enumeration?.values {
            report(node, keyword: "not", "must not be any of " + values.map(SchemaMessage.quoted).joined(separator: ", "))
        } else {
            report(node, keyword: "not", "must not match the schema in 'not'")
        }
    }
}
