/// An answer from the handler. The server adds `content-length`, `date`, `x-request-id` and,
/// when the connection ends, `connection: close`; any of these set here are replaced.
public struct HTTPResponse: Sendable, Equatable {
    /// The status code (200–599; anything else is sent as a 500).
    public var status: Int
    /// The header fields to send.
    public var headers: HTTPHeaders
    /// The body; not sent for HEAD requests and 204 and 304 answers.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int = 200, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A response with a JSON body and `content-type: application/json`.
    public static func json(status: Int = 200, body: [UInt8], headers: HTTPHeaders = [:]) -> HTTPResponse {
        var all = headers
        all.set("content-type", "application/json")
        return HTTPResponse(status: status, headers: all, body: body)
    }

    /// A response with a UTF-8 text body and `content-type: text/plain; charset=utf-8`.
    public static func text(status: Int = 200, _ text: String, headers: HTTPHeaders = [:]) -> HTTPResponse {
        var all = headers
        all.set("content-type", "text/plain; charset=utf-8")
        return HTTPResponse(status: status, headers: all, body: Array(text.utf8))
    }

    /// A response without a body (204 unless told otherwise).
    public static func empty(status: Int = 204, headers: HTTPHeaders = [:]) -> HTTPResponse {
        HTTPResponse(status: status, headers: headers)
    }

    /// The reason phrase of RFC 9110 §15 for `status`, or `"Unknown"`.
    public static func reasonPhrase(for status: Int) -> String {
        reasonPhrases[status] ?? "Unknown"
    }

    private static let reasonPhrases: [Int: String] = [
        100: "Continue", 101: "Switching Protocols",
        200: "OK", 201: "Created", 202: "Accepted", 203: "Non-Authoritative Information",
        204: "No Content", 205: "Reset Content", 206: "Partial Content",
        300: "Multiple Choices", 301: "Moved Permanently", 302: "Found", 303: "See Other",
        304: "Not Modified", 307: "Temporary Redirect", 308: "Permanent Redirect",
        400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden",
        404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable",
        407: "Proxy Authentication Required", 408: "Request Timeout", 409: "Conflict",
        410: "Gone", 411: "Length Required", 412: "Precondition Failed", 413: "Content Too Large",
        414: "URI Too Long", 415: "Unsupported Media Type", 416: "Range Not Satisfiable",
        417: "Expectation Failed", 421: "Misdirected Request", 422: "Unprocessable Content",
        426: "Upgrade Required", 428: "Precondition Required", 429: "Too Many Requests",
        431: "Request Header Fields Too Large",
        500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway",
        503: "Service Unavailable", 504: "Gateway Timeout", 505: "HTTP Version Not Supported",
    ]
}
