import KeyformJSON

/// One step of a plan: what to do to one object (an integration, its service set, or one of
/// its registrations), why, the values before and after, and the actions it waits for.
public struct PlanAction: Hashable, Sendable, Identifiable {
    /// The kinds of DESIGN.md, with their JSON names.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case create, update, rename, subscribe, register
        case updateRegistration = "update-registration"
        case deregister, delete
        case noOp = "no-op"
    }

    /// What the executor performs, with everything it needs.
    public enum Operation: Hashable, Sendable {
        /// Create (or adopt a same-named) integration with `spec.attributes`. Services and
        /// registrations follow as their own actions.
        case create(IntegrationSpec)
        /// Change the attributes in place to `spec.attributes` (and record `spec.isProtected`).
        case update(IntegrationSpec)
        /// Change the name (and any other attribute) to `spec.attributes`; `from` is the name
        /// the state records it under.
        case rename(from: String, to: IntegrationSpec)
        /// Replace the whole service list with `services`.
        case subscribe(services: [String])
        case register(EventRegistrationSpec)
        case updateRegistration(registrationId: String, to: EventRegistrationSpec)
        case deregister(registrationId: String, name: String)
        /// Delete the integration (its registrations are deregistered by earlier actions).
        case delete
        case noOp
    }

    /// Unique within the plan: `<kind>:<address>` (`create:stocksearchweb`).
    public var id: String
    /// `stocksearchweb`, `stocksearchweb.services` or `stocksearchweb.events["asset-sync"]`.
    public var address: String
    /// The integration's name once the plan is applied (its recorded name for a delete).
    public var integrationName: String
    /// The name the state records the integration under; `nil` when the state does not know it.
    public var stateName: String?
    /// The console ids of the integration; `nil` when the plan creates it (the executor takes
    /// them from the `create` this action depends on).
    public var integrationId: IntegrationID?
    public var operation: Operation {
        didSet { kind = operation.kind }
    }
    /// The kind of `operation` (kept beside it, so that reading it copies nothing).
    public private(set) var kind: Kind
    /// Why, in words, as the sentence after the address ("will be created (new in the manifests)").
    public var reason: String
    /// Part of a replacement (delete and create again, for a credential type change).
    public var isReplacement: Bool
    /// Ids of the actions that must succeed first, sorted.
    public var dependsOn: [String]
    /// The object before (`null` when it does not exist yet).
    public var before: JSON
    /// The object after (`null` when deleted). Keys in `afterUnknown` are left out.
    public var after: JSON
    /// Keys of `after` known only once applied (the API key of a new integration).
    public var afterUnknown: [String]

    public init(
        id: String, address: String, integrationName: String, stateName: String?, integrationId: IntegrationID?,
        operation: Operation, reason: String, isReplacement: Bool = false, dependsOn: [String] = [],
        before: JSON = .null, after: JSON = .null, afterUnknown: [String] = []
    ) {
        self.id = id
        self.address = address
        self.integrationName = integrationName
        self.stateName = stateName
        self.integrationId = integrationId
        self.operation = operation
        self.kind = operation.kind
        self.reason = reason
        self.isReplacement = isReplacement
        self.dependsOn = dependsOn
        self.before = before
        self.after = after
        self.afterUnknown = afterUnknown
    }

    /// The desired spec, for the actions that carry one.
    public var spec: IntegrationSpec? {
        switch operation {
        case .create(let spec), .update(let spec), .rename(_, let spec): spec
        default: nil
        }
    }
}

extension PlanAction.Operation {
    public var kind: PlanAction.Kind {
        switch self {
        case .create: .create
        case .update: .update
        case .rename: .rename
        case .subscribe: .subscribe
        case .register: .register
        case .updateRegistration: .updateRegistration
        case .deregister: .deregister
        case .delete: .delete
        case .noOp: .noOp
        }
    }
}
