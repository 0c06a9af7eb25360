/// Generates the console's ids, API keys and client secrets from a random source — the
/// system's cryptographic generator (`getrandom` on Linux) unless a test passes a seeded one.
///
/// Draws 64 bits at a time and spends them byte by byte; digits and letters come from bytes
/// by rejection sampling, so they are uniform.
struct ConsoleIdentifiers {
    var generator: any RandomNumberGenerator
    private var buffered: UInt64 = 0
    private var bufferedBytes = 0

    init(generator: any RandomNumberGenerator) {
        self.generator = generator
    }

    /// One uniformly random byte.
    mutating func byte() -> UInt8 {
        if bufferedBytes == 0 {
            buffered = generator.next()
            bufferedBytes = 8
        }
        let value = UInt8(truncatingIfNeeded: buffered)
        buffered >>= 8
        bufferedBytes -= 1
        return value
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in byte() }
    }

    /// A uniform value in `0..<bound` (bound at most 256), by rejection sampling.
    mutating func below(_ bound: Int) -> Int {
        let limit = 256 - 256 % bound
        while true {
            let value = Int(byte())
            if value < limit { return value % bound }
        }
    }

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
            var bytes = bytes(16)
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
            guard let id = Int64(digits(12)) else { continue }
            if !state.registrationNumericIds.contains(id) { return id }
        }
    }

    /// A client id: 32 lowercase hex characters (128 random bits) no credential has.
    mutating func freshApiKey(in state: ConsoleState) -> String {
        while true {
            let key = Self.hex(bytes(16))
            if state.credentialIdsByApiKey[key] == nil { return key }
        }
    }

    /// A client secret in the console's shape: `p8e-` and 32 letters and digits (about 190 bits).
    mutating func clientSecret() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return "p8e-" + String((0..<32).map { _ in alphabet[below(alphabet.count)] })
    }

    /// A fresh organization: a 7-digit numeric id and a 24-hex-digit IMS code.
    mutating func organization(name: String) -> ConsoleOrganization {
        let code = Self.hex(bytes(12)).uppercased()
        return ConsoleOrganization(id: digits(7), code: code + "@AdobeOrg", name: name)
    }

    /// `count` decimal digits, the first not zero.
    mutating func digits(_ count: Int) -> String {
        var text = String(1 + below(9))
        for _ in 1..<count { text.append(Character(String(below(10)))) }
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
