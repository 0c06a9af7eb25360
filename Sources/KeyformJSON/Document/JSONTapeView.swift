/// Read access to a parsed document's values by tape index, with no reference counting and
/// no allocation, for loops that visit every value of large documents (`keyform validate`
/// reads the members of 10,000 integrations this way). Obtained from
/// `JSONDocument.withTapeView`; valid only inside that closure.
///
/// Index 0 is the root, and values are numbered in document order (see `JSONTape`). A
/// container's children run from `index + 1` up to `end(of:)`; `next(after:)` skips a whole
/// value, so for `{"a": [1, "x"], "b": true}`:
///
///     document.withTapeView { view in
///         var k = 1                          // the first key
///         while k < view.end(of: 0) {        // object members: key at k, value at k + 1
///             print(view.string(k), view.kind(k + 1))   // a array, then b bool
///             k = view.next(after: k + 1)
///         }
///     }
///
/// `JSONValueRef.tapeIndex` and `JSONDocument.value(atTapeIndex:)` convert between the two
/// ways of pointing at a value.
public struct JSONTapeView {
    @usableFromInline let nodes: UnsafePointer<UInt64>
    /// The document's bytes.
    public let bytes: UnsafeBufferPointer<UInt8>

    @usableFromInline init(nodes: UnsafePointer<UInt64>, bytes: UnsafeBufferPointer<UInt8>) {
        self.nodes = nodes
        self.bytes = bytes
    }

    @inlinable @inline(__always) func tapeKind(_ index: Int) -> JSONTape.Kind { TapeNode.kind(nodes[index]) }

    /// The node's kind bits: `JSONTape.Kind`'s raw value, read without converting (the
    /// conversion is a call the optimizer keeps; a test checks these numbers against the enum).
    @inlinable @inline(__always) func rawKind(_ index: Int) -> UInt64 { (nodes[index] >> 32) & 0xF }

    @usableFromInline static var plainStringKind: UInt64 { 4 }

    /// Which of the six kinds of value is at `index`.
    @inlinable public func kind(_ index: Int) -> JSONKind {
        // null 0, false 1, true 2, number 3, string 4, escapedString 5, array 6, object 7, end 8
        switch rawKind(index) {
        case 1, 2: .bool
        case 3: .number
        case 4, 5: .string
        case 6: .array
        case 7: .object
        default: .null
        }
    }

    /// Whether the value at `index` is a string written without escapes, so that its bytes in
    /// the input (`rawString`) are its UTF-8.
    @inlinable public func isPlainString(_ index: Int) -> Bool { rawKind(index) == Self.plainStringKind }

    /// The boolean at `index`, when it is `true` or `false`.
    @inlinable public func bool(_ index: Int) -> Bool? {
        switch tapeKind(index) {
        case .true: true
        case .false: false
        default: nil
        }
    }

    /// The index just past the value at `index` and everything inside it: its next sibling,
    /// or its container's end.
    @inlinable public func next(after index: Int) -> Int {
        let node = nodes[index]
        let kind = (node >> 32) & 0xF
        return kind == 6 || kind == 7 ? TapeNode.payload(node) : index + 1
    }

    /// For an array or object at `index`, the index of its end node: its children are the
    /// values from `index + 1` up to (not including) this. `index + 1` for other kinds.
    @inlinable public func end(of index: Int) -> Int {
        let node = nodes[index]
        let kind = (node >> 32) & 0xF
        return kind == 6 || kind == 7 ? TapeNode.payload(node) - 1 : index + 1
    }

    /// The byte offset of the value's first byte (the opening quote of a string).
    @inlinable public func offset(_ index: Int) -> Int { TapeNode.offset(nodes[index]) }

    /// The bytes of the value at `index` in the input, from its first byte to its last.
    @inlinable public func byteRange(_ index: Int) -> Range<Int> {
        let node = nodes[index]
        let start = TapeNode.offset(node)
        switch TapeNode.kind(node) {
        case .null, .true: return start..<start + 4
        case .false: return start..<start + 5
        case .number: return start..<start + TapeNode.payload(node)
        case .string, .escapedString: return start..<start + TapeNode.payload(node) + 2
        case .array, .object: return start..<TapeNode.offset(nodes[TapeNode.payload(node) - 1]) + 1
        case .end: return start..<start + 1
        }
    }

    /// For a string at `index`, its content as written between the quotes (escapes not
    /// decoded: use `isPlainString` to know whether these bytes are the string's UTF-8).
    @inlinable public func rawString(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        let node = nodes[index]
        let start = TapeNode.offset(node) + 1
        return UnsafeBufferPointer(rebasing: bytes[start..<start + TapeNode.payload(node)])
    }

    /// The decoded string at `index` (a string node: a value or a key).
    public func string(_ index: Int) -> String {
        let node = nodes[index]
        if TapeNode.kind(node) == .string {
            return String(decoding: rawString(index), as: UTF8.self)
        }
        return String(decoding: TapeNode.stringBytes(node, in: bytes), as: UTF8.self)
    }

    /// The decoded UTF-8 of the string at `index`.
    public func stringBytes(_ index: Int) -> [UInt8] {
        TapeNode.stringBytes(nodes[index], in: bytes)
    }

    /// Whether the string at `index` is exactly the scalars whose UTF-8 is `utf8`.
    @inlinable public func string(_ index: Int, equals utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        if isPlainString(index) {
            let raw = rawString(index)
            guard raw.count == utf8.count else { return false }
            guard let a = raw.baseAddress, let b = utf8.baseAddress else { return true }
            return memoryEqual(a, b, raw.count)
        }
        return stringBytes(index).elementsEqual(utf8)
    }
}

extension JSONDocument {
    /// Calls `body` with a view of this document's tape (see `JSONTapeView`).
    public func withTapeView<R>(_ body: (JSONTapeView) throws -> R) rethrows -> R {
        try tape.bytes.withUnsafeBufferPointer { buffer in
            try body(JSONTapeView(nodes: UnsafePointer(tape.nodes), bytes: buffer))
        }
    }

    /// The value at a tape index of this document (from a `JSONTapeView`).
    public func value(atTapeIndex index: Int) -> JSONValueRef {
        JSONValueRef(tape: tape, index: min(max(0, index), tape.count - 1))
    }
}

extension JSONValueRef {
    /// This value's index in its document's tape (see `JSONTapeView`).
    public var tapeIndex: Int { index }

    /// Calls `body` with a view of the tape of this value's document (this value is at
    /// `tapeIndex` in it); the view is valid only inside the closure.
    public func withTapeView<R>(_ body: (JSONTapeView) throws -> R) rethrows -> R {
        try tape.bytes.withUnsafeBufferPointer { buffer in
            try body(JSONTapeView(nodes: UnsafePointer(tape.nodes), bytes: buffer))
        }
    }
}
