import KeyformJSON

/// The desired state read from the manifest files, with where each part was written.
///
/// `specs` is what later stages (diff, plan) compare; `locations` lets them point back at
/// the manifest when they have something to say about an integration. Only meaningful when
/// loading reported no error (see `ManifestLoadResult.hasErrors`).
public struct ManifestModel: Hashable, Sendable {
    /// One spec per integration name, sorted by name.
    public var specs: [IntegrationSpec]
    /// Where each integration (by name) was declared.
    public var locations: [String: IntegrationLocations]
    /// The manifest files read, in the order they were read (sorted paths).
    public var files: [String]

    public init(specs: [IntegrationSpec] = [], locations: [String: IntegrationLocations] = [:], files: [String] = []) {
        self.specs = specs.sorted { $0.name < $1.name }
        self.locations = locations
        self.files = files
    }

    /// The spec named `name`, if the manifests declare one.
    public func spec(named name: String) -> IntegrationSpec? {
        specs.first { $0.name == name }
    }
}

/// Where the parts of one integration were written. Each location points at the value
/// (for a member, its value; for a set member, its first occurrence).
public struct IntegrationLocations: Hashable, Sendable {
    /// The integration's object (its opening brace).
    public var integration: SourceLocation
    public var name: SourceLocation
    public var title: SourceLocation?
    public var description: SourceLocation?
    public var type: SourceLocation?
    public var allowedDomains: SourceLocation?
    public var redirectUris: SourceLocation?
    /// The `services` array.
    public var servicesList: SourceLocation?
    /// Each service code's first occurrence.
    public var services: [String: SourceLocation]
    /// Each event registration by name (its first declaration).
    public var events: [String: EventLocations]
    public var isProtected: SourceLocation?
    /// Each former name's first occurrence.
    public var formerNames: [String: SourceLocation]

    /// The manifest file the integration is in.
    public var file: String { integration.file }

    public init(
        integration: SourceLocation, name: SourceLocation, title: SourceLocation? = nil,
        description: SourceLocation? = nil, type: SourceLocation? = nil,
        allowedDomains: SourceLocation? = nil, redirectUris: SourceLocation? = nil,
        servicesList: SourceLocation? = nil, services: [String: SourceLocation] = [:],
        events: [String: EventLocations] = [:], isProtected: SourceLocation? = nil,
        formerNames: [String: SourceLocation] = [:]
    ) {
        self.integration = integration
        self.name = name
        self.title = title
        self.description = description
        self.type = type
        self.allowedDomains = allowedDomains
        self.redirectUris = redirectUris
        self.servicesList = servicesList
        self.services = services
        self.events = events
        self.isProtected = isProtected
        self.formerNames = formerNames
    }
}

/// Where the parts of one event registration were written.
public struct EventLocations: Hashable, Sendable {
    /// The registration's object (its opening brace).
    public var registration: SourceLocation
    public var name: SourceLocation
    public var provider: SourceLocation?
    /// Each event code's first occurrence.
    public var eventCodes: [String: SourceLocation]
    public var webhookUrl: SourceLocation?

    public init(
        registration: SourceLocation, name: SourceLocation, provider: SourceLocation? = nil,
        eventCodes: [String: SourceLocation] = [:], webhookUrl: SourceLocation? = nil
    ) {
        self.registration = registration
        self.name = name
        self.provider = provider
        self.eventCodes = eventCodes
        self.webhookUrl = webhookUrl
    }
}
