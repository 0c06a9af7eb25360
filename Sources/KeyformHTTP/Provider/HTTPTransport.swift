import Foundation
import KeyformCore

/// Sends one HTTP request and returns the answer: the seam between the `http` provider and the
/// network, so that tests can script the console.
///
/// Every implementation guarantees:
/// - one call sends the request at most once (no retries: the provider decides what is safe
///   to repeat);
/// - any status code is an answer, not an error (4xx and 5xx come back as responses);
/// - a failure to get an answer (refused or dropped connection, timeout) is an
///   `HTTPTransportError`, whose description never holds a header value;
/// - the request's `timeout` bounds the whole exchange, body included, and a body too large
///   to hold is refused (`tooLarge`) rather than read to the end.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPTransportRequest) async throws -> HTTPTransportResponse
}

/// One request as the provider builds it.
public struct HTTPTransportRequest: Hashable, Sendable {
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    public var method: String
    /// The absolute URL, query included.
    public var url: URL
    /// Header fields by name, as sent (`Authorization`, `x-api-key`, …).
    public var headers: [String: String]
    /// The body, when there is one.
    public var body: [UInt8]?
    /// Seconds to wait for the answer before giving up.
    public var timeout: Double

    public init(method: String, url: URL, headers: [String: String] = [:], body: [UInt8]? = nil, timeout: Double = 30) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    /// The body as UTF-8 text (for tests and diagnostics), or `nil` when there is none.
    public var bodyText: String? { body.map { String(decoding: $0, as: UTF8.self) } }
}

/// One answer.
public struct HTTPTransportResponse: Hashable, Sendable {
    public var status: Int
    /// Header fields with lower-cased names.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        var lowered: [String: String] = [:]
        for (name, value) in headers { lowered[name.lowercased()] = value }
        self.headers = lowered
        self.body = body
    }

    /// A response whose body is `text` in UTF-8.
    public init(status: Int, headers: [String: String] = [:], text: String) {
        self.init(status: status, headers: headers, body: Array(text.utf8))
    }

    /// The header named `name`, whatever its case.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// Why no answer came back.
public enum HTTPTransportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No answer within the timeout (seconds); the request may or may not have been processed.
    case timedOut(after: Double)
    /// The connection could not be made; the request was not processed.
    case cannotConnect(reason: String)
    /// The connection broke before a whole answer arrived; the request may have been processed.
    case connectionLost(reason: String)
    /// The answer was not an HTTP response.
    case invalidResponse(reason: String)
    /// The answer's body is longer than the transport reads (bytes); the request may have
    /// been processed.
    case tooLarge(limit: Int)

    public var description: String {
        switch self {
        case .timedOut(let seconds): "\(Self.timedOutPrefix)\(Self.seconds(seconds))"
        case .cannotConnect(let reason): "\(Self.cannotConnectPrefix)\(reason)"
        case .connectionLost(let reason): "connection lost: \(reason)"
        case .invalidResponse(let reason): "unusable answer: \(reason)"
        case .tooLarge(let limit): "the answer is larger than \(Self.bytes(limit)), more than any console answer"
        }
    }

    /// How `cannotConnect` begins when described.
    static let cannotConnectPrefix = "cannot connect: "
    /// How `timedOut` begins when described.
    static let timedOutPrefix = "no answer within "

    /// `32 MiB`, `512 bytes`.
    static func bytes(_ count: Int) -> String {
        count >= 1 << 20 && count % (1 << 20) == 0 ? "\(count >> 20) MiB" : "\(count) bytes"
    }

    static func seconds(_ value: Double) -> String { ConsoleError.seconds(value) }
}
