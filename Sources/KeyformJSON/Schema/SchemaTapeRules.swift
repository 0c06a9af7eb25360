/// What validating in place (`SchemaTapeValidator`) needs of one compiled node beyond the
/// node itself: names and string values as UTF-8, so that the document's bytes are compared
/// without making strings, and whether the node is left to the tree validator.
final class SchemaTapeRules: Sendable {
    /// The node uses a keyword that is checked on an owned tree instead (`unevaluated…`,
    /// `dependentSchemas`): rare in practice, and intricate enough to keep in one place.
    let needsTree: Bool
    /// `properties`' names (the node's `object.properties`, in that order).
    let properties: SchemaByteNames
    /// For each `required` name, its position in `properties`, or -1.
    let requiredProperty: [Int]
    let required: [[UInt8]]
    let dependentRequired: [(name: [UInt8], requires: [[UInt8]])]
    /// The string values of `enum`.
    let enumerationStrings: [[UInt8]]
    /// `const`'s value when it is a string.
    let constantString: [UInt8]?

    init(_ node: SchemaNode) {
        let object = node.object
        needsTree = object?.unevaluatedProperties != nil || !(object?.dependentSchemas.isEmpty ?? true)
            || node.array?.unevaluatedItems != nil
        let names = object?.properties.map(\.name) ?? []
        properties = SchemaByteNames(names)
        required = (object?.required ?? []).map { Array($0.utf8) }
        requiredProperty = required.map { name in
            names.firstIndex { Array($0.utf8) == name } ?? -1
        }
        dependentRequired = (object?.dependentRequired ?? []).map { (Array($0.name.utf8), $0.requires.map { Array($0.utf8) }) }
        enumerationStrings = node.enumeration?.values.compactMap { $0.stringValue.map { Array($0.utf8) } } ?? []
        if case .string(let text) = node.constant { constantString = Array(text.utf8) } else { constantString = nil }
    }
}

/// A short list of names looked up by their UTF-8 bytes: each entry keeps its length and
/// first 8 bytes, so a lookup mostly compares two integers per name.
struct SchemaByteNames: Sendable {
    private struct Entry: Sendable {
        var start: Int
        var count: Int
        var prefix: UInt64
    }

    private let storage: [UInt8]
    private let entries: [Entry]

    init(_ names: [String]) {
        var storage: [UInt8] = []
        var entries: [Entry] = []
        for name in names {
            let utf8 = Array(name.utf8)
            let prefix = utf8.withUnsafeBufferPointer(Self.prefix)
            entries.append(Entry(start: storage.count, count: utf8.count, prefix: prefix))
            storage += utf8
        }
        self.storage = storage
        self.entries = entries
    }

    /// The position of the first name equal to `key`.
    func index(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        let prefix = Self.prefix(key)
        for position in entries.indices {
            let entry = entries[position]
            guard entry.count == key.count, entry.prefix == prefix else { continue }
            if entry.count <= 8 { return position }
            var same = true
            for i in 8..<entry.count where storage[entry.start + i] != key[i] {
                same = false
                break
            }
            if same { return position }
        }
        return nil
    }

    /// Up to the first 8 bytes, little-endian.
    @inline(__always)
    static func prefix(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var word: UInt64 = 0
        for i in 0..<min(8, bytes.count) { word |= UInt64(bytes[i]) << UInt64(8 * i) }
        return word
    }
}
