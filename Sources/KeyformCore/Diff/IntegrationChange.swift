/// What the diff found for one integration: the desired spec, the integration as it is now
/// (the console's view when refreshed, else the state's), and how they differ.
public struct IntegrationChange: Hashable, Sendable {
    /// How an integration gets from how it is to how the manifests want it.
    public enum Disposition: Hashable, Sendable {
        /// Not there yet: created, then subscribed and registered.
        case create
        /// Changed in place (attributes, name, services, registrations).
        case update
        /// The credential type changed, which the console cannot do in place: delete, then create.
        case replace
        /// In the state but no longer in the manifests.
        case delete
        /// Matches the manifests.
        case unchanged
    }

    /// Why an integration is created.
    public enum CreateReason: String, Hashable, Sendable {
        /// New in the manifests.
        case new
        /// In the state, but the refresh found it deleted in the console.
        case deletedOutside
        /// Not in the state, but the console has an unmanaged integration of this name, which
        /// the executor adopts instead of creating a second one.
        case adopting
    }

    /// One registration to add, change or remove.
    public enum RegistrationChange: Hashable, Sendable {
        case register(EventRegistrationSpec)
        case update(from: RegistrationRecord, to: EventRegistrationSpec)
        case deregister(RegistrationRecord)

        /// The registration's name (its address within the integration).
        public var name: String {
            switch self {
            case .register(let spec): spec.name
            case .update(let from, _): from.name
            case .deregister(let record): record.name
            }
        }
    }

    /// The desired name, or the recorded name for a delete.
    public var name: String
    public var disposition: Disposition
    /// The manifests' spec; `nil` for a delete.
    public var desired: IntegrationSpec?
    /// How the integration is now; `nil` when it does not exist (create).
    public var current: IntegrationRecord?
    /// The name under which the state records it; `nil` when the state does not know it.
    public var stateName: String?
    /// Whether the state recorded the integration as protected.
    public var recordedProtected: Bool
    /// Set for `create`.
    public var createReason: CreateReason?
    /// Attribute keys that differ (`name`, `title`, `description`, `allowedDomains`,
    /// `redirectUris`, `protected`), in that order; for `update` only.
    public var changedAttributes: [String]
    /// Whether the service set differs (for `update`; for `create`/`replace`, whether there
    /// are services to subscribe).
    public var servicesChanged: Bool
    /// Registration changes sorted by name (for `replace` and `delete`: every current
    /// registration deregistered; for `create`/`replace`: every desired one registered).
    public var registrations: [RegistrationChange]
    /// For a delete: the desired integration that lists this one's name in its `formerNames`
    /// but is in the state under its own name already, so it cannot take this one over.
    public var formerNameOf: String?

    public init(
        name: String, disposition: Disposition, desired: IntegrationSpec?, current: IntegrationRecord?,
        stateName: String?, recordedProtected: Bool, createReason: CreateReason? = nil,
        changedAttributes: [String] = [], servicesChanged: Bool = false, registrations: [RegistrationChange] = []
    ) {
        self.name = name
        self.disposition = disposition
        self.desired = desired
        self.current = current
        self.stateName = stateName
        self.recordedProtected = recordedProtected
        self.createReason = createReason
        self.changedAttributes = changedAttributes
        self.servicesChanged = servicesChanged
        self.registrations = registrations
    }

    /// Whether the integration is renamed (its current name differs from the desired one).
    public var isRename: Bool { changedAttributes.contains("name") }
}

/// The diff of the manifests against the state (refreshed from the console or not).
public struct DiffResult: Hashable, Sendable {
    /// One entry per integration that is desired or recorded, sorted by `name`.
    public var changes: [IntegrationChange]
    /// Differences between the state and the console, sorted by address then kind; empty
    /// without a refresh.
    public var drift: [Drift]
    /// What the refresh learned, to be written to the state before the actions run: records
    /// as the console holds them (kept under their recorded names), and records of
    /// integrations deleted in the console removed. Sorted by name.
    public var stateRefresh: [StateChange]
    /// Whether the state was refreshed from the console.
    public var refreshed: Bool
    /// How many integrations the state recorded.
    public var storedCount: Int

    public init(
        changes: [IntegrationChange], drift: [Drift], stateRefresh: [StateChange], refreshed: Bool, storedCount: Int
    ) {
        self.changes = changes
        self.drift = drift
        self.stateRefresh = stateRefresh
        self.refreshed = refreshed
        self.storedCount = storedCount
    }
}
