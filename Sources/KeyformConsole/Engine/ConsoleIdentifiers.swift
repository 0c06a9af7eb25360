/// Generates the console's ids, API keys and client secrets from a random source — the
/// system's cryptographic generator (`getrandom` on Linux) unless a test passes a seeded one.
struct ConsoleIdentifiers {
    var generator: any RandomNumberGenerator

    /// A 19-digit decimal id (the shape of the console's project and workspace ids) that no
    /// entity of `state` has.
    mutating func freshId(in state: ConsoleState) -> String {
        while true {
            let id = digits(19)
            if !state.isTaken(id) { return id }
        }
    }

    /// A registration's path id: a lowercase UUID (version 4 layout) no registration has.
    mutating func freshRegistrationId(in state: ConsoleState) -> String {
        while true {
            var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
            bytes[6] = (bytes[6] & 0x0F) | 0x40
            bytes[8] = (bytes[8] & 0x3F) | 0x80
            let hex = Self.hex(bytes)
            let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
            let id = parts.joined(separator: "-")
            if !state.isTaken(id) { return id }
        }
    }

    /// A registration's numeric id (12 digits) no registration has.
    mutating func freshNumericId(in state: ConsoleState) -> Int64 {
        while true {
            let id = Int64.random(in: 100_000_000_000...999_999_999_999, using: &generator)
            if !state.registrationNumericIds.contains(id) { return id }
        }
    }

    /// A client id: 32 lowercase hex characters (128 random bits) no credential has.
    mutating func freshApiKey(in state: ConsoleState) -> String {
        while true {
            let key = Self.hex((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
            if state.credentialIdsByApiKey[key] == nil { return key }
        }
    }

    /// A client secret in the console's shape: `p8e-` and 32 letters and digits (about 190 bits).
    mutating func clientSecret() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return "p8e-" + String((0..<32).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// A fresh organization: a 7-digit numeric id and a 24-hex-digit IMS code.
    mutating func organization(name: String) -> ConsoleOrganization {
        let code = Self.hex((0..<12).map { _ in UInt8.random(in: 0...255, using: &generator) }).uppercased()
        return ConsoleOrganization(id: String(Int.random(in: 1_000_000...9_999_999, using: &generator)), code: code + "@AdobeOrg", name: name)
    }

    /// `count` decimal digits, the first not zero.
    mutating func digits(_ count: Int) -> String {
        var text = String(Int.random(in: 1...9, using: &generator))
        for _ in 1..<count { text.append(Character(String(Int.random(in: 0...9, using: &generator)))) }
        return text
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        var text = ""
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return text
    }
}
