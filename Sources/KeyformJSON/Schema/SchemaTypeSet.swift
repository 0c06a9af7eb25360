/// The `type` keyword's set of JSON types.
struct SchemaTypeSet: OptionSet, Sendable {
    let rawValue: UInt8

    static let null = SchemaTypeSet(rawValue: 1 << 0)
    static let boolean = SchemaTypeSet(rawValue: 1 << 1)
    static let object = SchemaTypeSet(rawValue: 1 << 2)
    static let array = SchemaTypeSet(rawValue: 1 << 3)
    static let number = SchemaTypeSet(rawValue: 1 << 4)
    static let string = SchemaTypeSet(rawValue: 1 << 5)
    static let integer = SchemaTypeSet(rawValue: 1 << 6)

    /// The names in the order messages list them.
    static let names: [(String, SchemaTypeSet)] = [
        ("object", .object), ("array", .array), ("string", .string), ("integer", .integer), ("number", .number),
        ("boolean", .boolean), ("null", .null),
    ]
}
