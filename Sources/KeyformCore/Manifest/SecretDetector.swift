/// Finds values that look like credentials, which never belong in a manifest.
///
/// Recognised, in this order (the first match wins, one finding per value):
/// - an Adobe client secret: `p8e-` followed by 20 or more letters, digits, `-` or `_`;
/// - a PEM private key: `-----BEGIN … PRIVATE KEY-----`;
/// - a bearer token: `Bearer ` followed by a token of 16 or more characters;
/// - a JSON Web Token: `eyJ…` header and `.eyJ…` payload segments (base64url of `{"`);
/// - a random-looking token in a field that is not a known public one: 32 or more
///   characters of `[A-Za-z0-9_+-]`, either hexadecimal with Shannon entropy ≥ 3 bits per
///   character or mixing upper case, lower case and digits with entropy ≥ 4.2 bits.
///
/// Known public fields (names, codes, ids) are not checked for random tokens: an integration
/// named after a 32-digit hex id is allowed. The other patterns apply to every field.
enum SecretDetector {
    enum Kind: String, Hashable, Sendable {
        case clientSecret = "an Adobe client secret"
        case privateKey = "a private key"
        case bearerToken = "a bearer token"
        case jsonWebToken = "a JSON Web Token"
        case randomToken = "a random token (a long, high-entropy string)"
    }

    /// No pattern matches fewer bytes.
    static let shortestSecret = 16

    /// Fields whose values are public identifiers, exempt from the random-token check.
    static let publicFields: Set<String> = [
        "$schema", "name", "type", "services", "provider", "eventCodes", "formerNames", "allowedDomains",
    ]

    /// What `value` looks like, when it looks like a secret.
    /// - Parameter field: the member name the value belongs to (for array items, the array's).
    static func inspect(_ value: String, field: String?) -> Kind? {
        if value.utf8.count < shortestSecret { return nil }
        var value = value
        return value.withUTF8 { inspect(bytes: $0, field: field) }
    }

    static func inspect(bytes: UnsafeBufferPointer<UInt8>, field: String?) -> Kind? {
        // One pass finds which patterns could start here; most values have none.
        var maybeClientSecret = false, maybePrivateKey = false, maybeBearer = false, maybeJWT = false
        var longestTokenRun = 0, run = 0
        for i in 0..<bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "p") where i + 3 < bytes.count && bytes[i + 1] == UInt8(ascii: "8") && bytes[i + 2] == UInt8(ascii: "e"):
                maybeClientSecret = true
            case UInt8(ascii: "-") where i + 4 < bytes.count && bytes[i + 4] == UInt8(ascii: "-"):
                maybePrivateKey = true
            case UInt8(ascii: "b"), UInt8(ascii: "B"):
                if i + 6 < bytes.count, bytes[i + 6] == UInt8(ascii: " ") { maybeBearer = true }
            case UInt8(ascii: "e") where i + 2 < bytes.count && bytes[i + 1] == UInt8(ascii: "y") && bytes[i + 2] == UInt8(ascii: "J"):
                maybeJWT = true
            default:
                break
            }
            if isTokenByte(b) || b == 0x2B { run += 1; longestTokenRun = max(longestTokenRun, run) } else { run = 0 }
        }
        if maybeClientSecret, containsClientSecret(bytes) { return .clientSecret }
        if maybePrivateKey, containsPrivateKey(bytes) { return .privateKey }
        if maybeBearer, containsBearerToken(bytes) { return .bearerToken }
        if maybeJWT, containsJSONWebToken(bytes) { return .jsonWebToken }
        if longestTokenRun < 32 { return nil }
        if let field, publicFields.contains(field) { return nil }
        if containsRandomToken(bytes) { return .randomToken }
        return nil
    }

    private static func isTokenByte(_ b: UInt8) -> Bool {
        isAlphanumeric(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: "_")
    }

    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b)
    }

    private static func isBase64URLByte(_ b: UInt8) -> Bool { isAlphanumeric(b) || b == 0x2D || b == 0x5F }

    /// Length of the run of bytes satisfying `predicate` starting at `start`.
    private static func run(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, _ predicate: (UInt8) -> Bool) -> Int {
        var end = start
        while end < bytes.count, predicate(bytes[end]) { end += 1 }
        return end - start
    }

    static func containsClientSecret(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let marker = Array("p8e-".utf8)
        var i = 0
        while i + marker.count <= bytes.count {
            if bytes[i] == marker[0], bytes[i..<(i + marker.count)].elementsEqual(marker),
                i == 0 || !isAlphanumeric(bytes[i - 1]),
                run(bytes, from: i + marker.count, isTokenByte) >= 20
            {
                return true
            }
            i += 1
        }
        return false
    }

    /// `-----BEGIN ` and the next `-----`, with `PRIVATE KEY` (PEM: `RSA PRIVATE KEY`, …) or
    /// `PRIVATE KEY BLOCK` (OpenPGP) just before it.
    static func containsPrivateKey(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let begin = Array("-----BEGIN ".utf8), dashes = Array("-----".utf8)
        guard let start = firstIndex(of: begin, in: bytes, from: 0),
            let end = firstIndex(of: dashes, in: bytes, from: start + begin.count)
        else { return false }
        return [Array("PRIVATE KEY".utf8), Array("PRIVATE KEY BLOCK".utf8)].contains { kind in
            end - kind.count >= start + begin.count && bytes[(end - kind.count)..<end].elementsEqual(kind)
        }
    }

    private static func firstIndex(of needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start >= 0, needle.count <= bytes.count else { return nil }
        var i = start
        while i + needle.count <= bytes.count {
            if bytes[i] == needle[0] {
                var k = 1
                while k < needle.count, bytes[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    static func containsBearerToken(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let marker = Array("bearer ".utf8)
        var i = 0
        while i + marker.count <= bytes.count {
            var matches = i == 0 || !isAlphanumeric(bytes[i - 1])
            var k = 0
            while matches, k < marker.count {
                let b = bytes[i + k] | (bytes[i + k] >= 0x41 && bytes[i + k] <= 0x5A ? 0x20 : 0)
                matches = b == marker[k]
                k += 1
            }
            if matches {
                // RFC 6750's b64token: letters, digits and - . _ ~ + /, then any '='.
                let token = run(bytes, from: i + marker.count) {
                    isTokenByte($0) || $0 == 0x2E || $0 == 0x2B || $0 == 0x2F || $0 == 0x3D || $0 == 0x7E
                }
                if token >= 16 { return true }
            }
            i += 1
        }
        return false
    }

    static func containsJSONWebToken(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let marker = Array("eyJ".utf8)
        var i = 0
        while i + marker.count <= bytes.count {
            if bytes[i] == marker[0], bytes[i..<(i + 3)].elementsEqual(marker) {
                let header = run(bytes, from: i, isBase64URLByte)
                let dot = i + header
                if header >= 10, dot + 4 <= bytes.count, bytes[dot] == 0x2E,
                    bytes[(dot + 1)..<(dot + 4)].elementsEqual(marker),
                    run(bytes, from: dot + 1, isBase64URLByte) >= 10
                {
                    return true
                }
            }
            i += 1
        }
        return false
    }

    static func containsRandomToken(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < bytes.count {
            let length = run(bytes, from: i) { isTokenByte($0) || $0 == 0x2B }
            if length >= 32, looksRandom(bytes[i..<(i + length)]) { return true }
            i += max(length, 1)
        }
        return false
    }

    static func looksRandom(_ token: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        var counts = [Int](repeating: 0, count: 256)
        var hex = true, upper = false, lower = false, digit = false
        for b in token {
            counts[Int(b)] += 1
            switch b {
            case 0x30...0x39: digit = true
            case 0x41...0x46: upper = true
            case 0x61...0x66: lower = true
            case 0x47...0x5A: upper = true; hex = false
            case 0x67...0x7A: lower = true; hex = false
            default: hex = false
            }
        }
        var entropy = 0.0
        let n = Double(token.count)
        for c in counts where c > 0 {
            let p = Double(c) / n
            entropy -= p * log2(p)
        }
        if hex, digit, lower || upper { return entropy >= 3.0 }
        return upper && lower && digit && entropy >= 4.2
    }

    private static func log2(_ x: Double) -> Double {
        // ln(x) / ln(2) without Foundation: the core stays free of it.
        var y = x, exponent = 0.0
        while y > 2 { y /= 2; exponent += 1 }
        while y < 1 { y *= 2; exponent -= 1 }
        // ln(y) for y in [1, 2) by the atanh series.
        let t = (y - 1) / (y + 1), t2 = t * t
        var term = t, sum = 0.0, k = 1.0
        for _ in 0..<30 {
            sum += term / k
            term *= t2
            k += 2
        }
        return exponent + 2 * sum / 0.6931471805599453
    }
}
