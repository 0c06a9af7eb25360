/// Reads one schema object's keywords into typed values, refusing malformed ones with the
/// keyword's location (`"minLength": -1` → `SchemaError.invalidKeyword("minLength", …)`).
struct SchemaKeywordReader {
    let members: [JSONMember]
    let location: [String]

    func value(_ keyword: String) -> JSON? {
        members.first(where: { $0.key == keyword })?.value
    }

    func has(_ keyword: String) -> Bool {
        members.contains(where: { $0.key == keyword })
    }

    private func invalid(_ keyword: String, _ expected: String, _ extra: [String] = []) -> SchemaError {
        SchemaError.invalidKeyword(keyword, at: location + [keyword] + extra, expected: expected)
    }

    func types() throws(SchemaError) -> SchemaTypeSet? {
        guard let value = value("type") else { return nil }
        func parse(_ name: JSON) -> SchemaTypeSet? {
            guard case .string(let name) = name else { return nil }
            return SchemaTypeSet.names.first(where: { $0.0 == name })?.1
        }
        let expected = "a type name (object, array, string, integer, number, boolean, null) or a list of them"
        if let single = parse(value) { return single }
        guard case .array(let names) = value else { throw invalid("type", expected) }
        var set: SchemaTypeSet = []
        for name in names {
            guard let type = parse(name) else { throw invalid("type", expected) }
            set.insert(type)
        }
        return set
    }

    func enumeration() throws(SchemaError) -> SchemaEnumeration? {
        guard let value = value("enum") else { return nil }
        guard case .array(let values) = value else { throw invalid("enum", "an array of values") }
        return SchemaEnumeration(values)
    }

    /// A non-negative integer (`1.0` counts as 1).
    func count(_ keyword: String) throws(SchemaError) -> Int? {
        guard let value = value(keyword) else { return nil }
        guard case .number(let number) = value else { throw invalid(keyword, "a non-negative integer") }
        if let integer = number.int, integer >= 0 { return integer }
        let decimal = SchemaDecimal(number)
        guard decimal.isInteger, !decimal.negative else { throw invalid(keyword, "a non-negative integer") }
        // Beyond `Int`, a count is as good as infinite.
        let double = decimal.double
        guard double.isFinite, double < Double(Int.max) else { return Int.max }
        return Int(double)
    }

    func bound(_ keyword: String) throws(SchemaError) -> SchemaBound? {
        guard let value = value(keyword) else { return nil }
        guard case .number(let number) = value else { throw invalid(keyword, "a number") }
        return SchemaBound(number)
    }

    func flag(_ keyword: String) throws(SchemaError) -> Bool {
        guard let value = value(keyword) else { return false }
        guard case .bool(let flag) = value else { throw invalid(keyword, "true or false") }
        return flag
    }

    func string(_ keyword: String) throws(SchemaError) -> String? {
        guard let value = value(keyword) else { return nil }
        guard case .string(let text) = value else { throw invalid(keyword, "a string") }
        return text
    }

    func pattern(_ keyword: String) throws(SchemaError) -> ECMAPattern? {
        guard let source = try string(keyword) else { return nil }
        return try Self.compilePattern(source, at: location + [keyword])
    }

    static func compilePattern(_ source: String, at location: [String]) throws(SchemaError) -> ECMAPattern {
        do {
            return try ECMAPattern(source)
        } catch {
            throw SchemaError.invalidPattern(source, at: location, reason: error.description)
        }
    }

    /// An array of strings (`required`, or one entry of `dependentRequired` when `entry` is given).
    func names(_ keyword: String, _ entry: String? = nil) throws(SchemaError) -> [String]? {
        guard var value = value(keyword) else { return nil }
        var extra: [String] = []
        if let entry {
            guard let inner = value[entry] else { return nil }
            value = inner
            extra = [entry]
        }
        guard case .array(let elements) = value else { throw invalid(keyword, "an array of strings", extra) }
        var names: [String] = []
        for element in elements {
            guard case .string(let name) = element else { throw invalid(keyword, "an array of strings", extra) }
            names.append(name)
        }
        return names
    }

    /// The keys of an object-valued keyword.
    func objectKeys(_ keyword: String) throws(SchemaError) -> [String] {
        guard let value = value(keyword) else { return [] }
        guard case .object(let entries) = value else { throw invalid(keyword, "an object") }
        return entries.map(\.key)
    }

    /// The keys of an object of subschemas (each value is checked when compiled).
    func schemaMapKeys(_ keyword: String) throws(SchemaError) -> [String] {
        guard let value = value(keyword) else { return [] }
        guard case .object(let entries) = value else { throw invalid(keyword, "an object of schemas") }
        return entries.map(\.key)
    }

    /// How many subschemas an array-of-schemas keyword holds (at least one).
    func schemaArrayCount(_ keyword: String) throws(SchemaError) -> Int {
        guard let value = value(keyword) else { return 0 }
        guard case .array(let elements) = value, !elements.isEmpty else {
            throw invalid(keyword, "a non-empty array of schemas")
        }
        return elements.count
    }

    /// "a string", "an object", … for messages about a value's kind.
    static func describe(_ value: JSON) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number(let number): return SchemaDecimal(number).isInteger ? "an integer" : "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
