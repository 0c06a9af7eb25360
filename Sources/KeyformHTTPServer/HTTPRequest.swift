/// A request as the handler sees it: complete, with its body read and its target decoded.
public struct HTTPRequest: Sendable {
    /// The method, as sent (methods are case-sensitive: `GET`, not `get`).
    public var method: String
    /// The path as sent, still percent-encoded, without the query (`/v1/orgs/12%2F3`).
    public var path: String
    /// The path's segments, percent-decoded, empty segments dropped (`["v1", "orgs", "12/3"]`).
    public var pathComponents: [String]
    /// The query items, percent-decoded, in order (`+` is not turned into a space).
    public var query: [(name: String, value: String)]
    /// The header fields, looked up without regard to case.
    public var headers: HTTPHeaders
    /// The body (empty when there is none).
    public var body: [UInt8]
    /// The id the server gave this request; it is also sent back as `x-request-id`.
    public var requestId: String

    /// Creates a request from a target such as `/v1/orgs?page=2`, decoded exactly as the server
    /// decodes what it receives; for calling a handler directly in tests.
    /// - Throws: `.invalidRequestTarget` or `.invalidPercentEncoding` for a target the server
    ///   would answer with 400.
    public init(
        method: String,
        target: String,
        headers: HTTPHeaders = [:],
        body: [UInt8] = [],
        requestId: String = "test-request"
    ) throws(HTTPRequestError) {
        let parsed: RequestTarget
        switch RequestTarget.parse(ArraySlice(target.utf8), method: method) {
        case .success(let value): parsed = value
        case .failure(let error): throw error
        }
        self.init(method: method, target: parsed, headers: headers, body: body, requestId: requestId)
    }

    init(method: String, target: RequestTarget, headers: HTTPHeaders, body: [UInt8], requestId: String) {
        self.method = method
        self.path = target.path
        self.pathComponents = target.pathComponents
        self.query = target.query
        self.headers = headers
        self.body = body
        self.requestId = requestId
    }

    /// The first value of the query item `name`, or `nil`.
    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }
}
