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

    @inline(__always) private mutating func append(_ node: UInt64) {
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

    // MARK: - Strings

    /// A string starting at the opening quote `start`; returns the index after the closing one.
    @inline(__always) private mutating func scanString(at start: Int) throws(ScanFailure) -> Int {
        var j = start + 1
        var escaped = false
        while true {
            while j + 8 <= end {
                let mask = Self.specialBytes(UInt64(littleEndian: UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self)))
                if mask != 0 {
                    j += mask.trailingZeroBitCount >> 3
                    break
                }
                j += 8
            }
            guard j < end else { throw unterminatedString(at: start) }
            let b = base[j]
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") {
                j = try scanEscape(at: j, stringStart: start)
                escaped = true
            } else if b < 0x20 {
                throw controlCharacter(at: j, stringStart: start)
            } else if b >= 0x80 {
                j = try scanUTF8(at: j)
            } else {
                j += 1
            }
        }
        let length = j - start - 1
        guard length <= JSONTape.payloadLimit else { throw tooManyValues(at: start) }
        append(TapeNode.make(escaped ? .escapedString : .string, offset: start, payload: length))
        return j + 1
    }

    /// High bit set in each byte of `v` (little-endian) that is '"', '\\', below 0x20 or
    /// above 0x7F. Bytes after the first such byte may be flagged spuriously (borrows), never
    /// bytes before it, so the lowest flag is exact.
    @inline(__always) static func specialBytes(_ v: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = v ^ (ones &* 0x22)
        let backslash = v ^ (ones &* 0x5C)
        let hasQuote = (quote &- ones) & ~quote
        let hasBackslash = (backslash &- ones) & ~backslash
        let hasControl = (v &- ones &* 0x20) & ~v
        return (hasQuote | hasBackslash | hasControl | v) & (ones &* 0x80)
    }

    /// An escape at the backslash `i`; returns the index after it.
    private func scanEscape(at i: Int, stringStart: Int) throws(ScanFailure) -> Int {
        guard i + 1 < end else { throw unterminatedString(at: stringStart) }
        switch base[i + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return i + 2
        case UInt8(ascii: "u"):
            let unit = try hex4(at: i)
            if unit >= 0xDC00, unit < 0xE000 { throw loneSurrogate(at: i, unit) }
            guard unit >= 0xD800, unit < 0xDC00 else { return i + 6 }
            let j = i + 6
            guard j + 1 < end, base[j] == UInt8(ascii: "\\"), base[j + 1] == UInt8(ascii: "u") else {
                throw loneSurrogate(at: i, unit)
            }
            let low = try hex4(at: j)
            guard low >= 0xDC00, low < 0xE000 else { throw loneSurrogate(at: i, unit) }
            return j + 6
        default:
            throw invalidEscape(at: i)
        }
    }

    /// The four hex digits of the `\u` escape at backslash `i`.
    private func hex4(at i: Int) throws(ScanFailure) -> UInt32 {
        var value: UInt32 = 0
        for k in 2..<6 {
            guard i + k < end else { throw invalidUnicodeEscape(at: i) }
            let digit = StringUnescaper.hexValue(base[i + k])
            guard digit != 0xFF else { throw invalidUnicodeEscape(at: i) }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// A multi-byte UTF-8 sequence whose lead byte is at `i`; returns the index after it.
    /// Rejects stray continuation bytes, overlong forms (C0, C1, E0 80–9F, F0 80–8F), encoded
    /// surrogates (ED A0–BF), values above U+10FFFF (F4 90+, F5–FF) and truncated sequences.
    @inline(__always) func scanUTF8(at i: Int) throws(ScanFailure) -> Int {
        let length = utf8SequenceLength(at: i)
        guard length > 0 else { throw invalidUTF8(at: i) }
        return i + length
    }

    /// The length of the valid UTF-8 sequence at `i` (lead byte ≥ 0x80), or 0.
    func utf8SequenceLength(at i: Int) -> Int {
        let b0 = base[i]
        @inline(__always) func continuation(_ k: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            i + k < end && base[i + k] >= low && base[i + k] <= high
        }
        switch b0 {
        case 0xC2...0xDF:
            return continuation(1) ? 2 : 0
        case 0xE0:
            return continuation(1, 0xA0) && continuation(2) ? 3 : 0
        case 0xED:
            return continuation(1, 0x80, 0x9F) && continuation(2) ? 3 : 0
        case 0xE1...0xEF:
            return continuation(1) && continuation(2) ? 3 : 0
        case 0xF0:
            return continuation(1, 0x90) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF1...0xF3:
            return continuation(1) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF4:
            return continuation(1, 0x80, 0x8F) && continuation(2) && continuation(3) ? 4 : 0
        default:
            return 0
        }
    }
}
