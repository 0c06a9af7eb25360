import KeyformJSON

/// Reading JSON without a tape: objects, arrays, keys, strings and white space, 8 bytes at a
/// time where it pays; anything unusual is a failure (the full pipeline then reads the file).
extension ManifestFastCheck {
    // MARK: - Objects

    static let endOfObject = -1
    static let failure = -2

    /// After an object's `{` or a member: the next member's key and `:`, as the number of the
    /// property it names (`present` gains it), or `endOfObject` after the `}`; `failure` for a
    /// key the schema does not allow, a repeated key, or anything but a key.
    /// `previous` is the number of the member before (-1 for none).
    mutating func nextMember(_ shape: ManifestFastSchema.Object, _ present: inout UInt32, after previous: Int) -> Int {
        skipWhitespace()
        guard i < end else { return Self.failure }
        if base[i] == UInt8(ascii: "}") {
            i += 1
            return Self.endOfObject
        }
        if present != 0 {
            guard base[i] == UInt8(ascii: ",") else { return Self.failure }
            i += 1
            skipWhitespace()
        }
        let follower = shape.slots + previous + 1
        var number = Int(followers[follower])
        if number < 0 || !keyIs(properties[shape.properties.lowerBound + number].name) {
            guard let key = shortKey() else { return Self.failure }
            number = self.number(of: key, in: shape)
            followers[follower] = Int8(number)
        }
        guard number >= 0, present & (1 << UInt32(number)) == 0 else { return Self.failure }
        present |= 1 << UInt32(number)
        skipWhitespace()
        guard take(UInt8(ascii: ":")) else { return Self.failure }
        skipWhitespace()
        return number
    }

    /// Whether the key at `i` (its opening quote) is `name`, written plainly; if so, reads it.
    /// The bytes after the quote are compared as two words, and the one after them must be
    /// the closing quote, so `"name"` matches `name` and `"name2"` or `"n\u0061me"` do not.
    @inline(__always)
    mutating func keyIs(_ name: ManifestFastSchema.ShortName) -> Bool {
        let start = i + 1
        guard start + 16 < end, base[i] == UInt8(ascii: "\""), base[start + name.count] == UInt8(ascii: "\"") else { return false }
        let low = UInt64(littleEndian: UnsafeRawPointer(base + start).loadUnaligned(as: UInt64.self))
        let high = UInt64(littleEndian: UnsafeRawPointer(base + start + 8).loadUnaligned(as: UInt64.self))
        guard ManifestFastSchema.ShortName(count: name.count, wordsMasked: low, high) == name else { return false }
        i = start + name.count + 1
        return true
    }

    /// The key at `i` (its opening quote), when it is at most 16 plain ASCII bytes (as every
    /// property name is): read as two words, without a loop over its bytes.
    @inline(__always)
    mutating func shortKey() -> ManifestFastSchema.ShortName? {
        guard i < end, base[i] == UInt8(ascii: "\"") else { return nil }
        let start = i + 1
        guard start + 16 <= end else {
            guard let token = string(), !token.escaped, !token.nonASCII else { return nil }
            return ManifestFastSchema.ShortName(buffer(token.range))
        }
        let low = UInt64(littleEndian: UnsafeRawPointer(base + start).loadUnaligned(as: UInt64.self))
        let high = UInt64(littleEndian: UnsafeRawPointer(base + start + 8).loadUnaligned(as: UInt64.self))
        let lowStops = Self.specialBytes(low, dollar: false), highStops = Self.specialBytes(high, dollar: false)
        let count = lowStops != 0 ? lowStops.trailingZeroBitCount >> 3 : highStops != 0 ? 8 + highStops.trailingZeroBitCount >> 3 : 16
        // The first byte that is not plain ASCII must be the closing quote.
        guard count < 16, base[start + count] == UInt8(ascii: "\"") else { return nil }
        i = start + count + 1
        return ManifestFastSchema.ShortName(count: count, wordsMasked: low, high)
    }

    /// After an array's `[` or an element: true before the next element, false after the
    /// `]`, nil for anything else.
    mutating func nextElement(first: Bool) -> Bool? {
        skipWhitespace()
        guard i < end else { return nil }
        if base[i] == UInt8(ascii: "]") {
            i += 1
            return false
        }
        if !first {
            guard base[i] == UInt8(ascii: ",") else { return nil }
            i += 1
            skipWhitespace()
        }
        return true
    }

    /// The schema's `if`/`then`s, on the members present (the tested value was checked
    /// against the property's own schema when it was read; here it is compared again).
    /// `tested` is the member the conditionals may test (with its bytes, `value`); one that
    /// tests another is left to the full pipeline.
    mutating func conditionals(
        _ shape: ManifestFastSchema.Object, _ present: UInt32, tested: Int = -1, value: ManifestFastSchema.ShortName? = nil
    ) -> Bool {
        for index in shape.conditionals {
            let conditional = conditionalList[index]
            guard conditional.property == tested else { return false }
            guard present & (1 << UInt32(tested)) != 0, let value, conditional.values.contains(where: { allowed[$0] == value }) else {
                continue
            }
            if present & conditional.requires != conditional.requires || present & conditional.forbids != 0 { return false }
        }
        return true
    }

    // MARK: - Reading
    //
    // The helpers that read `self` are `mutating` although they change nothing: called from
    // the mutating readers, a non-mutating method is given a copy of this 300-byte struct
    // (measured: a tenth of the time went to those copies).

    struct Token {
        var range: Range<Int>
        var escaped = false
        /// Some escape is `\u…` (then the value may hold what the bytes do not: `$`, non-ASCII).
        var unicodeEscaped = false
        var nonASCII = false
        var dollar = false
    }

    @inline(__always)
    func buffer(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
    }

    mutating func same(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
        a.count == b.count && buffer(a).elementsEqual(buffer(b))
    }

    @inline(__always)
    mutating func take(_ byte: UInt8) -> Bool {
        guard i < end, base[i] == byte else { return false }
        i += 1
        return true
    }

    /// Skips white space, 8 bytes at a time without a branch per byte: a line break and its
    /// indentation take a step or two.
    @inline(__always)
    mutating func skipWhitespace() {
        // Most calls find a value or a ':' at once, or one space (after a ':').
        if i < end, base[i] > 0x20 { return }
        if i + 1 < end, base[i] == 0x20, base[i + 1] > 0x20 {
            i += 1
            return
        }
        while i + 8 <= end {
            let v = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
            let white = Self.zeroBytes(v ^ 0x2020_2020_2020_2020) | Self.zeroBytes(v ^ 0x0A0A_0A0A_0A0A_0A0A)
                | Self.zeroBytes(v ^ 0x0D0D_0D0D_0D0D_0D0D) | Self.zeroBytes(v ^ 0x0909_0909_0909_0909)
            let other = ~white & 0x8080_8080_8080_8080
            if other != 0 {
                i += other.trailingZeroBitCount >> 3
                return
            }
            i += 8
        }
        while i < end, base[i] == 0x20 || base[i] == 0x0A || base[i] == 0x0D || base[i] == 0x09 { i += 1 }
    }

    /// The high bit of each byte of `x` that is zero, exactly (no borrow crosses bytes).
    @inline(__always)
    static func zeroBytes(_ x: UInt64) -> UInt64 {
        ~((((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x)) & 0x8080_8080_8080_8080
    }

    /// The string at `i` (its opening quote), read 8 bytes at a time; nil when it is not one
    /// this check reads: unterminated, holding a control character, invalid UTF-8 or a `\u`
    /// escape (left to the full pipeline).
    @inline(__always)
    mutating func string() -> Token? {
        guard i < end, base[i] == UInt8(ascii: "\"") else { return nil }
        var token = Token(range: 0..<0)
        let start = i + 1
        var j = start
        while true {
            while j + 8 <= end {
                let mask = Self.specialBytes(UInt64(littleEndian: UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self)))
                if mask != 0 {
                    j += mask.trailingZeroBitCount >> 3
                    break
                }
                j += 8
            }
            guard j < end else { return nil }
            let b = base[j]
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") {
                guard j + 1 < end else { return nil }
                switch base[j + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    token.escaped = true
                    j += 2
                case UInt8(ascii: "u"):
                    guard let next = Self.unicodeEscape(base, at: j, end: end) else { return nil }
                    j = next
                    token.escaped = true
                    token.unicodeEscaped = true
                default:
                    return nil
                }
            } else if b == UInt8(ascii: "$") {
                token.dollar = true
                j += 1
            } else if b < 0x20 {
                return nil
            } else if b >= 0x80 {
                let length = UTF8Sequence.length(base, at: j, end: end)
                guard length > 0 else { return nil }
                token.nonASCII = true
                j += length
            } else {
                j += 1
            }
        }
        token.range = start..<j
        i = j + 1
        return token
    }

    /// High bit set in each byte of `v` that is '"', '\\', '$' (unless `dollar` is false),
    /// below 0x20 or above 0x7F; bytes after the first may be flagged spuriously, never bytes
    /// before it.
    @inline(__always)
    static func specialBytes(_ v: UInt64, dollar: Bool = true) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = v ^ (ones &* 0x22)
        let backslash = v ^ (ones &* 0x5C)
        var found = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
        if dollar {
            let dollars = v ^ (ones &* 0x24)
            found |= (dollars &- ones) & ~dollars
        }
        return (found | ((v &- ones &* 0x20) & ~v) | v) & (ones &* 0x80)
    }

    /// The value of a string with simple escapes, in `scratch`.
    @inline(never)  // rare: kept out of the value readers
    mutating func decode(_ raw: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        reserve(raw.count)  // no escape decodes to more bytes than it takes
        var count = 0
        var k = 0
        while k < raw.count {
            var b = raw[k]
            if b == UInt8(ascii: "\\") {
                k += 1
                switch raw[k] {
                case UInt8(ascii: "b"): b = 0x08
                case UInt8(ascii: "f"): b = 0x0C
                case UInt8(ascii: "n"): b = 0x0A
                case UInt8(ascii: "r"): b = 0x0D
                case UInt8(ascii: "t"): b = 0x09
                case UInt8(ascii: "u"):
                    // `string()` checked the digits and the pairing.
                    var scalar = Self.hex4(raw, at: k - 1)
                    k += 5
                    if (0xD800..<0xDC00).contains(scalar) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (Self.hex4(raw, at: k) - 0xDC00)
                        k += 6
                    }
                    for unit in UTF8.encode(Unicode.Scalar(scalar)!)! {
                        scratch[count] = unit
                        count += 1
                    }
                    continue
                default: b = raw[k]  // '"', '\\' or '/'
                }
            }
            scratch[count] = b
            count += 1
            k += 1
        }
        return UnsafeBufferPointer(rebasing: scratch[0..<count])
    }

    /// The `\u` escape whose backslash is at `j`, checked as the parser checks it (four hex
    /// digits; surrogates only as a high-low pair); the index after it, or nil. Out of line:
    /// rare, and kept out of the string loop.
    @inline(never)
    static func unicodeEscape(_ base: UnsafePointer<UInt8>, at j: Int, end: Int) -> Int? {
        guard let unit = hex4(base, at: j, end: end), !(0xDC00..<0xE000).contains(unit) else { return nil }
        guard (0xD800..<0xDC00).contains(unit) else { return j + 6 }
        guard j + 7 < end, base[j + 6] == UInt8(ascii: "\\"), base[j + 7] == UInt8(ascii: "u"),
            let low = hex4(base, at: j + 6, end: end), (0xDC00..<0xE000).contains(low)
        else { return nil }
        return j + 12
    }

    /// The four hex digits after the `\u` whose backslash is at `j` of `base[0..<end]`, or nil.
    static func hex4(_ base: UnsafePointer<UInt8>, at j: Int, end: Int) -> UInt32? {
        guard j + 5 < end else { return nil }
        var value: UInt32 = 0
        for k in (j + 2)...(j + 5) {
            let digit = StringUnescaper.hexValue(base[k])
            guard digit != 0xFF else { return nil }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// The four hex digits after the `\u` whose backslash is at `j` in `raw` (checked before).
    static func hex4(_ raw: UnsafeBufferPointer<UInt8>, at j: Int) -> UInt32 {
        hex4(raw.baseAddress!, at: j, end: raw.count) ?? 0
    }
}
