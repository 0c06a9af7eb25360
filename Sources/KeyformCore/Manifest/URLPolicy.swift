/// Which URLs may receive events and OAuth redirects: `https` ones, and `http` ones on this
/// machine for testing (`localhost`, `127.0.0.1`, `[::1]`).
enum URLPolicy {
    enum Problem: Hashable {
        /// A scheme other than https (lower-cased), e.g. `http` for a remote host, or `ftp`.
        case scheme(String)
        /// Not an absolute URL at all.
        case notAURL
    }

    static func problem(with url: String) -> Problem? {
        guard let separator = url.firstRange(of: "://") else { return .notAURL }
        let scheme = url[..<separator.lowerBound].lowercased()
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }) else {
            return .notAURL
        }
        let rest = url[separator.upperBound...]
        var authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        guard !authority.isEmpty else { return .notAURL }
        if scheme == "https" { return nil }
        if scheme == "http" {
            var host = authority
            if host.hasPrefix("[") {
                host = host.prefix { $0 != "]" } + "]"
            } else if let colon = host.firstIndex(of: ":") {
                host = host[..<colon]
            }
            if ["localhost", "127.0.0.1", "[::1]"].contains(host.lowercased()) { return nil }
        }
        return .scheme(scheme)
    }
}
