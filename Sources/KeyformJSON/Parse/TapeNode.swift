/// Reading one tape node (`UInt64`) and the string it may stand for; shared by the scanner
/// (which checks duplicate keys before the tape is finished) and `JSONTape`.
@usableFromInline enum TapeNode {
    @inline(__always) static func make(_ kind: JSONTape.Kind, offset: Int, payload: Int) -> UInt64 {
        UInt64(truncatingIfNeeded: offset) | (kind.rawValue << 32) | (UInt64(truncatingIfNeeded: payload) << 36)
    }

    @inlinable @inline(__always) static func kind(_ node: UInt64) -> JSONTape.Kind {
        // The kinds are numbered 0…8 in declaration order, which is how a payload-free enum
        // is laid out: a checked bit cast, where `Kind(rawValue:)` was a call in the hottest
        // loops (the tape never holds another number; `.null` stands for one anyway).
        let raw = UInt8(truncatingIfNeeded: (node >> 32) & 0xF)
        return raw <= JSONTape.Kind.end.tag ? unsafeBitCast(raw, to: JSONTape.Kind.self) : .null
    }

    @inlinable @inline(__always) static func offset(_ node: UInt64) -> Int {
        Int(truncatingIfNeeded: node & 0xFFFF_FFFF)
    }

    @inlinable @inline(__always) static func payload(_ node: UInt64) -> Int {
        Int(truncatingIfNeeded: node >> 36)
    }

    /// The decoded UTF-8 bytes of a string node.
    static func stringBytes(_ node: UInt64, in input: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        let start = offset(node) + 1
        let length = payload(node)
        if kind(node) == .string { return Array(input[start..<start + length]) }
        return StringUnescaper.decode(input, from: start, count: length)
    }

    /// Whether two string nodes stand for the same sequence of Unicode scalars.
    static func stringsEqual(_ a: UInt64, _ b: UInt64, in input: UnsafeBufferPointer<UInt8>) -> Bool {
        if kind(a) == .string, kind(b) == .string {
            let length = payload(a)
            guard length == payload(b) else { return false }
            guard length > 0, let base = input.baseAddress else { return true }
            return memoryEqual(base + offset(a) + 1, base + offset(b) + 1, length)
        }
        return stringBytes(a, in: input) == stringBytes(b, in: input)
    }

    /// Whether a string node stands for exactly the scalars whose UTF-8 is `utf8`.
    static func stringEquals(_ node: UInt64, _ utf8: [UInt8], in input: UnsafeBufferPointer<UInt8>) -> Bool {
        if kind(node) == .string {
            let length = payload(node)
            guard length == utf8.count else { return false }
            return utf8.withUnsafeBufferPointer { other in
                guard length > 0, let base = input.baseAddress, let otherBase = other.baseAddress else { return true }
                return memoryEqual(base + offset(node) + 1, otherBase, length)
            }
        }
        return stringBytes(node, in: input) == utf8
    }

    /// FNV-1a over the decoded bytes of a string node (equal strings hash equally whether or
    /// not they were written with escapes).
    static func stringHash(_ node: UInt64, in input: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        if kind(node) == .string {
            let start = offset(node) + 1
            for i in start..<start + payload(node) {
                hash = (hash ^ UInt64(input[i])) &* 0x100_0000_01B3
            }
        } else {
            for b in stringBytes(node, in: input) {
                hash = (hash ^ UInt64(b)) &* 0x100_0000_01B3
            }
        }
        return hash
    }
}

@inlinable @inline(__always) func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    var i = 0
    while i + 8 <= count {
        if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) {
            return false
        }
        i += 8
    }
    while i < count {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}
