import Synchronization

/// The parsed form of a document: one 8-byte node per value, in document order.
///
/// For `{"a": [1, "x"]}` the tape is
///
///     index  kind     offset  payload
///     0      object   0       7   (the index after its end node)
///     1      string   1       1   (content length: the key "a")
///     2      array    6       6
///     3      number   7       1   (literal length)
///     4      string   10      1
///     5      end      13          (the ']')
///     6      end      14          (the '}')
///
/// An object's children alternate key, value; a container's payload lets a reader skip its
/// whole subtree in one step, and its end node records where the closing bracket is. Strings
/// keep only their place in the input and are decoded when asked (`escapedString` marks the
/// ones that need unescaping).
///
/// Layout of a node (`UInt64`): bits 0–31 byte offset, bits 32–35 kind, bits 36–63 payload.
/// So inputs are limited to 4 GiB, and strings and documents to 2^28 − 1 content bytes and
/// tape nodes (KF119 beyond).
@usableFromInline final class JSONTape: @unchecked Sendable {
    // @unchecked Sendable: every stored property is set once in `init` and never mutated
    // afterwards (the node buffer is written only by the parser before it is handed over),
    // except the tables of `elementTables`, which only its mutex guards.

    @usableFromInline enum Kind: UInt64, CaseIterable {
        case null = 0, `false`, `true`, number, string, escapedString, array, object, end

        /// The raw value as a byte (raw values are the declaration order: see `TapeNode.kind`).
        @inlinable var tag: UInt8 { UInt8(truncatingIfNeeded: rawValue) }
    }

    static let payloadLimit = (1 << 28) - 1

    let bytes: [UInt8]
    let nodes: UnsafeMutablePointer<UInt64>
    let count: Int
    /// The tape index of every element of the arrays read by position far in, by the array's
    /// tape index: made on the first such read, so that reading element after element by
    /// position (as diagnostics about 20,000 integrations do) is not quadratic.
    private let elementTables = Mutex<[Int: [Int32]]>([:])

    /// Positions below this are found by walking the array (no table).
    static let walkedPositions = 32

    /// Takes ownership of `nodes` (allocated with `UnsafeMutablePointer.allocate`).
    init(bytes: [UInt8], nodes: UnsafeMutablePointer<UInt64>, count: Int) {
        self.bytes = bytes
        self.nodes = nodes
        self.count = count
    }

    deinit {
        nodes.deallocate()
    }

    @inline(__always) func kind(_ index: Int) -> Kind { TapeNode.kind(nodes[index]) }

    @inline(__always) func offset(_ index: Int) -> Int { TapeNode.offset(nodes[index]) }

    @inline(__always) func payload(_ index: Int) -> Int { TapeNode.payload(nodes[index]) }

    /// The index of the node after the value at `index` and all its descendants.
    @inline(__always) func after(_ index: Int) -> Int {
        switch kind(index) {
        case .array, .object: payload(index)
        default: index + 1
        }
    }

    /// The tape index of element `position` of the array at `array`, or nil when it is shorter.
    func element(_ position: Int, ofArray array: Int) -> Int? {
        let end = payload(array) - 1
        if position < Self.walkedPositions {
            var k = array + 1
            var n = 0
            while k < end {
                if n == position { return k }
                n += 1
                k = after(k)
            }
            return nil
        }
        let table = elementTables.withLock { tables in
            if let known = tables[array] { return known }
            var elements: [Int32] = []
            var k = array + 1
            while k < end {
                elements.append(Int32(truncatingIfNeeded: k))
                k = after(k)
            }
            tables[array] = elements
            return elements
        }
        return position < table.count ? Int(table[position]) : nil
    }

    /// The byte range of the value at `index`, from its first byte to its last.
    func byteRange(_ index: Int) -> Range<Int> {
        let start = offset(index)
        switch kind(index) {
        case .null, .true: return start..<start + 4
        case .false: return start..<start + 5
        case .number: return start..<start + payload(index)
        case .string, .escapedString: return start..<start + payload(index) + 2
        case .array, .object: return start..<offset(payload(index) - 1) + 1
        case .end: return start..<start + 1
        }
    }

    /// The UTF-8 bytes a string node stands for, with escapes decoded.
    func stringBytes(_ index: Int) -> [UInt8] {
        bytes.withUnsafeBufferPointer { TapeNode.stringBytes(nodes[index], in: $0) }
    }

    /// The string a string node stands for.
    func string(_ index: Int) -> String {
        let node = nodes[index]
        if TapeNode.kind(node) == .string {
            let start = TapeNode.offset(node) + 1
            return bytes.withUnsafeBufferPointer { buffer in
                String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<start + TapeNode.payload(node)]), as: UTF8.self)
            }
        }
        return String(decoding: stringBytes(index), as: UTF8.self)
    }

    /// Whether the string node at `index` stands for exactly the scalars whose UTF-8 is `utf8`.
    func stringEquals(_ index: Int, _ utf8: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { TapeNode.stringEquals(nodes[index], utf8, in: $0) }
    }

    /// Whether two string nodes stand for the same string (compared as Unicode scalars, not
    /// by canonical equivalence: `"é"` and `"e\u0301"` are different keys).
    func stringsEqual(_ a: Int, _ b: Int) -> Bool {
        bytes.withUnsafeBufferPointer { TapeNode.stringsEqual(nodes[a], nodes[b], in: $0) }
    }
}
