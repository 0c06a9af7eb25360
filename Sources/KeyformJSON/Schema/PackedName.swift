/// A short UTF-8 string packed into its length and two words, so that names compare and hash
/// as integers: up to 16 bytes the packing is exact (the words are its first and last 8, or 4,
/// bytes, which overlap for shorter strings; below 4 bytes, the bytes themselves). Longer
/// strings keep their first and last 8 bytes and need a full comparison when those are equal.
///
/// "name" packs as (4, "name", "name"); "description" as (11, "descript", "cription").
struct PackedName: Equatable {
    var count: Int
    var first: UInt64
    var last: UInt64

    @inline(__always)
    init(_ utf8: UnsafeBufferPointer<UInt8>) {
        count = utf8.count
        let raw = UnsafeRawBufferPointer(utf8)
        if count >= 8 {
            first = raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
            last = raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        } else if count >= 4 {
            first = UInt64(raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
            last = UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
        } else {
            var word: UInt64 = 0
            for i in 0..<count { word |= UInt64(utf8[i]) << UInt64(8 * i) }
            first = word
            last = 0
        }
    }

    /// Whether the packing holds the whole string.
    var isExact: Bool { count <= 16 }

    @inline(__always)
    var hash: Int {
        var h = (first &* 0x9E37_79B9_7F4A_7C15) ^ ((last ^ UInt64(truncatingIfNeeded: count)) &* 0xC2B2_AE3D_27D4_EB4F)
        h ^= h >> 32
        return Int(truncatingIfNeeded: h)
    }
}
