import KeyformCore
import KeyformJSON

/// Turns an answer that is not a success into the `ConsoleError` it means, quoting the
/// console's own message (with the token and API key cut out, should it echo them).
struct ConsoleErrorMapping: Sendable {
    let configuration: HTTPProvider.Configuration

    /// The longest console message quoted in an error.
    static let messageLimit = 300

    func error(for response: HTTPTransportResponse, request: ConsoleRequest, info: ConsoleError.RequestInfo) -> ConsoleError {
        let message = consoleMessage(response.body)
        let subject = request.subject.isEmpty ? "the resource" : request.subject
        switch response.status {
        case 401:
            return .unauthorized(message ?? "the access token or API key was not accepted", request: info)
        case 403:
            if isQuota(response.body) { return .quotaExceeded(message ?? "a quota is reached", request: info) }
            return .unauthorized(message ?? "the token may not do this in the organization", request: info)
        case 404:
            return .notFound(what: subject, request: info)
        case 409:
            let existing = response.header(ConsoleRoutes.Header.conflictingId).flatMap { $0.isEmpty ? nil : $0 }
            if existing == nil, isQuota(response.body) { return .quotaExceeded(message ?? "a quota is reached", request: info) }
            return .conflict(what: subject, existingId: existing, request: info)
        case 429:
            return .rateLimited(retryAfter: Self.retryAfter(response.header(ConsoleRoutes.Header.retryAfter)), request: info)
        case 500...599:
            return .unavailable(message ?? "", request: info)
        case 300..<400:
            return .badResponse("a redirect, which is not followed so that the token stays with the console; check the console URL", request: info)
        default:
            return .invalid(message ?? "the console refused the request", request: info)
        }
    }

    /// `Retry-After` in seconds (the delta-seconds form; an HTTP date falls back to backoff).
    static func retryAfter(_ value: String?) -> Double? {
        guard let value, let seconds = Double(value.trimmingCharacters(in: .whitespaces)), seconds.isFinite, seconds >= 0 else {
            return nil
        }
        return seconds
    }

    /// Whether the body speaks of a quota (`ERR_MSG_QUOTA_EXCEEDED`, "registration quota …").
    private func isQuota(_ body: [UInt8]) -> Bool {
        String(decoding: body.prefix(4096), as: UTF8.self).lowercased().contains("quota")
    }

    /// The console's explanation: the first of `message`, `detail`, `title`, `error_description`,
    /// `error`, `reason` that is a string; one line, at most `messageLimit` characters.
    func consoleMessage(_ body: [UInt8]) -> String? {
        guard !body.isEmpty, let json = try? JSON.parse(body, allowDuplicateKeys: true) else { return nil }
        for key in ["message", "detail", "title", "error_description", "error", "reason"] {
            if case .string(let text)? = json[key] {
                let line = redacted(text).split(whereSeparator: \.isNewline).joined(separator: " ")
                    .trimmingCharacters(in: .whitespaces)
                if line.isEmpty { continue }
                return line.count > Self.messageLimit ? String(line.prefix(Self.messageLimit)) + "…" : line
            }
        }
        return nil
    }

    /// `text` with the token (and the API key) replaced wherever they appear. Values under 8
    /// characters are left: no real token is that short, and hiding one letter would garble
    /// every word that holds it ("ErrInvalidOauthTo<redacted>en").
    private func redacted(_ text: String) -> String {
        var out = text
        for secret in [configuration.accessToken, configuration.apiKey] where secret.count >= 8 {
            out = out.replacingOccurrences(of: secret, with: "<redacted>")
        }
        return out
    }
}
