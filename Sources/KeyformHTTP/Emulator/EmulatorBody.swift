import KeyformJSON

/// Typed reads of a request's JSON body; every problem is an `EmulatorRequestError` naming
/// the field by its path (`events_of_interest[1].event_code`).
struct EmulatorBody: Sendable {
    let json: JSON

    /// Parses a body that must be a JSON object.
    static func object(_ bytes: [UInt8]) throws(EmulatorRequestError) -> EmulatorBody {
        let json = try parse(bytes)
        guard json.objectValue != nil else { throw .wrongBody(expected: "a JSON object") }
        return EmulatorBody(json: json)
    }

    /// Parses a body that must be a JSON array.
    static func array(_ bytes: [UInt8]) throws(EmulatorRequestError) -> [JSON] {
        guard case .array(let items) = try parse(bytes) else { throw .wrongBody(expected: "a JSON array") }
        return items
    }

    private static func parse(_ bytes: [UInt8]) throws(EmulatorRequestError) -> JSON {
        guard !bytes.isEmpty else { throw .missingBody }
        do {
            return try JSON.parse(bytes)
        } catch {
            throw .malformedJSON(message: error.message, offset: error.offset)
        }
    }

    // MARK: Fields of an object (`json` here, or any object with its path)

    func string(_ key: String) throws(EmulatorRequestError) -> String {
        try Self.string(json, key, at: "")
    }

    func optionalString(_ key: String) throws(EmulatorRequestError) -> String? {
        try Self.optionalString(json, key, at: "")
    }

    func optionalBool(_ key: String) throws(EmulatorRequestError) -> Bool? {
        switch json[key] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        default: throw .wrongType(field: key, expected: "true or false")
        }
    }

    /// An array field; absent or `null` is `nil`.
    func optionalArray(_ key: String) throws(EmulatorRequestError) -> [JSON]? {
        switch json[key] {
        case nil, .null?: return nil
        case .array(let items)?: return items
        default: throw .wrongType(field: key, expected: "an array")
        }
    }

    /// An array of strings; absent or `null` is `nil`.
    func optionalStrings(_ key: String) throws(EmulatorRequestError) -> [String]? {
        guard let items = try optionalArray(key) else { return nil }
        var strings: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let value) = item else { throw .wrongType(field: "\(key)[\(index)]", expected: "a string") }
            strings.append(value)
        }
        return strings
    }

    /// Whether the body has the field at all (even as `null`).
    func has(_ key: String) -> Bool {
        json[key] != nil
    }

    static func string(_ object: JSON, _ key: String, at path: String) throws(EmulatorRequestError) -> String {
        guard let value = try optionalString(object, key, at: path) else { throw .missingField(join(path, key)) }
        return value
    }

    static func optionalString(_ object: JSON, _ key: String, at path: String) throws(EmulatorRequestError) -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        default: throw .wrongType(field: join(path, key), expected: "a string")
        }
    }

    static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : path + "." + key
    }
}
