/// Which URLs may receive events and OAuth redirects: `https` ones, and `http` ones on this
/// machine for testing (`localhost`, `127.0.0.1`, `[::1]`).
///
/// `https://hooks.example.com/a` and `http://localhost:8080/a` pass; `http://hooks.example.com`
/// is `.scheme("http")`; `hooks.example.com/a`, `https:///a` and any URL holding a space,
/// a control character or a backslash are `.notAURL`.
enum URLPolicy {
    enum Problem: Hashable {
        /// A scheme other than https (lower-cased), e.g. `http` for a remote host, or `ftp`.
        case scheme(String)
        /// Not an absolute URL at all.
        case notAURL
    }

    static func problem(with url: String) -> Problem? {
        var url = url
        return url.withUTF8(problem(with:))
    }

    static func problem(with bytes: UnsafeBufferPointer<UInt8>) -> Problem? {
        // No space, control character or backslash anywhere: parsers disagree about them (a
        // browser reads `http://evil.example\@localhost/` as a URL of evil.example), so a URL
        // holding one is not taken for what it seems.
        if holdsSpaceOrControl(bytes) { return .notAURL }
        // The scheme: letters, digits, '+', '-', '.', then "://".
        var i = 0
        while i < bytes.count, isSchemeByte(bytes[i]) { i += 1 }
        guard i > 0, i + 3 <= bytes.count, bytes[i] == UInt8(ascii: ":"), bytes[i + 1] == UInt8(ascii: "/"),
            bytes[i + 2] == UInt8(ascii: "/")
        else { return .notAURL }
        let scheme = 0..<i
        // The authority: up to the path, query or fragment; the host after any user info.
        var start = i + 3
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "/"), bytes[end] != UInt8(ascii: "?"), bytes[end] != UInt8(ascii: "#") {
            if bytes[end] == UInt8(ascii: "@") { start = end + 1 }
            end += 1
        }
        guard end > start else { return .notAURL }
        if lowercased(bytes, scheme, equals: "https") { return nil }
        if lowercased(bytes, scheme, equals: "http") {
            var hostEnd = start
            if bytes[start] == UInt8(ascii: "[") {
                while hostEnd < end, bytes[hostEnd] != UInt8(ascii: "]") { hostEnd += 1 }
                hostEnd = min(hostEnd + 1, end)
                // After the bracketed address, only a port may follow (`[::1]evil.com` is no host).
                if hostEnd < end, bytes[hostEnd] != UInt8(ascii: ":") { return .notAURL }
            } else {
                while hostEnd < end, bytes[hostEnd] != UInt8(ascii: ":") { hostEnd += 1 }
            }
            let host = start..<hostEnd
            // (No other string equals these ASCII ones, even under canonical equivalence.)
            if lowercased(bytes, host, equals: "localhost") || lowercased(bytes, host, equals: "127.0.0.1")
                || lowercased(bytes, host, equals: "[::1]")
            {
                return nil
            }
        }
        return .scheme(String(decoding: bytes[scheme].map { $0 | (isUpper($0) ? 0x20 : 0) }, as: UTF8.self))
    }

    /// Whether any byte is a space, a control character or a backslash; 8 bytes at a time.
    private static func holdsSpaceOrControl(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i + 8 <= bytes.count {
            let word = ByteScan.word(bytes, i)
            // Bytes below 0x21 (a borrow can only flag bytes above one that is), DEL, '\\'.
            let low = (word &- ByteScan.ones &* 0x21) & ~word & ByteScan.highBits
            if low != 0 || ByteScan.hasByte(word, 0x7F) || ByteScan.hasByte(word, UInt8(ascii: "\\")) { return true }
            i += 8
        }
        while i < bytes.count {
            if bytes[i] <= 0x20 || bytes[i] == 0x7F || bytes[i] == UInt8(ascii: "\\") { return true }
            i += 1
        }
        return false
    }

    /// Whether `bytes[range]` with ASCII letters lower-cased is `literal` (lower-case ASCII).
    private static func lowercased(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, equals literal: StaticString) -> Bool {
        literal.withUTF8Buffer { expected in
            guard expected.count == range.count else { return false }
            for (offset, byte) in expected.enumerated() where bytes[range.lowerBound + offset] | (isUpper(bytes[range.lowerBound + offset]) ? 0x20 : 0) != byte {
                return false
            }
            return true
        }
    }

    private static func isUpper(_ b: UInt8) -> Bool { b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") }

    private static func isSchemeByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || isUpper(b) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
            || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
    }
}
