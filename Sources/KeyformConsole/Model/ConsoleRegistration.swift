/// An I/O Events registration in a workspace: a webhook subscribed to event codes of one
/// event provider, for one credential (its client id).
public struct ConsoleRegistration: Hashable, Sendable {
    /// The `registration_id` used in request paths: a lowercase UUID.
    public var id: String
    /// The numeric `id` the Developer Console shows in its URLs.
    public var numericId: Int64
    /// Unique in the workspace; 3–255 characters.
    public var name: String
    public var description: String
    public var projectId: String
    public var workspaceId: String
    /// The API key of the credential the registration belongs to.
    public var clientId: String
    public var providerId: String
    /// Sorted, unique, non-empty.
    public var eventCodes: [String]
    public var webhookUrl: String
    /// Always `webhook` here.
    public var deliveryType: String
    public var enabled: Bool
    /// `verified`, `unverified`, `hook_unreachable` or `disabled`.
    public var webhookStatus: String

    public init(
        id: String, numericId: Int64, name: String, description: String, projectId: String, workspaceId: String,
        clientId: String, providerId: String, eventCodes: [String], webhookUrl: String,
        deliveryType: String = "webhook", enabled: Bool = true, webhookStatus: String = "verified"
    ) {
        self.id = id
        self.numericId = numericId
        self.name = name
        self.description = description
        self.projectId = projectId
        self.workspaceId = workspaceId
        self.clientId = clientId
        self.providerId = providerId
        self.eventCodes = Array(Set(eventCodes)).sorted()
        self.webhookUrl = webhookUrl
        self.deliveryType = deliveryType
        self.enabled = enabled
        self.webhookStatus = webhookStatus
    }
}

/// The body of a registration create (`POST`) or replace (`PUT`).
public struct ConsoleRegistrationRequest: Hashable, Sendable {
    public var name: String
    public var description: String
    /// Required on create; a replace keeps the registration's client id and ignores this.
    public var clientId: String
    public var providerId: String
    public var eventCodes: [String]
    public var webhookUrl: String
    public var enabled: Bool
    /// The outcome of webhook verification, decided by the caller (the HTTP layer verifies
    /// before it calls the engine; in process there is nothing to verify).
    public var webhookStatus: String

    public init(
        name: String, description: String = "", clientId: String, providerId: String, eventCodes: [String],
        webhookUrl: String, enabled: Bool = true, webhookStatus: String = "verified"
    ) {
        self.name = name
        self.description = description
        self.clientId = clientId
        self.providerId = providerId
        self.eventCodes = eventCodes
        self.webhookUrl = webhookUrl
        self.enabled = enabled
        self.webhookStatus = webhookStatus
    }
}
