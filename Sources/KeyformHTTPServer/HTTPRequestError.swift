/// Why the server refused a request before it reached the handler; each case maps to the
/// status it is answered with and to a message saying what was wrong and how to fix it.
public enum HTTPRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request line is longer than the limit (414).
    case requestLineTooLong(limit: Int)
    /// The header section (after the request line) is larger than the limit (431).
    case headerSectionTooLarge(limit: Int)
    /// There are more header fields than the limit (431).
    case tooManyHeaderFields(limit: Int)
    /// The request line is not `METHOD SP TARGET SP HTTP/x.y` (400).
    case malformedRequestLine
    /// The method is not a token (400).
    case invalidMethod
    /// The request target is not origin-form, absolute-form or `*` for OPTIONS (400).
    case invalidRequestTarget
    /// The protocol version is not `HTTP/1.x` (505).
    case unsupportedVersion(String)
    /// A header line is not `name: value` with a token name and visible value (400).
    case malformedHeaderField(line: Int)
    /// A header line starts with whitespace (obsolete line folding, RFC 9112 §5.2) (400).
    case obsoleteLineFolding(line: Int)
    /// An HTTP/1.1 request without a `Host` header (400).
    case missingHost
    /// More than one `Host` header (400).
    case duplicateHost
    /// A `Content-Length` that is not a decimal number (400).
    case invalidContentLength(String)
    /// More than one `Content-Length` header (400).
    case duplicateContentLength
    /// A `Transfer-Encoding` header; only `Content-Length` bodies are supported (501).
    case unsupportedTransferEncoding(String)
    /// An `Expect` header other than `100-continue` (417).
    case unsupportedExpectation(String)
    /// A `%` not followed by two hexadecimal digits, or one that decodes to invalid UTF-8 (400).
    case invalidPercentEncoding(String)
    /// The declared body is larger than the limit (413).
    case bodyTooLarge(length: Int, limit: Int)
    /// The request line and headers did not arrive within the header timeout (408).
    case headerTimeout(seconds: Double)
    /// The body did not arrive within the body timeout (408).
    case bodyTimeout(seconds: Double)

    /// The status code the server answers with.
    public var status: Int {
        switch self {
        case .requestLineTooLong: 414
        case .headerSectionTooLarge, .tooManyHeaderFields: 431
        case .unsupportedVersion: 505
        case .unsupportedTransferEncoding: 501
        case .unsupportedExpectation: 417
        case .bodyTooLarge: 413
        case .headerTimeout, .bodyTimeout: 408
        case .malformedRequestLine, .invalidMethod, .invalidRequestTarget, .malformedHeaderField,
             .obsoleteLineFolding, .missingHost, .duplicateHost, .invalidContentLength,
             .duplicateContentLength, .invalidPercentEncoding:
            400
        }
    }

    /// What was wrong, and how to fix it; sent as the plain-text body of the error answer.
    public var description: String {
        switch self {
        case .requestLineTooLong(let limit):
            "the request line is longer than \(limit) bytes; shorten the URI"
        case .headerSectionTooLarge(let limit):
            "the header section is larger than \(limit) bytes; send fewer or shorter headers"
        case .tooManyHeaderFields(let limit):
            "the request has more than \(limit) header fields; send fewer headers"
        case .malformedRequestLine:
            "malformed request line; expected `METHOD /path HTTP/1.1` followed by CRLF"
        case .invalidMethod:
            "the method is not a token; use a method such as GET or POST"
        case .invalidRequestTarget:
            "invalid request target; expected a path starting with `/` (or `*` for OPTIONS)"
        case .unsupportedVersion(let version):
            "unsupported protocol version `\(version)`; use HTTP/1.1"
        case .malformedHeaderField(let line):
            "malformed header field on line \(line); expected `Name: value` followed by CRLF"
        case .obsoleteLineFolding(let line):
            "header line \(line) starts with whitespace (obsolete line folding); put each field on one line"
        case .missingHost:
            "an HTTP/1.1 request needs a Host header"
        case .duplicateHost:
            "the request has more than one Host header; send exactly one"
        case .invalidContentLength(let value):
            "invalid Content-Length `\(value)`; expected a decimal number of bytes"
        case .duplicateContentLength:
            "the request has more than one Content-Length header; send exactly one"
        case .unsupportedTransferEncoding(let value):
            "Transfer-Encoding `\(value)` is not supported; send the body with a Content-Length"
        case .unsupportedExpectation(let value):
            "Expect `\(value)` is not supported; only `100-continue` is"
        case .invalidPercentEncoding(let text):
            "invalid percent-encoding in `\(text)`; encode bytes as %XX of UTF-8"
        case .bodyTooLarge(let length, let limit):
            "the body of \(length) bytes is larger than the limit of \(limit) bytes"
        case .headerTimeout(let seconds):
            "the request line and headers did not arrive within \(Self.format(seconds)) s"
        case .bodyTimeout(let seconds):
            "the request body did not arrive within \(Self.format(seconds)) s"
        }
    }

    private static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
