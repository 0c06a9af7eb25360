/// Scans strict RFC 8259 JSON into a tape (see `JSONTape`) in one pass, without recursion.
///
/// Everything is validated here — structure, numbers, escapes, UTF-8 — so that later reads
/// of the tape (string decoding above all) cannot fail. Strings are scanned eight bytes at a
/// time until a quote, backslash, control character or non-ASCII byte shows up; only then
/// does the scanner look at single bytes.
///
/// Choices where RFC 8259 leaves room (each tested):
/// - a byte order mark is rejected (KF116): Keyform's files are UTF-8 without one;
/// - a `\u` escape of a lone surrogate is rejected (KF115): it names no character and a
///   Swift `String` cannot hold it, so accepting it would silently change the text;
/// - numbers of any size are accepted and kept as written (`1e999` stays `1e999`);
/// - nesting is limited to `maximumDepth` (512) levels (KF110).
struct JSONScanner {
    static let maximumDepth = 512

    struct Frame {
        var opener: Int
        var isObject: Bool
    }

    let base: UnsafePointer<UInt8>
    let end: Int
    private(set) var nodes: UnsafeMutablePointer<UInt64>
    private(set) var count = 0
    private var capacity: Int
    var stack: [Frame] = []
    /// Pairs of key node indices (first, later) with the same key.
    private(set) var duplicates: [(Int, Int)] = []
    private var keys = DuplicateKeyFinder()

    /// - Parameter input: at least one byte.
    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.end = count
        // Manifest-shaped documents need about one node per 8–12 bytes; untouched capacity
        // costs address space only, not memory. Beyond 16 Mi nodes (128 MB) the buffer grows.
        self.capacity = min(max(64, count / 6), 1 << 24)
        self.nodes = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
        stack.reserveCapacity(32)
    }

    /// Frees the node buffer when the scan failed (on success the tape owns it).
    func discard() { nodes.deallocate() }

    @inline(__always) mutating func append(_ node: UInt64) {
        if count == capacity { grow() }
        nodes[count] = node
        count += 1
    }

    private mutating func grow() {
        let larger = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity * 2)
        larger.moveInitialize(from: nodes, count: count)
        nodes.deallocate()
        nodes = larger
        capacity *= 2
    }

    // MARK: - Structure

    mutating func scan() throws(ScanFailure) {
        guard end < 1 << 32 else {
            throw ScanFailure(code: JSONSyntaxCode.tooLarge, message: "the input is larger than 4 GiB", offset: 0, length: 0)
        }
        try checkEncoding()
        var i = skipWhitespace(0)
        if i == end {
            throw ScanFailure(
                code: JSONSyntaxCode.unexpectedEnd, message: "the document is empty: expected a JSON value",
                offset: i, length: 0, help: "write a value, for example {}")
        }
        outer: while true {
            guard i < end else { throw unexpectedEnd(expecting: "a value", at: i) }
            switch base[i] {
            case UInt8(ascii: "\""):
                i = try scanString(at: i)
            case UInt8(ascii: "{"):
                try open(at: i, isObject: true)
                i = skipWhitespace(i + 1)
                if i < end, base[i] == UInt8(ascii: "}") {
                    try close(at: i)
                    i += 1
                } else {
                    i = try scanKey(at: i)
                    continue outer
                }
            case UInt8(ascii: "["):
                try open(at: i, isObject: false)
                i = skipWhitespace(i + 1)
                if i < end, base[i] == UInt8(ascii: "]") {
                    try close(at: i)
                    i += 1
                } else {
                    continue outer
                }
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
                i = try scanNumber(at: i)
            case UInt8(ascii: "t"):
                i = try scanLiteral(at: i, 0x6575_7274, 4, .true)  // "true"
            case UInt8(ascii: "f"):
                i = try scanLiteral(at: i + 1, 0x6573_6C61, 4, .false, start: i)  // "alse"
            case UInt8(ascii: "n"):
                i = try scanLiteral(at: i, 0x6C6C_756E, 4, .null)  // "null"
            default:
                throw unexpectedValueStart(at: i)
            }
            // After a value: a ',' and the next one, a closing bracket, or the end.
            while true {
                i = skipWhitespace(i)
                guard let top = stack.last else {
                    if i < end { throw trailingData(at: i) }
                    return
                }
                guard i < end else { throw unclosed(top, at: i) }
                let c = base[i]
                if c == UInt8(ascii: ",") {
                    let comma = i
                    i = skipWhitespace(i + 1)
                    if i < end, base[i] == (top.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                        throw trailingComma(at: comma, closer: base[i])
                    }
                    if top.isObject { i = try scanKey(at: i) }
                    continue outer
                }
                if c == (top.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    try close(at: i)
                    i += 1
                    continue
                }
                throw missingComma(at: i, in: top)
            }
        }
    }

    @inline(__always) private mutating func open(at i: Int, isObject: Bool) throws(ScanFailure) {
        if stack.count == Self.maximumDepth { throw tooDeep(at: i) }
        stack.append(Frame(opener: count, isObject: isObject))
        append(TapeNode.make(isObject ? .object : .array, offset: i, payload: 0))
    }

    @inline(__always) private mutating func close(at i: Int) throws(ScanFailure) {
        let frame = stack.removeLast()
        append(TapeNode.make(.end, offset: i, payload: 0))
        guard count <= JSONTape.payloadLimit else { throw tooManyValues(at: i) }
        nodes[frame.opener] |= UInt64(count) << 36
        if frame.isObject, count - frame.opener > 5 {  // at least two members
            keys.findDuplicates(
                inObjectAt: frame.opener, nodes: nodes, input: UnsafeBufferPointer(start: base, count: end), into: &duplicates)
        }
    }

    /// A key, the ':' after it and the white space up to the value.
    @inline(__always) private mutating func scanKey(at i: Int) throws(ScanFailure) -> Int {
        guard i < end else { throw unexpectedEnd(expecting: "a string key", at: i) }
        guard base[i] == UInt8(ascii: "\"") else { throw expectedKey(at: i) }
        var j = try scanString(at: i)
        if j < end, base[j] != UInt8(ascii: ":") { j = skipWhitespace(j) }
        guard j < end, base[j] == UInt8(ascii: ":") else { throw expectedColon(at: j, key: i) }
        return skipWhitespace(j + 1)
    }

    @inline(__always) private func skipWhitespace(_ start: Int) -> Int {
        var i = start
        while i < end {
            let b = base[i]
            if b > 0x20 || (b != 0x20 && b != 0x0A && b != 0x0D && b != 0x09) { return i }
            i += 1
            // Indentation: runs of spaces eight at a time.
            while i + 8 <= end, UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) == 0x2020_2020_2020_2020 {
                i += 8
            }
        }
        return i
    }

    @inline(__always) private mutating func scanLiteral(
        at i: Int, _ word: UInt32, _ length: Int, _ kind: JSONTape.Kind, start: Int? = nil
    ) throws(ScanFailure) -> Int {
        let begin = start ?? i
        guard i + length <= end, UInt32(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt32.self)) == word else {
            throw unexpectedValueStart(at: begin)
        }
        append(TapeNode.make(kind, offset: begin, payload: 0))
        return i + length
    }

    // MARK: - Numbers

    private mutating func scanNumber(at start: Int) throws(ScanFailure) -> Int {
        var j = start
        if base[j] == UInt8(ascii: "-") { j += 1 }
        guard j < end, isDigit(base[j]) else { throw numberMissingDigit(at: j, after: "-", start: start) }
        if base[j] == UInt8(ascii: "0") {
            j += 1
            if j < end, isDigit(base[j]) { throw leadingZero(at: start, digitsEnd: digitsEnd(from: j)) }
        } else {
            j = digitsEnd(from: j + 1)
        }
        if j < end, base[j] == UInt8(ascii: ".") {
            j += 1
            guard j < end, isDigit(base[j]) else { throw numberMissingDigit(at: j, after: ".", start: start) }
            j = digitsEnd(from: j + 1)
        }
        if j < end, base[j] | 0x20 == UInt8(ascii: "e") {
            j += 1
            if j < end, base[j] == UInt8(ascii: "+") || base[j] == UInt8(ascii: "-") { j += 1 }
            guard j < end, isDigit(base[j]) else { throw numberMissingDigit(at: j, after: "e", start: start) }
            j = digitsEnd(from: j + 1)
        }
        guard j - start <= JSONTape.payloadLimit else { throw tooManyValues(at: start) }
        append(TapeNode.make(.number, offset: start, payload: j - start))
        return j
    }

    @inline(__always) func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    @inline(__always) func digitsEnd(from start: Int) -> Int {
        var j = start
        while j < end, isDigit(base[j]) { j += 1 }
        return j
    }
}
