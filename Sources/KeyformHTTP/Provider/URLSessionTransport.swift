import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `HTTPTransport` over `URLSession`: an ephemeral session (no cookies, no cache, no stored
/// credentials) that never follows redirects, because a redirect would carry the bearer token
/// to another address; a 3xx comes back as an answer and the provider reports it.
public struct URLSessionTransport: HTTPTransport {
    private let session: URLSession

    /// - Parameters:
    ///   - timeout: seconds to wait for an answer when a request does not say.
    ///   - maxConnectionsPerHost: connections kept open to one host (the provider reads
    ///     integrations in parallel).
    public init(timeout: Double = 30, maxConnectionsPerHost: Int = 16) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = max(timeout * 2, timeout + 30)
        configuration.httpMaximumConnectionsPerHost = max(1, maxConnectionsPerHost)
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.urlCredentialStorage = nil
        session = URLSession(configuration: configuration, delegate: RedirectRefusal(), delegateQueue: nil)
    }

    public func send(_ request: HTTPTransportRequest) async throws -> HTTPTransportResponse {
        var urlRequest = URLRequest(url: request.url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: request.timeout)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        if let body = request.body { urlRequest.httpBody = Data(body) }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: urlRequest)
        } catch let error as URLError {
            throw Self.transportError(for: error, timeout: request.timeout)
        }
        guard let http = response as? HTTPURLResponse else {
            throw HTTPTransportError.invalidResponse(reason: "not an HTTP response")
        }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            guard let name = name as? String, let value = value as? String else { continue }
            headers[name] = value
        }
        return HTTPTransportResponse(status: http.statusCode, headers: headers, body: [UInt8](data))
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
        case .badServerResponse, .cannotParseResponse, .zeroByteResource:
            return HTTPTransportError.connectionLost(reason: "incomplete answer (\(code))")
        default:
            return HTTPTransportError.connectionLost(reason: code)
        }
    }
}

/// Refuses every redirect so that the bearer token never leaves for another address.
private final class RedirectRefusal: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
