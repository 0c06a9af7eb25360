import KeyformJSON

/// A fixed list of member names, matched against keys in the tape by their bytes: each name
/// is packed into its length and two words (see `pack`), so a key is told apart in a few
/// integer comparisons. Names longer than 16 bytes are not supported (none is).
///
///     MemberKeys(["name", "type"]).position(ofKey: k, in: view)   // 1 for "type"
struct MemberKeys {
    private struct Packed: Equatable {
        var count: Int
        var low: UInt64
        var high: UInt64
    }

    private let names: [Packed]

    init(_ names: [String]) {
        self.names = names.map { name in
            var name = name
            return name.withUTF8 { Self.pack($0) ?? Packed(count: -1, low: 0, high: 0) }
        }
    }

    /// Which name the key at tape index `key` is (after decoding escapes).
    func position(ofKey key: Int, in view: JSONTapeView) -> Int? {
        let packed: Packed?
        if view.isPlainString(key) {
            packed = Self.pack(view.rawString(key))
        } else {
            packed = view.stringBytes(key).withUnsafeBufferPointer(Self.pack)
        }
        guard let packed else { return nil }
        for position in names.indices where names[position] == packed { return position }
        return nil
    }

    /// The exact packing of up to 16 bytes: the first and last 8 (or 4) bytes, which overlap
    /// for shorter keys, or the bytes themselves below 4.
    private static func pack(_ bytes: UnsafeBufferPointer<UInt8>) -> Packed? {
        let count = bytes.count
        guard count <= 16 else { return nil }
        let raw = UnsafeRawBufferPointer(bytes)
        if count >= 8 {
            return Packed(
                count: count, low: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                high: raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
        }
        if count >= 4 {
            return Packed(
                count: count, low: UInt64(raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self)),
                high: UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)))
        }
        var low: UInt64 = 0
        for i in 0..<count { low |= UInt64(bytes[i]) << UInt64(8 * i) }
        return Packed(count: count, low: low, high: 0)
    }
}
