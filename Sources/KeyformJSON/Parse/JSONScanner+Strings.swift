/// Strings: the part of the scan that sees most bytes. For `"a\u00e9\n"` it checks the
/// escapes (`\u` with four hex digits, surrogates only in pairs) and records an
/// `escapedString` node covering the 9 content bytes; `"plain"` becomes a `string` node that
/// later reads copy straight from the input.
extension JSONScanner {
    /// A string starting at the opening quote `start`; returns the index after the closing one.
    @inline(__always) mutating func scanString(at start: Int) throws(ScanFailure) -> Int {
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
    func scanEscape(at i: Int, stringStart: Int) throws(ScanFailure) -> Int {
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
    func hex4(at i: Int) throws(ScanFailure) -> UInt32 {
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
    @inline(__always) func utf8SequenceLength(at i: Int) -> Int { UTF8Sequence.length(base, at: i, end: end) }

}

/// Strict UTF-8, shared by the scanner and the readers that check text without a tape.
package enum UTF8Sequence {
    /// The length of the valid UTF-8 sequence at `i` of `base[0..<end]` (lead byte ≥ 0x80), or 0.
    /// Rejects stray continuation bytes, overlong forms (C0, C1, E0 80–9F, F0 80–8F), encoded
    /// surrogates (ED A0–BF), values above U+10FFFF (F4 90+, F5–FF) and truncated sequences.
    @inline(__always)
    package static func length(_ base: UnsafePointer<UInt8>, at i: Int, end: Int) -> Int {
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
