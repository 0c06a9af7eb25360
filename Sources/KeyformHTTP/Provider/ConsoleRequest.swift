import KeyformCore
import KeyformJSON

/// One Console or I/O Events API request, before the client adds the host and the headers.
struct ConsoleRequest: Sendable {
    /// Which API (and so which base URL and headers) the request goes to.
    enum API: Sendable { case console, events }

    var api: API
    var method: String
    /// Percent-encoded path, starting with `/`.
    var path: String
    /// Query parameters, in order, not yet encoded.
    var query: [(String, String)]
    var body: JSON?
    /// What the request addresses, for "not found" and "conflict" errors (`project 42`).
    var subject: String

    init(_ api: API, _ method: String, _ path: String, query: [(String, String)] = [], subject: String, body: JSON? = nil) {
        self.api = api
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.subject = subject
    }

    /// GET, PUT, PATCH and DELETE may be sent again after a failure; a POST may not (it could
    /// create a second thing): the provider asks the console first.
    var isSafeToRepeat: Bool { method != "POST" }

    /// The path and the encoded query, to append to a base URL.
    var target: String {
        guard !query.isEmpty else { return path }
        return path + "?" + query.map { "\(Self.percentEncoded($0.0))=\(Self.percentEncoded($0.1))" }.joined(separator: "&")
    }

    /// What an error message may quote: method and path (never the query, never a header).
    func info(status: Int? = nil, requestId: String? = nil) -> ConsoleError.RequestInfo {
        ConsoleError.RequestInfo(method: method, path: path, status: status, requestId: requestId)
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters.
    static func percentEncoded(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }
}
