import KeyformJSON

/// The credential an integration has; it decides which services it may reach.
public enum CredentialType: String, Hashable, Sendable, CaseIterable, Comparable {
    case apiKey, oauth, serviceAccount

    public static func < (lhs: CredentialType, rhs: CredentialType) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

/// One integration as the manifests want it: the desired state, normalised (sets sorted and
/// deduplicated), so that equal intent compares equal.
public struct IntegrationSpec: Hashable, Sendable {
    public var name: String
    public var title: String
    public var description: String
    public var type: CredentialType
    /// Sorted, unique. `apiKey` only.
    public var allowedDomains: [String]
    /// Sorted, unique. `oauth` only.
    public var redirectUris: [String]
    /// Service codes; sorted, unique (a set).
    public var services: [String]
    /// Sorted by `name`.
    public var events: [EventRegistrationSpec]
    public var isProtected: Bool
    public var formerNames: [String]

    public init(
        name: String, title: String, description: String, type: CredentialType,
        allowedDomains: [String] = [], redirectUris: [String] = [], services: [String] = [],
        events: [EventRegistrationSpec] = [], isProtected: Bool = false, formerNames: [String] = []
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.type = type
        self.allowedDomains = SortedSet.of(allowedDomains)
        self.redirectUris = SortedSet.of(redirectUris)
        self.services = SortedSet.of(services)
        self.events = SortedSet.isSorted(events, by: \.name) ? events : events.sorted { $0.name < $1.name }
        self.isProtected = isProtected
        self.formerNames = formerNames
    }

    /// The attributes that an `update` action changes.
    public var attributes: IntegrationAttributes {
        IntegrationAttributes(
            name: name, title: title, description: description, type: type,
            allowedDomains: allowedDomains, redirectUris: redirectUris)
    }
}

/// An event registration as the manifests want it.
public struct EventRegistrationSpec: Hashable, Sendable {
    /// Unique within its integration.
    public var name: String
    /// Event provider id from the catalog.
    public var provider: String
    /// Sorted, unique, non-empty.
    public var eventCodes: [String]
    public var webhookUrl: String

    public init(name: String, provider: String, eventCodes: [String], webhookUrl: String) {
        self.name = name
        self.provider = provider
        self.eventCodes = SortedSet.of(eventCodes)
        self.webhookUrl = webhookUrl
    }
}

/// The project and credential attributes that create and update send to the console.
public struct IntegrationAttributes: Hashable, Sendable {
    public var name: String
    public var title: String
    public var description: String
    public var type: CredentialType
    public var allowedDomains: [String]
    public var redirectUris: [String]

    public init(
        name: String, title: String, description: String, type: CredentialType,
        allowedDomains: [String] = [], redirectUris: [String] = []
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.type = type
        self.allowedDomains = allowedDomains
        self.redirectUris = redirectUris
    }
}
