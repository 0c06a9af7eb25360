/// Appends JSON text to a byte buffer: the shared back end of the `JSON` and tape writers.
///
/// Canonical form: members and elements one per line, indented by two spaces per level,
/// `"key": value` with one space, empty containers as `{}` and `[]`, and strings escaped
/// minimally — only `"`, `\` and U+0000–U+001F, using `\b \f \n \r \t` where they exist and
/// `\u00XX` otherwise; everything else (`/`, DEL, non-ASCII, U+2028) is written as itself.
struct CanonicalWriter {
    var out: [UInt8] = []
    /// Whether to break lines and indent (canonical) or write everything on one line (compact).
    let pretty: Bool

    init(pretty: Bool, capacity: Int = 256) {
        self.pretty = pretty
        out.reserveCapacity(capacity)
    }

    /// Before a member or element: the comma after the previous one, and the line break.
    @inline(__always) mutating func separator(first: Bool, depth: Int) {
        if !first { out.append(UInt8(ascii: ",")) }
        if pretty { newline(depth: depth) }
    }

    @inline(__always) mutating func newline(depth: Int) {
        out.append(0x0A)
        for _ in 0..<depth { out.append(0x20); out.append(0x20) }
    }

    @inline(__always) mutating func colon() {
        out.append(UInt8(ascii: ":"))
        if pretty { out.append(0x20) }
    }

    mutating func write(_ literal: StaticString) {
        literal.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    /// A string with minimal escaping, quotes included, from its (valid) UTF-8.
    mutating func writeString(_ utf8: UnsafeBufferPointer<UInt8>) {
        out.append(UInt8(ascii: "\""))
        var runStart = 0
        for i in 0..<utf8.count {
            let b = utf8[i]
            guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
            if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
            runStart = i + 1
            out.append(UInt8(ascii: "\\"))
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(b)
            case 0x08: out.append(UInt8(ascii: "b"))
            case 0x0C: out.append(UInt8(ascii: "f"))
            case 0x0A: out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "t"))
            default:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            }
        }
        if runStart < utf8.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count])) }
        out.append(UInt8(ascii: "\""))
    }

    mutating func writeString(_ string: String) {
        var string = string
        string.withUTF8 { writeString($0) }
    }
}
