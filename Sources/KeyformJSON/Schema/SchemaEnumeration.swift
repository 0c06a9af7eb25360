/// `enum`'s values, with a fast path for the common all-strings case (a list when short,
/// a set when long).
struct SchemaEnumeration: Sendable {
    let values: [JSON]
    let strings: [String]?
    let stringSet: Set<SchemaKey>?

    init(_ values: [JSON]) {
        self.values = values
        let strings = values.compactMap(\.stringValue)
        self.strings = strings.count == values.count ? strings : nil
        self.stringSet = strings.count == values.count && strings.count > 12 ? Set(strings.map(SchemaKey.init)) : nil
    }

    func contains(_ instance: JSON) -> Bool {
        if let strings {
            guard case .string(let text) = instance else { return false }
            if let stringSet { return stringSet.contains(SchemaKey(text: text)) }
            for string in strings where SchemaEquality.sameText(string, text) { return true }
            return false
        }
        return values.contains { SchemaEquality.equal($0, instance) }
    }
}
