/// Path arithmetic on strings with `/` separators, without touching a file system.
///
/// `join("examples", "quickstart/a.json")` is `examples/quickstart/a.json`;
/// `relative("/work/repo/integrations", from: "/work/repo/app")` is `../integrations`.
public enum PathSyntax {
    /// `base/component`, or `component` alone when it is absolute or `base` is empty or `.`.
    public static func join(_ base: String, _ component: String) -> String {
        if component.hasPrefix("/") || base.isEmpty || base == "." { return component }
        return base.hasSuffix("/") ? base + component : base + "/" + component
    }

    /// The directory that holds `path`, or `nil` for the root and for a single relative name
    /// with no directory part (whose parent is the current directory, spelled `""`).
    public static func parent(of path: String) -> String? {
        let path = normalize(path)
        if path == "/" || path.isEmpty || path == "." { return nil }
        guard let slash = path.lastIndex(of: "/") else { return "" }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// The last component of `path` (`a.json` for `dir/a.json`).
    public static func lastComponent(of path: String) -> String {
        let path = normalize(path)
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// Removes `.` components, repeated and trailing slashes, and resolves `..` where a
    /// component before it allows (a leading `..` of a relative path stays).
    public static func normalize(_ path: String) -> String {
        isNormal(path) ? path : normalizeComponents(path)
    }

    /// `normalize` component by component (what the shortcut of `isNormal` must agree with).
    static func normalizeComponents(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
                continue
            }
            if part == "..", absolute { continue }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// Whether `normalize` would return `path` unchanged because there is nothing to remove:
    /// no empty, `.` or `..` component (an absolute path's leading `/` aside).
    private static func isNormal(_ path: String) -> Bool {
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        var length = 0, dots = 0, first = true
        for byte in path.utf8 {
            if byte == slash {
                // An empty component is allowed only before the leading slash of an absolute path.
                if length == 0 && !first { return false }
                if length > 0 && dots == length && length <= 2 { return false }
                if length == 0 && first && path.utf8.count == 1 { return false }
                length = 0
                dots = 0
                first = false
                continue
            }
            length += 1
            if byte == dot { dots += 1 }
        }
        return length > 0 && !(dots == length && length <= 2)
    }

    /// `path` relative to the directory `base` (both absolute), e.g. `../integrations`.
    public static func relative(_ path: String, from base: String) -> String {
        let target = normalize(path).split(separator: "/")
        let origin = normalize(base).split(separator: "/")
        var common = 0
        while common < target.count, common < origin.count, target[common] == origin[common] { common += 1 }
        let ups = Array(repeating: "..", count: origin.count - common)
        let rest = target[common...].map(String.init)
        let joined = (ups + rest).joined(separator: "/")
        return joined.isEmpty ? "." : joined
    }
}
