/// Byte classes of RFC 9110 and RFC 3986 that the parser and the serializer test against.
enum ASCII {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A
    static let slash: UInt8 = 0x2F
    static let question: UInt8 = 0x3F
    static let percent: UInt8 = 0x25
    static let ampersand: UInt8 = 0x26
    static let equals: UInt8 = 0x3D
    static let hash: UInt8 = 0x23
    static let asterisk: UInt8 = 0x2A
    static let comma: UInt8 = 0x2C

    /// `tchar` of RFC 9110 §5.6.2: the characters of a method or a field name.
    private static let tokenTable: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for byte in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(byte)] = true }
        for byte in UInt8(ascii: "a")...UInt8(ascii: "z") { table[Int(byte)] = true }
        for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { table[Int(byte)] = true }
        for character in "!#$%&'*+-.^_`|~".utf8 { table[Int(character)] = true }
        return table
    }()

    /// Whether `byte` may appear in a token (method, field name).
    static func isToken(_ byte: UInt8) -> Bool { tokenTable[Int(byte)] }

    /// Whether `byte` may appear in a field value (VCHAR, obs-text, SP, HTAB).
    static func isFieldValue(_ byte: UInt8) -> Bool {
        byte == space || byte == tab || (byte >= 0x21 && byte != 0x7F)
    }

    /// Whether `byte` may appear in a request target (visible ASCII, no space).
    static func isTarget(_ byte: UInt8) -> Bool { byte >= 0x21 && byte <= 0x7E }

    /// The ASCII lower-case form of `byte`.
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
    }

    /// The value of a hexadecimal digit, or `nil`.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
