extension SchemaValidator {
    /// `required`, `min/maxProperties`, `dependentRequired`, then one pass over the members for
    /// `properties`, `patternProperties`, `additionalProperties` and `propertyNames`, then
    /// `dependentSchemas` and `unevaluatedProperties`.
    mutating func validateObject(
        _ node: SchemaNode, _ rules: SchemaNode.ObjectRules, _ instance: JSON, _ members: [JSONMember], collect: Bool
    ) -> Bool {
        var valid = true
        if let minimum = rules.minProperties, members.count < minimum {
            guard collect else { return false }
            valid = false
            report(node, keyword: "minProperties", SchemaMessage.atLeast(minimum, "property", is: members.count))
        }
        if let maximum = rules.maxProperties, members.count > maximum {
            guard collect else { return false }
            valid = false
            report(node, keyword: "maxProperties", SchemaMessage.atMost(maximum, "property", is: members.count))
        }
        for name in rules.required where !Self.has(members, name) {
            guard collect else { return false }
            valid = false
            report(node, keyword: "required", "missing required property '\(name)'")
        }
        for entry in rules.dependentRequired where Self.has(members, entry.name) {
            for name in entry.requires where !Self.has(members, name) {
                guard collect else { return false }
                valid = false
                report(
                    node, keyword: "dependentRequired",
                    "missing property '\(name)', required when '\(entry.name)' is present")
            }
        }
        if rules.onlyProperties {
            for entry in rules.properties {
                for member in members where SchemaEquality.sameText(member.key, entry.name) {
                    path.append(.key(member.key))
                    let memberValid = validateProperty(entry.node, member, collect: collect)
                    path.removeLast()
                    if !memberValid {
                        guard collect else { return false }
                        valid = false
                    }
                }
            }
        } else if rules.visitsMembers {
            for member in members {
                path.append(.key(member.key))
                let memberValid = validateMember(node, rules, member, members, collect: collect)
                path.removeLast()
                if !memberValid {
                    guard collect else { return false }
                    valid = false
                }
            }
        }
        for entry in rules.dependentSchemas where Self.has(members, entry.name) {
            if !validate(entry.node, instance, collect: collect) {
                guard collect else { return false }
                valid = false
            }
        }
        if let unevaluated = rules.unevaluatedProperties,
            !validateUnevaluatedProperties(node, unevaluated, instance, members, collect: collect)
        {
            valid = false
        }
        return valid
    }

    static func has(_ members: [JSONMember], _ name: String) -> Bool {
        for member in members where SchemaEquality.sameText(member.key, name) { return true }
        return false
    }

    /// One member, with its key already on the path.
    private mutating func validateMember(
        _ node: SchemaNode, _ rules: SchemaNode.ObjectRules, _ member: JSONMember, _ members: [JSONMember],
        collect: Bool
    ) -> Bool {
        var valid = true
        var matched = false
        if let child = rules.property(member.key) {
            matched = true
            if !validateProperty(child, member, collect: collect) {
                guard collect else { return false }
                valid = false
            }
        }
        for entry in rules.patternProperties where entry.pattern.matches(member.key) {
            matched = true
            if !validateProperty(entry.node, member, collect: collect) {
                guard collect else { return false }
                valid = false
            }
        }
        if !matched, let additional = rules.additionalProperties {
            if nodes[additional].kind == .alwaysInvalid {
                guard collect else { return false }
                valid = false
                let allowed = rules.propertyOrder.filter { !Self.has(members, $0) }
                report(
                    node, keyword: "additionalProperties", "unknown property '\(member.key)'",
                    suggestion: SchemaMessage.unknownPropertyHelp(member.key, allowed: allowed), pointsAtKey: true)
            } else if !validate(additional, member.value, collect: collect) {
                guard collect else { return false }
                valid = false
            }
        }
        if let names = rules.propertyNames, !validatePropertyName(names, member.key, collect: collect) {
            guard collect else { return false }
            valid = false
        }
        return valid
    }

    /// A member against a `properties` or `patternProperties` subschema; `false` there
    /// forbids the property by name.
    private mutating func validateProperty(_ child: Int, _ member: JSONMember, collect: Bool) -> Bool {
        let node = nodes[child]
        if node.kind == .alwaysInvalid {
            if collect { report(node, keyword: nil, "property '\(member.key)' is not allowed", pointsAtKey: true) }
            return false
        }
        return validate(child, member.value, collect: collect)
    }

    /// The key itself, as a string, against `propertyNames`: violations point at the key.
    private mutating func validatePropertyName(_ names: Int, _ key: String, collect: Bool) -> Bool {
        let first = violations.count
        let valid = validate(names, .string(key), collect: collect)
        for position in first..<violations.count {
            violations[position].message = "invalid property name '\(key)': " + violations[position].message
            violations[position].pointsAtKey = true
        }
        return valid
    }
}
