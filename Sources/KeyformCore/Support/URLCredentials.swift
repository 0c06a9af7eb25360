/// A URL's password, hidden before the URL is shown: `postgres://u:pw@host/db` is written
/// `postgres://u:***@host/db`. State and console locations may be URLs that carry one, and
/// Keyform repeats a location in its messages; secrets never reach a message.
public enum URLCredentials {
    /// `text` with the password of every `scheme://user:password@` in it replaced by `***`.
    public static func redacted(_ text: String) -> String {
        guard text.contains("://"), text.contains("@") else { return text }
        var out = ""
        var rest = Substring(text)
        while let scheme = rest.range(of: "://") {
            out += rest[..<scheme.upperBound]
            rest = rest[scheme.upperBound...]
            // The authority runs to the next '/', '?', '#', space or quote; its user info to
            // its last '@'.
            let authorityEnd = rest.firstIndex { "/?#'\"".contains($0) || $0.isWhitespace } ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                out += authority[...colon] + "***" + authority[at...]
            } else {
                out += authority
            }
            rest = rest[authorityEnd...]
        }
        return out + rest
    }

    /// `bytes` (a file shown under a diagnostic) with each URL password's bytes replaced by
    /// `*`: the same length, so lines and columns stay right.
    public static func masked(_ bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        let colon = UInt8(ascii: ":"), slash = UInt8(ascii: "/"), at = UInt8(ascii: "@")
        var i = 0
        while i + 2 < out.count {
            guard out[i] == colon, out[i + 1] == slash, out[i + 2] == slash else { i += 1; continue }
            let start = i + 3
            var end = start
            while end < out.count, !isAuthorityEnd(out[end]) { end += 1 }
            if let last = out[start..<end].lastIndex(of: at), let separator = out[start..<last].firstIndex(of: colon) {
                for k in (separator + 1)..<last { out[k] = UInt8(ascii: "*") }
            }
            i = end
        }
        return out
    }

    private static func isAuthorityEnd(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "'"), UInt8(ascii: "\""),
            UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
            true
        default:
            false
        }
    }
}
