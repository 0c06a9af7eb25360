/// The size limits a request head is checked against.
struct RequestHeadLimits: Sendable {
    var maxRequestLineBytes: Int
    var maxHeaderBytes: Int
    var maxHeaderFields: Int
}

/// A parsed request head: what the handler will see, and how the message is framed.
struct RequestHead: Sendable {
    var method: String
    var target: RequestTarget
    var minorVersion: Int
    var headers: HTTPHeaders
    var contentLength: Int
    var keepAlive: Bool
    var expectsContinue: Bool
}
