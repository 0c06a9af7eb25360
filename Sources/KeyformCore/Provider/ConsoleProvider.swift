/// The console behind a protocol: the local engine, or the real console over HTTP.
///
/// Every implementation guarantees:
/// - integration names are unique in the organization; `integration(named:)` finds by name;
/// - `setServices` replaces the whole list (always pass the full desired set);
/// - a create that fails leaves either nothing or an integration findable by name, so that the
///   executor can look the name up and adopt it instead of creating a second one;
/// - registrations it returns (created, updated, listed, read) carry the console's webhook
///   status: `unverifiedWebhook` is set when the console says the webhook is not verified;
/// - errors are `ConsoleError`s; none of them carries a secret.
public protocol ConsoleProvider: Sendable {
    /// Services and event providers for the organization, with entitlements.
    func catalog() async throws -> Catalog

    /// Every integration the organization holds, sorted by name.
    func listIntegrations() async throws -> [IntegrationRecord]

    /// The integration with this name, or `nil`.
    func integration(named name: String) async throws -> IntegrationRecord?

    /// Creates the project, its default workspace and its credential. Services and
    /// registrations are set by later calls.
    func createIntegration(_ attributes: IntegrationAttributes) async throws -> IntegrationRecord

    /// Changes name, title, description, domains and redirect URIs. The type cannot change.
    func updateIntegration(_ id: IntegrationID, to attributes: IntegrationAttributes) async throws

    /// Replaces the credential's service subscriptions with exactly `services`.
    func setServices(_ id: IntegrationID, to services: [String]) async throws

    /// Registers for events with a webhook; the console verifies the webhook as it creates.
    /// - Returns: the registration, with `unverifiedWebhook` set when the console says it could
    ///   not verify the webhook (the registration exists all the same).
    func createRegistration(_ id: IntegrationID, _ spec: EventRegistrationSpec) async throws -> RegistrationRecord

    /// Replaces the registration with `spec`; the console verifies the webhook again.
    /// - Returns: the registration, with `unverifiedWebhook` set when the console says it could
    ///   not verify the webhook (the replacement is made all the same).
    @discardableResult
    func updateRegistration(_ id: IntegrationID, registrationId: String, to spec: EventRegistrationSpec) async throws -> RegistrationRecord

    func deleteRegistration(_ id: IntegrationID, registrationId: String) async throws

    /// Deletes the credential and the project. Registrations must have been deleted first.
    func deleteIntegration(_ id: IntegrationID) async throws

    /// Whether a caller should leave failures unretried: the provider retries transient ones
    /// itself (per its own `RetryPolicy`; retries on two levels multiply, and a console that
    /// keeps failing would hold every step for minutes), or has none that a retry could help
    /// (a console in this process, whose failure does not pass). False by default.
    var handlesTransientFailures: Bool { get }
}

extension ConsoleProvider {
    public var handlesTransientFailures: Bool { false }
}

/// What a console answers when it refuses or fails a request.
public enum ConsoleError: Error, Hashable, Sendable {
    /// The thing addressed does not exist (404).
    case notFound(what: String, request: RequestInfo?)
    /// A name is taken; `existingId` is the holder when the console says (409 `x-conflicting-id`).
    case conflict(what: String, existingId: String?, request: RequestInfo?)
    /// The organization is not entitled to a service.
    case notEntitled(service: String, request: RequestInfo?)
    /// A service does not support the credential type.
    case unsupportedCredentialType(service: String, type: CredentialType, supported: [CredentialType], request: RequestInfo?)
    /// A quota is reached (403 or 409).
    case quotaExceeded(String, request: RequestInfo?)
    /// The request was malformed or broke a rule (400).
    case invalid(String, request: RequestInfo?)
    /// 401/403: missing or rejected credentials.
    case unauthorized(String, request: RequestInfo?)
    /// 429: slow down; `retryAfter` in seconds when the console said.
    case rateLimited(retryAfter: Double?, request: RequestInfo?)
    /// 5xx or a dropped connection: may succeed if tried again (when the request is safe to repeat).
    case unavailable(String, request: RequestInfo?)
    /// An answer that could not be understood (bad JSON, missing field).
    case badResponse(String, request: RequestInfo?)

    /// What was sent and what came back, for error messages. Never holds a header value.
    public struct RequestInfo: Hashable, Sendable {
        public var method: String
        public var path: String
        public var status: Int?
        public var requestId: String?

        public init(method: String, path: String, status: Int? = nil, requestId: String? = nil) {
            self.method = method
            self.path = path
            self.status = status
            self.requestId = requestId
        }
    }

    /// Whether trying the same request again may succeed.
    public var isTransient: Bool {
        switch self {
        case .rateLimited, .unavailable: true
        default: false
        }
    }
}
