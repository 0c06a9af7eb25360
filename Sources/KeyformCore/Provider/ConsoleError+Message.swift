import KeyformJSON

extension ConsoleError {
    /// One line for a person: the request that failed (when there was one), what the console
    /// answered, its `x-request-id` (support asks for it), and what to do. For example
    /// `POST /console/organizations/123/projects failed: 503 Service Unavailable
    /// (x-request-id abc123); the console may be down, try again`. Control characters and
    /// bidirectional overrides (from the console's message, ids or headers) are shown as
    /// escapes, so a console cannot colour, break or reorder the line.
    public var userMessage: String {
        var line = ""
        if let request = requestInfo { line = "\(request.method) \(request.path) failed: " }
        let status = requestInfo?.status.map(Self.statusLine)
        line += [status, detail].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
        if let id = requestInfo?.requestId, !id.isEmpty { line += " (x-request-id \(id))" }
        return Diagnostic.displayable(line + "; " + fix)
    }

    /// The request this error is about, when it came from one.
    public var requestInfo: RequestInfo? {
        switch self {
        case .notFound(_, let r), .conflict(_, _, let r), .notEntitled(_, let r), .unsupportedCredentialType(_, _, _, let r),
            .quotaExceeded(_, let r), .invalid(_, let r), .unauthorized(_, let r), .rateLimited(_, let r),
            .unavailable(_, let r), .badResponse(_, let r):
            r
        }
    }

    private var detail: String {
        switch self {
        case .notFound(let what, _): "\(what) not found"
        case .conflict(let what, let existing, _): "\(what) is taken" + (existing.map { " (by \($0))" } ?? "")
        case .notEntitled(let service, _): "the organization is not entitled to service \(service)"
        case .unsupportedCredentialType(let service, let type, let supported, _):
            "service \(service) does not support \(type.rawValue) credentials (it supports \(supported.map(\.rawValue).sorted().joined(separator: ", ")))"
        case .quotaExceeded(let message, _): "quota reached: \(message)"
        case .invalid(let message, _), .unauthorized(let message, _), .unavailable(let message, _), .badResponse(let message, _): message
        case .rateLimited(let retryAfter, _):
            requestInfo?.status == nil ? "rate limited" + (retryAfter.map { " (retry after \(Self.seconds($0)))" } ?? "")
                : retryAfter.map { "retry after \(Self.seconds($0))" } ?? ""
        }
    }

    private var fix: String {
        switch self {
        case .notFound(let what, _) where what.hasPrefix("organization "):
            "check \"org\" in keyform.json: it names an organization the access token can see, by its code (1234567@AdobeOrg) or id"
        case .notFound(let what, _) where what == Self.consoleAPISubject:
            "check the console URL (`--console`, or `consoleUrl` in keyform.json): it is the console's base address, such as https://developers.adobe.io"
        case .notFound: "it may have been deleted outside Keyform: run `keyform plan --refresh` to see what the console holds"
        case .conflict: "choose another name, or delete or rename the existing one in the console"
        case .notEntitled(let service, _): "ask an organization administrator to add the product, or remove \(service) from `services`"
        case .unsupportedCredentialType: "change the integration's `type`, or remove the service from `services`"
        case .quotaExceeded: "delete registrations or integrations that are no longer used, or ask Adobe to raise the quota"
        case .invalid: "check the values in the manifest against the console's rules"
        case .unauthorized: "check that the access token is valid and unexpired, was issued for this API key, and may manage the organization's projects"
        case .rateLimited: "lower --parallelism or try again later"
        case .unavailable: "the console may be down, try again"
        case .badResponse: "the console answered in an unexpected shape; if this persists, report it with the x-request-id"
        }
    }

    /// What a 404 on the organizations list is about: not an organization gone, but no
    /// console at the URL (a wrong base address).
    public static let consoleAPISubject = "the Console API (no organizations list at the console URL)"

    static func statusLine(_ status: Int) -> String {
        let reasons = [
            200: "OK", 201: "Created", 204: "No Content",
            301: "Moved Permanently", 302: "Found", 303: "See Other", 307: "Temporary Redirect", 308: "Permanent Redirect",
            400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
            409: "Conflict", 410: "Gone", 413: "Content Too Large", 415: "Unsupported Media Type", 422: "Unprocessable Content",
            429: "Too Many Requests", 500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway",
            503: "Service Unavailable", 504: "Gateway Timeout",
        ]
        return reasons[status].map { "\(status) \($0)" } ?? "status \(status)"
    }

    /// `7 s`, `0.5 s`: a wait or a timeout as messages show it. Any value, a console's
    /// `Retry-After: 99999999999999999999` included, is shown (`1e+20 s`), never trapped on.
    public static func seconds(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? "\(Int(value)) s" : "\(value) s"
    }
}
