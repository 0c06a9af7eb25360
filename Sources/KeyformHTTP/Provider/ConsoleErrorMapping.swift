import Foundation
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
            let target = response.header(Self.location).flatMap(Self.origin).map { " to \($0)" } ?? ""
            return .badResponse(
                "a redirect\(target), which is not followed so that the token stays with the console; check the console URL",
                request: info)
        default:
            return .invalid(message ?? "the console refused the request", request: info)
        }
    }

    static let location = "Location"

    /// `scheme://host[:port]` of an absolute redirect target: enough to correct the console
    /// URL (`http` that should be `https`, another host), without a path or query that could
    /// carry anything else. `nil` for a relative or unusable target.
    static func origin(_ location: String) -> String? {
        guard let url = URL(string: location.trimmingCharacters(in: .whitespaces)), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty, host.count <= 253
        else { return nil }
        return "\(scheme)://\(host)" + (url.port.map { ":\($0)" } ?? "")
    }

    /// `Retry-After` in seconds: the delta-seconds form, digits only (RFC 9110), so that
    /// `0x10`, `1e3` or `-5` fall back to the backoff as an HTTP date does.
    static func retryAfter(_ value: String?) -> Double? {
        guard let text = value?.trimmingCharacters(in: .whitespaces), !text.isEmpty,
            text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let seconds = Double(text), seconds.isFinite
        else { return nil }
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

    /// The longest `x-request-id` quoted (real ones are UUIDs).
    static let requestIdLimit = 100

    /// An `x-request-id` as errors quote it: redacted like a message (a console or a proxy
    /// could echo the token there too), cut to `requestIdLimit` characters.
    func requestId(_ value: String) -> String {
        let text = redacted(value.trimmingCharacters(in: .whitespaces))
        return text.count > Self.requestIdLimit ? String(text.prefix(Self.requestIdLimit)) + "…" : text
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
