/// Decodes the content of a JSON string that the scanner has already validated: `a\u00e9\n`
/// becomes the UTF-8 bytes of "aé" and a line feed; `\ud83d\ude00` becomes the four bytes of
/// U+1F600. Because validation happened while scanning, decoding cannot fail.
package enum StringUnescaper {
    /// Decodes `count` content bytes starting at `start` (just after the opening quote).
    static func decode(_ input: UnsafeBufferPointer<UInt8>, from start: Int, count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        var i = start
        let end = start + count
        while i < end {
            let b = input[i]
            if b != UInt8(ascii: "\\") {
                out.append(b)
                i += 1
                continue
            }
            let e = input[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(input, at: i)
                i += 4
                if scalar >= 0xD800, scalar < 0xDC00 {
                    // The scanner guarantees a low surrogate escape follows.
                    let low = hex4(input, at: i + 2)
                    i += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                appendUTF8(scalar, to: &out)
            default: out.append(e)  // '"', '\\', '/'
            }
        }
        return out
    }

    static func hex4(_ input: UnsafeBufferPointer<UInt8>, at i: Int) -> UInt32 {
        var value: UInt32 = 0
        for k in 0..<4 {
            value = value << 4 | UInt32(hexValue(input[i + k]))
        }
        return value
    }

    /// The value of a hex digit, or 0xFF for a byte that is not one.
    @inline(__always) package static func hexValue(_ b: UInt8) -> UInt8 {
        switch b {
        case 0x30...0x39: b &- 0x30
        case 0x41...0x46: b &- 0x41 &+ 10
        case 0x61...0x66: b &- 0x61 &+ 10
        default: 0xFF
        }
    }

    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
