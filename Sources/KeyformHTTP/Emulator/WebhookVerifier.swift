import Foundation
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

    /// The longest answer read: a challenge echo is a few dozen bytes.
    static let maximumBodySize = 64 * 1024

    private let transport: URLSessionTransport
    private let timeout: Double

    init(timeout: Double) {
        // The provider's transport: no redirects, the timeout over the whole answer, a
        // bounded body, so a webhook that stalls or floods cannot hold or fill the emulator.
        self.transport = URLSessionTransport(timeout: timeout, maxConnectionsPerHost: 4, maximumBodySize: Self.maximumBodySize)
        self.timeout = timeout
    }

    /// Sends a fresh challenge to `webhookUrl` and checks the echo.
    func verify(_ webhookUrl: String) async -> Outcome {
        let challenge = UUID().uuidString.lowercased()
        guard var components = URLComponents(string: webhookUrl) else { return .unreachable }
        components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "challenge", value: challenge)]
        guard let url = components.url else { return .unreachable }
        let request = HTTPTransportRequest(
            method: "GET", url: url, headers: ["Accept": "text/plain, application/json"], timeout: timeout)
        guard let response = try? await transport.send(request) else { return .unreachable }
        guard response.status == 200, Self.echoes(challenge, in: response.body) else { return .wrongAnswer(status: response.status) }
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
