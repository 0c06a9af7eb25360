/// The console ids of one integration: a project, its default workspace, one credential.
public struct IntegrationID: Hashable, Sendable {
    public var projectId: String
    public var workspaceId: String
    public var credentialId: String

    public init(projectId: String, workspaceId: String, credentialId: String) {
        self.projectId = projectId
        self.workspaceId = workspaceId
        self.credentialId = credentialId
    }
}

/// One integration as the console holds it (and as the state last recorded it): ids, the
/// public API key, the attributes, services and registrations. Never a secret.
public struct IntegrationRecord: Hashable, Sendable {
    public var id: IntegrationID
    /// The public client id. Not a secret: it is sent with every request.
    public var apiKey: String
    public var attributes: IntegrationAttributes
    /// Sorted, unique.
    public var services: [String]
    /// Sorted by `name`.
    public var registrations: [RegistrationRecord]
    /// Whether the manifest marked it protected when last applied (kept so that a plan made
    /// after the manifest entry disappeared still refuses to delete it).
    public var isProtected: Bool

    public var name: String { attributes.name }

    public init(
        id: IntegrationID, apiKey: String, attributes: IntegrationAttributes, services: [String] = [],
        registrations: [RegistrationRecord] = [], isProtected: Bool = false
    ) {
        self.id = id
        self.apiKey = apiKey
        self.attributes = attributes
        self.services = SortedSet.of(services)
        self.registrations = SortedSet.isSorted(registrations, by: \.name) ? registrations : registrations.sorted { $0.name < $1.name }
        self.isProtected = isProtected
    }
}

/// One event registration as the console holds it.
public struct RegistrationRecord: Hashable, Sendable {
    /// The console's registration id.
    public var id: String
    public var spec: EventRegistrationSpec
    /// The console's `webhook_status` when it says the webhook is not verified
    /// (`hook_unreachable`, `unverified`, …); `nil` when it is verified or the console did not
    /// say. Learnt from the console on every create, update and read, and never written to the
    /// state (a record read from the state has `nil`); it is not part of the spec, so it is
    /// never drift.
    public var unverifiedWebhook: String?

    public var name: String { spec.name }

    public init(id: String, spec: EventRegistrationSpec, unverifiedWebhook: String? = nil) {
        self.id = id
        self.spec = spec
        self.unverifiedWebhook = unverifiedWebhook
    }

    /// The longest `unverifiedWebhook` kept: the status comes from the network and is shown
    /// in plans and errors.
    public static let webhookStatusLimit = 60

    /// The `unverifiedWebhook` for a console's `webhook_status`: `nil` for `verified`, an
    /// absent or an empty status; otherwise the status, cut to `webhookStatusLimit`
    /// characters with an ellipsis. (Control characters are kept: displays escape them.)
    public static func unverifiedWebhook(fromStatus status: String?) -> String? {
        guard let status, !status.isEmpty, status != "verified" else { return nil }
        return status.count <= webhookStatusLimit ? status : String(status.prefix(webhookStatusLimit - 1)) + "…"
    }
}
