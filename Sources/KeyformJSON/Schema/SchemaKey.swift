/// A string hashed and compared by its code points, for dictionaries of property names.
struct SchemaKey: Hashable, Sendable {
    let text: String

    static func == (lhs: SchemaKey, rhs: SchemaKey) -> Bool {
        SchemaEquality.sameText(lhs.text, rhs.text)
    }

    func hash(into hasher: inout Hasher) {
        // Swift's String hash is consistent with canonical equivalence, which is coarser than
        // code point equality: equal keys still hash alike.
        hasher.combine(text)
    }
}

/// A JSON value hashed and compared by `SchemaEquality`, for sets of values.
struct SchemaValueKey: Hashable {
    let value: JSON

    static func == (lhs: SchemaValueKey, rhs: SchemaValueKey) -> Bool {
        SchemaEquality.equal(lhs.value, rhs.value)
    }

    func hash(into hasher: inout Hasher) {
        SchemaEquality.hash(value, into: &hasher)
    }
}
