/// A request target split into its path and query (RFC 9112 §3.2):
///
///     /v1/orgs/12%2F3/projects?page=2&name=a%20b
///     path            "/v1/orgs/12%2F3/projects"            (as sent)
///     pathComponents  ["v1", "orgs", "12/3", "projects"]    (decoded, empty segments dropped)
///     query           [("page", "2"), ("name", "a b")]      (decoded, in order)
///
/// Absolute-form (`http://host/path`) is reduced to its path and query; `*` is accepted for
/// OPTIONS only.
struct RequestTarget: Sendable {
    var path: String
    var pathComponents: [String]
    var query: [(name: String, value: String)]

    /// Splits and decodes `bytes`, the request target as received.
    static func parse(_ bytes: ArraySlice<UInt8>, method: String) -> Result<RequestTarget, HTTPRequestError> {
        guard !bytes.isEmpty, bytes.allSatisfy({ ASCII.isTarget($0) && $0 != ASCII.hash }) else {
            return .failure(.invalidRequestTarget)
        }
        if bytes.count == 1 && bytes.first == ASCII.asterisk {
            guard method == "OPTIONS" else { return .failure(.invalidRequestTarget) }
            return .success(RequestTarget(path: "*", pathComponents: [], query: []))
        }
        var start = bytes.startIndex
        if bytes.first != ASCII.slash {
            guard let authorityEnd = absoluteFormPathStart(bytes) else {
                return .failure(.invalidRequestTarget)
            }
            start = authorityEnd
        }
        let queryStart = bytes[start...].firstIndex(of: ASCII.question)
        let pathBytes = bytes[start..<(queryStart ?? bytes.endIndex)]
        var components: [String] = []
        for segment in pathBytes.split(separator: ASCII.slash, omittingEmptySubsequences: true) {
            guard let decoded = PercentDecoding.decode(segment) else {
                return .failure(.invalidPercentEncoding(String(decoding: segment, as: UTF8.self)))
            }
            components.append(decoded)
        }
        var query: [(name: String, value: String)] = []
        if let queryStart {
            for item in bytes[(queryStart + 1)...].split(separator: ASCII.ampersand, omittingEmptySubsequences: true) {
                let equals = item.firstIndex(of: ASCII.equals)
                let nameBytes = item[..<(equals ?? item.endIndex)]
                let valueBytes = equals.map { item[($0 + 1)...] } ?? []
                guard let name = PercentDecoding.decode(nameBytes), let value = PercentDecoding.decode(valueBytes) else {
                    return .failure(.invalidPercentEncoding(String(decoding: item, as: UTF8.self)))
                }
                query.append((name, value))
            }
        }
        let path = pathBytes.isEmpty ? "/" : String(decoding: pathBytes, as: UTF8.self)
        return .success(RequestTarget(path: path, pathComponents: components, query: query))
    }

    /// For `http://authority/path?query`, the index where the path (or query) starts, or the
    /// end index when there is neither; `nil` when `bytes` is not absolute-form.
    private static func absoluteFormPathStart(_ bytes: ArraySlice<UInt8>) -> Int? {
        for scheme in ["http://", "https://"] {
            let prefix = Array(scheme.utf8)
            guard bytes.count > prefix.count,
                  zip(bytes, prefix).allSatisfy({ ASCII.lowercased($0) == $1 })
            else { continue }
            let authorityStart = bytes.startIndex + prefix.count
            let end = bytes[authorityStart...].firstIndex { $0 == ASCII.slash || $0 == ASCII.question }
            if end == authorityStart { return nil }
            return end ?? bytes.endIndex
        }
        return nil
    }
}
