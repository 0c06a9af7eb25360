import KeyformJSON

extension ManifestFastSchema {
    /// Compiles schema objects into flat lists, following `$ref`s within the document.
    struct Builder {
        let root: JSON
        var objects: [Object] = []
        var properties: [Property] = []
        var rules: [StringRule] = []
        var allowed: [ShortName] = []
        var conditionals: [Conditional] = []
        var patterns: [ECMAPattern] = []
        var keys: [String] = []
        var failed = false
        /// Object shapes by the `$ref` they were reached through, so a shape is made once.
        var byReference: [String: Int] = [:]

        /// Annotations, and the keywords read elsewhere (by the caller or the root).
        static let ignored: Set<String> = [
            "title", "description", "examples", "default", "format", "$comment", "markdownDescription", "deprecated",
            "$schema", "$id", "$defs",
        ]

        init(root: JSON) { self.root = root }

        mutating func fail() -> Int {
            failed = true
            return -1
        }

        /// The schema a `$ref` in this document names (`#/$defs/name` only).
        func resolve(_ schema: JSON) -> JSON? {
            guard let members = schema.objectValue else { return nil }
            guard let reference = schema["$ref"]?.stringValue else { return schema }
            // A `$ref` with siblings other than annotations would need both applied.
            guard members.allSatisfy({ $0.key == "$ref" || Self.ignored.contains($0.key) }),
                reference.hasPrefix("#/$defs/")
            else { return nil }
            return root["$defs"]?[String(reference.dropFirst("#/$defs/".count))]
        }

        /// The shape number of an object schema.
        mutating func object(_ schema: JSON) -> Int {
            if let reference = schema["$ref"]?.stringValue, let known = byReference[reference] { return known }
            guard let resolved = resolve(schema), let members = resolved.objectValue else { return fail() }
            let number = objects.count
            objects.append(Object(properties: 0..<0, required: 0, conditionals: 0..<0))
            if let reference = schema["$ref"]?.stringValue { byReference[reference] = number }
            let known: Set<String> = ["type", "properties", "required", "additionalProperties", "allOf"]
            guard members.allSatisfy({ known.contains($0.key) || Self.ignored.contains($0.key) }),
                resolved["type"]?.stringValue == "object", resolved["additionalProperties"] == .bool(false),
                let declared = resolved["properties"]?.objectValue, declared.count <= 32
            else { return fail() }
            // Values first (they may add shapes), then this shape's properties in one run.
            var own: [Property] = []
            for property in declared {
                guard property.key.utf8.count <= 16, let value = value(property.value) else { return fail() }
                var key = property.key
                own.append(Property(name: key.withUTF8 { ShortName($0)! }, value: value, key: keys.count))
                keys.append(property.key)
            }
            let names = declared.map(\.key)
            var required: UInt32 = 0
            for name in resolved["required"]?.arrayValue ?? [] {
                guard let index = names.firstIndex(where: { $0 == name.stringValue }) else { return fail() }
                required |= 1 << UInt32(index)
            }
            var ownConditionals: [Conditional] = []
            for part in resolved["allOf"]?.arrayValue ?? [] {
                guard let conditional = conditional(part, names: names) else { return fail() }
                ownConditionals.append(conditional)
            }
            objects[number] = Object(
                properties: properties.count..<(properties.count + own.count), required: required,
                conditionals: conditionals.count..<(conditionals.count + ownConditionals.count))
            properties += own
            conditionals += ownConditionals
            return number
        }

        /// `{"if": {"properties": {P: {"const"|"enum": …}}, "required": [P]}, "then": …}`, where
        /// `then` has `required` and/or `properties` set to `false`.
        mutating func conditional(_ schema: JSON, names: [String]) -> Conditional? {
            guard let members = schema.objectValue, members.count == 2,
                let condition = schema["if"], let then = schema["then"],
                let tested = condition["properties"]?.objectValue, tested.count == 1,
                condition["required"] == .array([.string(tested[0].key)]),
                condition.objectValue?.count == 2,
                let property = names.firstIndex(of: tested[0].key),
                tested[0].value.objectValue?.count == 1, let values = allowedValues(tested[0].value)
            else { return nil }
            var result = Conditional(property: property, values: values, requires: 0, forbids: 0)
            for member in then.objectValue ?? [] {
                switch member.key {
                case "required":
                    for name in member.value.arrayValue ?? [] {
                        guard let index = names.firstIndex(where: { $0 == name.stringValue }) else { return nil }
                        result.requires |= 1 << UInt32(index)
                    }
                case "properties":
                    for forbidden in member.value.objectValue ?? [] {
                        guard forbidden.value == .bool(false), let index = names.firstIndex(of: forbidden.key) else { return nil }
                        result.forbids |= 1 << UInt32(index)
                    }
                default:
                    return nil
                }
            }
            return result
        }

        /// The values `enum` or `const` allow, when they are all strings of at most 16 bytes
        /// (compared packed), added to `allowed`.
        mutating func allowedValues(_ schema: JSON) -> Range<Int>? {
            var values: [JSON]
            if let constant = schema["const"] {
                values = [constant]
            } else if let list = schema["enum"]?.arrayValue {
                values = list
            } else {
                return nil
            }
            let start = allowed.count
            for value in values {
                guard var text = value.stringValue, text.utf8.count <= 16 else { return nil }
                allowed.append(text.withUTF8 { ShortName($0)! })
            }
            return start..<allowed.count
        }

        mutating func value(_ schema: JSON) -> Value? {
            guard let resolved = resolve(schema), let members = resolved.objectValue else { return nil }
            switch resolved["type"]?.stringValue {
            case "boolean":
                guard members.allSatisfy({ $0.key == "type" || Self.ignored.contains($0.key) }) else { return nil }
                return .boolean
            case "array":
                let known: Set<String> = ["type", "items", "minItems", "maxItems", "uniqueItems"]
                guard members.allSatisfy({ known.contains($0.key) || Self.ignored.contains($0.key) }),
                    let items = resolved["items"]
                else { return nil }
                var rule = ArrayRule()
                if let minimum = resolved["minItems"] { guard let n = Self.count(minimum) else { return nil }; rule.minItems = n }
                if let maximum = resolved["maxItems"] { guard let n = Self.count(maximum) else { return nil }; rule.maxItems = n }
                if let unique = resolved["uniqueItems"] { guard let flag = unique.boolValue else { return nil }; rule.uniqueItems = flag }
                if let item = resolve(items), item["type"]?.stringValue == "object" {
                    guard !rule.uniqueItems else { return nil }
                    let shape = object(items)
                    return shape < 0 ? nil : .objects(rule, shape)
                }
                guard let strings = string(items) else { return nil }
                return .strings(rule, strings)
            default:
                return string(schema).map(Value.string)
            }
        }

        /// A string schema: `type: string` with lengths, `pattern`, or an `enum`/`const` of
        /// strings; its index in `rules`.
        mutating func string(_ schema: JSON) -> Int? {
            guard let resolved = resolve(schema), let members = resolved.objectValue else { return nil }
            let known: Set<String> = ["type", "minLength", "maxLength", "pattern", "enum", "const"]
            guard members.allSatisfy({ known.contains($0.key) || Self.ignored.contains($0.key) }) else { return nil }
            var rule = StringRule()
            if let type = resolved["type"] {
                guard type.stringValue == "string" else { return nil }
            } else {
                // Without `type`, only an enumeration of strings says the value is a string.
                guard resolved["enum"] != nil || resolved["const"] != nil else { return nil }
            }
            if resolved["enum"] != nil || resolved["const"] != nil {
                guard let values = allowedValues(resolved) else { return nil }
                rule.allowed = values
            }
            if let minimum = resolved["minLength"] { guard let n = Self.count(minimum) else { return nil }; rule.minLength = n }
            if let maximum = resolved["maxLength"] { guard let n = Self.count(maximum) else { return nil }; rule.maxLength = n }
            if let pattern = resolved["pattern"] {
                guard let source = pattern.stringValue, let compiled = try? ECMAPattern(source) else { return nil }
                rule.pattern = patterns.count
                patterns.append(compiled)
            }
            rules.append(rule)
            return rules.count - 1
        }

        /// A non-negative integer keyword value.
        static func count(_ value: JSON) -> Int? {
            guard let number = value.numberValue?.int, number >= 0 else { return nil }
            return number
        }
    }
}
