import Foundation
import KeyformCore
import KeyformJSON

/// Sends Console and I/O Events requests: adds the base URL and headers, turns every answer
/// that is not a success into a `ConsoleError` naming the request, and retries what is safe to
/// repeat (GET, PUT, PATCH, DELETE) per the `RetryPolicy`.
///
/// A POST is sent once per call. `create` is the only way to send one again, and only after
/// asking the console whether the first one took effect.
struct ConsoleClient: Sendable {
    let configuration: HTTPProvider.Configuration
    let transport: any HTTPTransport
    let sleep: @Sendable (Double) async throws -> Void
    let random: @Sendable () -> Double
    /// Turns true when the command is interrupted: no further attempt, and no more waiting.
    var stopRetrying: @Sendable () -> Bool = { false }

    /// Sends `request`, retrying transient failures when it is safe to repeat.
    /// - Parameter imsOrg: the IMS org code for the Events API's `x-ims-org-id` header.
    func send(_ request: ConsoleRequest, imsOrg: String? = nil) async throws -> ConsoleReply {
        var attempt = 1
        while true {
            do {
                return try await sendOnce(request, imsOrg: imsOrg)
            } catch let error as ConsoleError {
                guard request.isSafeToRepeat, Self.isRetryable(error, method: request.method),
                    !Self.gaveUpWaiting(error, attempt: attempt),
                    let delay = configuration.retryPolicy.delay(after: error, attempt: attempt, random: random()),
                    try await wait(delay)
                else { throw error }
                attempt += 1
            }
        }
    }

    /// Sends a POST that creates something, never blindly twice. After a failure that leaves it
    /// unknown whether the console acted (a 5xx, a timeout, a dropped connection, an answer
    /// without the new id), `lookup` asks the console and a match is adopted; only when there
    /// is none is the POST sent again, after the policy's wait. A 429 was refused before any
    /// processing, so it is resent after the wait without asking.
    func create<T: Sendable>(
        _ request: ConsoleRequest, imsOrg: String? = nil,
        decode: (ConsoleReply) throws -> T,
        lookup: () async throws -> T?
    ) async throws -> T {
        var attempt = 1
        while true {
            let failure: ConsoleError
            do {
                return try decode(try await sendOnce(request, imsOrg: imsOrg))
            } catch let error as ConsoleError {
                failure = error
            }
            switch failure {
            case .rateLimited:
                break
            case .unavailable:
                if let adopted = try await lookup() { return adopted }
            case .badResponse:
                if let adopted = try await lookup() { return adopted }
                throw failure
            default:
                throw failure
            }
            guard Self.isRetryable(failure, method: request.method), !Self.gaveUpWaiting(failure, attempt: attempt),
                let delay = configuration.retryPolicy.delay(after: failure, attempt: attempt, random: random()),
                try await wait(delay)
            else { throw failure }
            attempt += 1
        }
    }

    /// Waits before another attempt; false when the command was interrupted, before or during
    /// the wait (the provider's own `sleep` ends early then; see `HTTPProvider.init`).
    private func wait(_ seconds: Double) async throws -> Bool {
        guard !stopRetrying() else { return false }
        try await sleep(seconds)
        return !stopRetrying()
    }

    /// Sends once: a 2xx is a reply, anything else a `ConsoleError`.
    func sendOnce(_ request: ConsoleRequest, imsOrg: String? = nil) async throws -> ConsoleReply {
        let base = request.api == .console ? configuration.consoleURL : configuration.eventsURL
        var text = base.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        guard let url = URL(string: text + request.target) else {
            throw ConsoleError.invalid("cannot form a URL for this request", request: request.info())
        }
        var headers = [
            ConsoleRoutes.Header.authorization: "Bearer \(configuration.accessToken)",
            ConsoleRoutes.Header.apiKey: configuration.apiKey,
            ConsoleRoutes.Header.accept: request.api == .events ? ConsoleRoutes.Header.halJSON : ConsoleRoutes.Header.json,
        ]
        if request.api == .events, let imsOrg { headers[ConsoleRoutes.Header.imsOrg] = imsOrg }
        var body: [UInt8]?
        if let json = request.body {
            headers[ConsoleRoutes.Header.contentType] = ConsoleRoutes.Header.json
            body = Array(json.compactText().utf8)
        }
        let transportRequest = HTTPTransportRequest(method: request.method, url: url, headers: headers, body: body, timeout: configuration.timeout)
        let response: HTTPTransportResponse
        do {
            response = try await transport.send(transportRequest)
        } catch HTTPTransportError.tooLarge(let limit) {
            // Not retried: the same request would bring the same flood.
            throw ConsoleError.badResponse(HTTPTransportError.tooLarge(limit: limit).description, request: request.info())
        } catch let error as HTTPTransportError {
            throw ConsoleError.unavailable(error.description, request: request.info())
        } catch let error as CancellationError {
            throw error
        } catch {
            // A transport's own error type may describe the request; name only its type.
            throw ConsoleError.unavailable("transport failure (\(type(of: error)))", request: request.info())
        }
        let mapping = ConsoleErrorMapping(configuration: configuration)
        let requestId = response.header(ConsoleRoutes.Header.requestId).map(mapping.requestId)
        let info = request.info(status: response.status, requestId: requestId)
        if (200..<300).contains(response.status) { return ConsoleReply(info: info, response: response) }
        throw mapping.error(for: response, request: request, info: info)
    }

    /// A console nobody answers at (connection refused: a wrong URL, a server not started) is
    /// tried this many times, a few tenths of a second, rather than for the whole retry policy
    /// (some 20 s of silence before the error); so is one that does not answer within the
    /// timeout, since each attempt costs the whole timeout (ten of them, five minutes).
    static let attemptsWithoutAnswer = 3

    /// Whether `error` is a refused connection or a timeout after `attempt` tries, enough of them.
    static func gaveUpWaiting(_ error: ConsoleError, attempt: Int) -> Bool {
        guard attempt >= attemptsWithoutAnswer, case .unavailable(let message, _) = error else { return false }
        return message.hasPrefix(HTTPTransportError.cannotConnectPrefix) || message.hasPrefix(HTTPTransportError.timedOutPrefix)
    }

    /// 429, 502, 503, 504 and dropped connections; 500 only for reads (the console's service
    /// list fails that way intermittently), since a 500 on a write is usually not transient.
    static func isRetryable(_ error: ConsoleError, method: String) -> Bool {
        switch error {
        case .rateLimited: return true
        case .unavailable(_, let request):
            guard let status = request?.status else { return true }
            return [502, 503, 504].contains(status) || (status == 500 && method == "GET")
        default: return false
        }
    }
}
