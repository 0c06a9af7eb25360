import KeyformCore
import KeyformHTTPServer
import KeyformJSON

/// The emulator's answers: JSON (HAL for the I/O Events API) and errors in one shape,
/// `{"status": 404, "error_code": "ERR_NOT_FOUND", "message": "project 42 not found"}`
/// (plus `field` for a bad request), except the 401, which is exactly Adobe's
/// `{"title":"ErrInvalidOauthToken","status":401,"error_code":401013}`.
enum EmulatorAnswer {
    static let halJSON = "application/hal+json"

    static func json(_ json: JSON, status: Int = 200, hal: Bool = false, headers: HTTPHeaders = [:]) -> HTTPResponse {
        var all = headers
        all.set("content-type", hal ? halJSON : "application/json")
        return HTTPResponse(status: status, headers: all, body: Array(json.compactText().utf8))
    }

    /// The longest message an error carries: one that quotes a value sent (a 1 MB name) is cut.
    static let longestMessage = 1_000

    /// An error in the emulator's one shape.
    static func error(
        _ status: Int, code: String, message: String, field: String? = nil, headers: HTTPHeaders = [:]
    ) -> HTTPResponse {
        let shown = message.count <= longestMessage ? message : String(message.prefix(longestMessage - 1)) + "…"
        var members = [
            JSONMember("status", .number(status)),
            JSONMember("error_code", .string(code)),
            JSONMember("message", .string(shown)),
        ]
        if let field { members.append(JSONMember("field", .string(field))) }
        return json(.object(members), status: status, headers: headers)
    }

    /// Adobe's answer to a missing or refused token or API key.
    static let unauthorized = HTTPResponse(
        status: 401, headers: ["content-type": "application/json", "www-authenticate": "Bearer"],
        body: Array(#"{"title":"ErrInvalidOauthToken","status":401,"error_code":401013}"#.utf8))

    static func notFound(_ what: String) -> HTTPResponse {
        error(404, code: "ERR_NOT_FOUND", message: "\(what) not found")
    }

    static func methodNotAllowed(_ method: String, allowed: [String]) -> HTTPResponse {
        error(405, code: "ERR_METHOD_NOT_ALLOWED", message: "\(method) is not allowed here; use \(allowed.joined(separator: ", "))",
              headers: ["allow": allowed.joined(separator: ", ")])
    }

    static func badRequest(_ failure: EmulatorRequestError) -> HTTPResponse {
        error(400, code: "ERR_BAD_REQUEST", message: failure.message, field: failure.field)
    }

    /// 429 from the rate limit.
    static func rateLimited(retryAfter: Int) -> HTTPResponse {
        error(429, code: "ERR_TOO_MANY_REQUESTS", message: "too many requests; retry after \(retryAfter) s",
              headers: ["retry-after": String(retryAfter)])
    }

    /// The injected 503: nothing was done.
    static let injectedFailure = error(503, code: "ERR_SERVICE_UNAVAILABLE", message: "the console is unavailable (injected fault); nothing was done")

    /// The injected 504 replacing an answer: the request was carried out.
    static let lostAnswer = error(504, code: "ERR_GATEWAY_TIMEOUT", message: "no answer in time (injected fault); the request may have been carried out")

    /// What the engine's refusal means over HTTP. A taken name is 409 with `x-conflicting-id`
    /// naming its holder; a quota 403 (`ERR_MSG_QUOTA_EXCEEDED`); a broken rule 400.
    static func refusal(_ error: ConsoleError) -> HTTPResponse {
        switch error {
        case .notFound(let what, _):
            return notFound(what)
        case .conflict(let what, let existingId, _):
            let headers: HTTPHeaders = existingId.map { ["x-conflicting-id": $0] } ?? [:]
            return self.error(409, code: "ERR_CONFLICT", message: "\(what) is taken" + (existingId.map { " (by \($0))" } ?? ""), headers: headers)
        case .notEntitled(let service, _):
            return self.error(400, code: "ERR_NOT_ENTITLED", message: "the organization is not entitled to service \(service)")
        case .unsupportedCredentialType(let service, let type, let supported, _):
            let names = supported.map(\.rawValue).sorted().joined(separator: ", ")
            return self.error(400, code: "ERR_UNSUPPORTED_CREDENTIAL_TYPE",
                              message: "service \(service) does not support \(type.rawValue) credentials (it supports \(names))")
        case .quotaExceeded(let message, _):
            return self.error(403, code: "ERR_MSG_QUOTA_EXCEEDED", message: "quota exceeded: \(message)")
        case .invalid(let message, _):
            return self.error(400, code: "ERR_BAD_REQUEST", message: message)
        case .unauthorized(let message, _):
            return self.error(403, code: "ERR_FORBIDDEN", message: message)
        case .rateLimited(let retryAfter, _):
            return rateLimited(retryAfter: max(1, Int((retryAfter ?? 1).rounded(.up))))
        case .unavailable(let message, _):
            return self.error(503, code: "ERR_SERVICE_UNAVAILABLE", message: message)
        case .badResponse(let message, _):
            return self.error(500, code: "ERR_INTERNAL", message: message)
        }
    }
}
