import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KeyformJSON

/// Verifies a webhook as the console does: `GET <webhook_url>?challenge=<uuid>`, which must
/// answer 200 with the challenge as the whole body (`text/plain`) or as
/// `{"challenge": "<uuid>"}`. Redirects are not followed.
struct WebhookVerifier: Sendable {
    /// What the webhook did with its challenge.
    enum Outcome: Hashable, Sendable {
        case verified
        /// It answered, but not 200 with the challenge.
        case wrongAnswer(status: Int)
        /// No answer (refused, timed out, not HTTP).
        case unreachable

        /// The registration's `webhook_status`.
        var webhookStatus: String {
            switch self {
            case .verified: "verified"
            case .wrongAnswer: "unverified"
            case .unreachable: "hook_unreachable"
            }
        }
    }

    private let session: URLSession
    private let timeout: Double

    init(timeout: Double) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        configuration.urlCredentialStorage = nil
        self.session = URLSession(configuration: configuration, delegate: ChallengeRedirectRefusal(), delegateQueue: nil)
        self.timeout = timeout
    }

    /// Sends a fresh challenge to `webhookUrl` and checks the echo.
    func verify(_ webhookUrl: String) async -> Outcome {
        let challenge = UUID().uuidString.lowercased()
        guard var components = URLComponents(string: webhookUrl) else { return .unreachable }
        components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "challenge", value: challenge)]
        guard let url = components.url else { return .unreachable }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = "GET"
        request.setValue("text/plain, application/json", forHTTPHeaderField: "Accept")
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            return .unreachable
        }
        guard let http = response as? HTTPURLResponse else { return .unreachable }
        guard http.statusCode == 200, Self.echoes(challenge, in: [UInt8](data)) else { return .wrongAnswer(status: http.statusCode) }
        return .verified
    }

    /// Whether `body` is the challenge itself (surrounding whitespace allowed) or a JSON
    /// object whose `challenge` member is.
    static func echoes(_ challenge: String, in body: [UInt8]) -> Bool {
        let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text == challenge { return true }
        guard let json = try? JSON.parse(body, allowDuplicateKeys: true) else { return false }
        return json["challenge"]?.stringValue == challenge
    }
}

/// Refuses redirects: the challenge goes to the registered URL only.
private final class ChallengeRedirectRefusal: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
