/// A quick test that rules out most strings before `SecretDetector.inspect` looks at them,
/// reading 8 bytes at a time.
///
/// Every pattern needs one of these, so a string with none of them holds no secret:
/// - a run of 15 or more of `[A-Za-z0-9_+-]` (a client secret has 24, a random token 32):
///   such a run covers a whole 8-byte block counted from the string's start;
/// - `-----` (a PEM key);
/// - a whole 8-byte block of `[A-Za-z0-9_+-./=]` and a space or a `J`: a bearer token has
///   `bearer ` and 16 such bytes, a JSON Web Token `eyJ` and 21.
///
/// Prose fails the test early (most blocks hold a space), and so do short URLs.
extension SecretDetector {
    /// Byte classes: bit 0 for `[A-Za-z0-9_+-]`, bit 1 for those and `./=`.
    private static let classes: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for byte in 0..<256 {
            let b = UInt8(byte)
            let token = (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b)
                || b == UInt8(ascii: "_") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-")
            let wide = token || b == UInt8(ascii: ".") || b == UInt8(ascii: "/") || b == UInt8(ascii: "=")
            table[byte] = (token ? 1 : 0) | (wide ? 2 : 0)
        }
        return table
    }()

    /// False when `bytes` certainly holds no secret (see above); true when it may.
    static func mayHoldSecret(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if bytes.count < shortestSecret { return false }
        var wideBlock = false, space = false, dash = false
        let full = bytes.count & ~7
        let tokenBlock = classes.withUnsafeBufferPointer { classes in
            var i = 0
            while i < full {
                let word = ByteScan.word(bytes, i)
                if ByteScan.hasByte(word, UInt8(ascii: "-")) { dash = true }
                if ByteScan.hasByte(word, 0x20) {
                    space = true
                } else {
                    var all: UInt8 = 3
                    for k in i..<(i + 8) { all &= classes[Int(bytes[k])] }
                    if all & 1 != 0 { return true }
                    if all & 2 != 0 { wideBlock = true }
                }
                i += 8
            }
            return false
        }
        if tokenBlock { return true }
        for k in full..<bytes.count {
            if bytes[k] == 0x20 { space = true }
            if bytes[k] == UInt8(ascii: "-") { dash = true }
        }
        if dash, containsDashes(bytes) { return true }
        guard wideBlock else { return false }
        if space { return true }
        for byte in bytes where byte == UInt8(ascii: "J") { return true }
        return false
    }

    private static func containsDashes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var run = 0
        for byte in bytes {
            if byte == UInt8(ascii: "-") {
                run += 1
                if run == 5 { return true }
            } else {
                run = 0
            }
        }
        return false
    }
}
