/// A quick test that rules out most strings before `SecretDetector.inspect` looks at them,
/// reading 8 bytes at a time.
///
/// Every pattern needs one of these, so a string with none of them holds no secret:
/// - a run of 23 or more of `[A-Za-z0-9_+-]` (a client secret has 24, a random token 32):
///   such a run covers two whole consecutive 8-byte blocks counted from the string's start;
/// - `-----` (a PEM key);
/// - a whole 8-byte block of `[A-Za-z0-9_+-./=~]` and a space or a `J`: a bearer token has
///   `bearer ` and 16 such bytes, a JSON Web Token `eyJ` and 21.
///
/// Prose fails the test early (most blocks hold a space), and so do short URLs.
extension SecretDetector {
    /// Byte classes: bit 0 for `[A-Za-z0-9_+-]`, bit 1 for those and `./=~`.
    private static let classes: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for byte in 0..<256 {
            let b = UInt8(byte)
            let token = (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b)
                || b == UInt8(ascii: "_") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-")
            let wide = token || b == UInt8(ascii: ".") || b == UInt8(ascii: "/") || b == UInt8(ascii: "=") || b == UInt8(ascii: "~")
            table[byte] = (token ? 1 : 0) | (wide ? 2 : 0)
        }
        return table
    }()

    /// False when `bytes` certainly holds no secret (see above); true when it may.
    static func mayHoldSecret(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if bytes.count < shortestSecret { return false }
        let full = bytes.count & ~7
        return classes.withUnsafeBufferPointer { classes in
            // 1. Two token blocks in a row; and which of ' ', 'J', '-' occur. A block holding a
            //    space, '.' or '/' is no token block, which settles most blocks without a lookup.
            var space = false, jay = false, dash = false, previousTokenBlock = false
            var i = 0
            while i < full {
                let word = ByteScan.word(bytes, i)
                let hasSpace = ByteScan.hasByte(word, 0x20)
                space = space || hasSpace
                jay = jay || ByteScan.hasByte(word, UInt8(ascii: "J"))
                dash = dash || ByteScan.hasByte(word, UInt8(ascii: "-"))
                if hasSpace || ByteScan.hasByte(word, UInt8(ascii: ".")) || ByteScan.hasByte(word, UInt8(ascii: "/")) {
                    previousTokenBlock = false
                } else if Self.all(classes, bytes, i) & 1 != 0 {
                    if previousTokenBlock { return true }
                    previousTokenBlock = true
                } else {
                    previousTokenBlock = false
                }
                i += 8
            }
            for k in full..<bytes.count {
                space = space || bytes[k] == 0x20
                jay = jay || bytes[k] == UInt8(ascii: "J")
                dash = dash || bytes[k] == UInt8(ascii: "-")
            }
            // 2. A PEM key.
            if dash, containsDashes(bytes) { return true }
            // 3. A bearer token or JSON Web Token: a block of wide bytes, and a space or a 'J'.
            guard space || jay else { return false }
            i = 0
            while i < full {
                if !ByteScan.hasByte(ByteScan.word(bytes, i), 0x20), Self.all(classes, bytes, i) & 2 != 0 { return true }
                i += 8
            }
            return false
        }
    }

    /// The classes every byte of the block at `offset` has.
    @inline(__always)
    private static func all(_ classes: UnsafeBufferPointer<UInt8>, _ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int) -> UInt8 {
        var all: UInt8 = 3
        for k in offset..<(offset + 8) { all &= classes[Int(bytes[k])] }
        return all
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
