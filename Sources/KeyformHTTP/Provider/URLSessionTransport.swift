import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `HTTPTransport` over `URLSession`: an ephemeral session (no cookies, no cache, no stored
/// credentials) that never follows redirects, because a redirect would carry the bearer token
/// to another address; a 3xx comes back as an answer and the provider reports it.
///
/// Each request is a data task whose answer the session's delegate (`URLSessionExchanges`)
/// collects, with three guards that `URLSession.data(for:)` lacks on Linux:
/// - a body larger than `maximumBodySize` is refused as it arrives (a console that never
///   stops sending would otherwise fill the memory);
/// - the request's `timeout` bounds the whole exchange, not only each silence
///   (swift-corelibs-foundation does not apply `timeoutIntervalForResource`, so a body sent
///   a byte a second never ended);
/// - a cancelled request cancels its task on another thread (`data(for:)` cancels inline and
///   can deadlock against a task completing at that instant: swift-corelibs-foundation #5412).
///
/// One failure stays out of reach: an HTTP/1.1 answer cut off after its status line but
/// before the end of its head makes FoundationNetworking trap ("Transfer completed, but
/// there's no response", swift-corelibs-foundation #5285, fixed upstream by #5286 but not in
/// Swift 6.3.1's), and nothing in the process can catch that.
public struct URLSessionTransport: HTTPTransport {
    /// The largest answer body read by default: far above any console answer (a page of 100
    /// projects is some 50 KB, Adobe's sample services listing 19 KB), and small enough that
    /// the reads the provider runs at once stay within a few tens of megabytes.
    public static let defaultMaximumBodySize = 8 * 1024 * 1024

    private let session: URLSession
    private let exchanges: URLSessionExchanges
    private let maximumBodySize: Int

    /// - Parameters:
    ///   - timeout: seconds to wait for an answer when a request does not say.
    ///   - maxConnectionsPerHost: connections kept open to one host (the provider reads
    ///     integrations in parallel).
    ///   - maximumBodySize: bytes of answer body beyond which the answer is refused
    ///     (`HTTPTransportError.tooLarge`).
    public init(timeout: Double = 30, maxConnectionsPerHost: Int = 16, maximumBodySize: Int = Self.defaultMaximumBodySize) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = max(timeout * 2, timeout + 30)
        configuration.httpMaximumConnectionsPerHost = max(1, maxConnectionsPerHost)
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.urlCredentialStorage = nil
        let exchanges = URLSessionExchanges()
        self.exchanges = exchanges
        self.maximumBodySize = max(0, maximumBodySize)
        session = URLSession(configuration: configuration, delegate: exchanges, delegateQueue: nil)
    }

    public func send(_ request: HTTPTransportRequest) async throws -> HTTPTransportResponse {
        var urlRequest = URLRequest(url: request.url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: request.timeout)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        if let body = request.body { urlRequest.httpBody = Data(body) }
        let exchange = URLSessionExchange(maximumBodySize: maximumBodySize, timeout: request.timeout)
        let (session, exchanges) = (session, exchanges)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let task = session.dataTask(with: urlRequest)
                // Already cancelled: `begin` has answered with the cancellation.
                guard exchange.begin(task, continuation) else { return }
                exchanges.insert(exchange, for: task)
                URLSessionExchange.deadlines.asyncAfter(deadline: .now() + request.timeout) { [weak exchange] in
                    exchange?.abandon(with: HTTPTransportError.timedOut(after: request.timeout))
                }
                task.resume()
            }
        } onCancel: {
            // Not here: this runs under the task's own status lock, which resuming its
            // continuation takes too.
            URLSessionExchange.deadlines.async { exchange.abandon(with: CancellationError()) }
        }
    }

    /// Maps a `URLError` to what it means for repeating the request. The reason names the
    /// error code only: `URLError`'s own text quotes the URL.
    static func transportError(for error: URLError, timeout: Double) -> any Error {
        let code = "URLError \(error.code.rawValue)"
        switch error.code {
        case .cancelled:
            return CancellationError()
        case .timedOut:
            return HTTPTransportError.timedOut(after: timeout)
        case .cannotConnectToHost:
            return HTTPTransportError.cannotConnect(reason: "connection refused (\(code))")
        case .cannotFindHost, .dnsLookupFailed:
            return HTTPTransportError.cannotConnect(reason: "unknown host (\(code))")
        case .notConnectedToInternet:
            return HTTPTransportError.cannotConnect(reason: "not connected to a network (\(code))")
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected,
            .clientCertificateRequired:
            return HTTPTransportError.cannotConnect(reason: "TLS handshake failed (\(code))")
        case .networkConnectionLost:
            return HTTPTransportError.connectionLost(reason: "the connection closed (\(code))")
        case .badServerResponse, .cannotParseResponse, .zeroByteResource, .unknown:
            return HTTPTransportError.connectionLost(reason: "incomplete answer (\(code))")
        default:
            return HTTPTransportError.connectionLost(reason: code)
        }
    }

    /// The `URLError` behind a task's failure, which the delegate may hand over as an `NSError`.
    static func urlError(_ error: any Error) -> URLError {
        if let error = error as? URLError { return error }
        let error = error as NSError
        guard error.domain == NSURLErrorDomain, let code = URLError.Code(rawValue: error.code) else { return URLError(.unknown) }
        return URLError(code)
    }
}
