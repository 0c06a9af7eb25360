/// The stored state: what Keyform last applied, with the console ids and API keys it got.
/// Never holds a secret.
public struct StateDocument: Hashable, Sendable {
    /// The state file format version this build writes.
    public static let currentFormat = 1

    public var format: Int
    /// Incremented by every write.
    public var serial: Int
    /// A UUID fixed when the state is created; a writer refuses a state of another lineage.
    public var lineage: String
    public var keyformVersion: String
    /// Keyed by integration name.
    public var integrations: [String: IntegrationRecord]
    /// Names whose create was started but not yet confirmed: the next run looks each up in the
    /// console and adopts it, so a killed apply never creates an integration twice.
    public var pendingCreates: Set<String>
    /// The id of the last saved plan applied to this state, so applying it again is refused as
    /// "already applied" rather than merely stale.
    public var lastAppliedPlan: String?

    public init(
        format: Int = StateDocument.currentFormat, serial: Int = 0, lineage: String, keyformVersion: String,
        integrations: [String: IntegrationRecord] = [:], pendingCreates: Set<String> = [],
        lastAppliedPlan: String? = nil
    ) {
        self.format = format
        self.serial = serial
        self.lineage = lineage
        self.keyformVersion = keyformVersion
        self.integrations = integrations
        self.pendingCreates = pendingCreates
        self.lastAppliedPlan = lastAppliedPlan
    }
}

/// One durable step of an apply, appended to the journal as soon as it happened.
public enum StateChange: Hashable, Sendable {
    /// A create is about to be sent for this name.
    case intent(name: String)
    /// The integration now looks like this (created, adopted, updated, renamed from `formerName`).
    case upsert(IntegrationRecord, formerName: String?)
    /// The integration is gone.
    case remove(name: String)

    /// Applies the change to a state in memory.
    public func apply(to state: inout StateDocument) {
        switch self {
        case .intent(let name):
            state.pendingCreates.insert(name)
        case .upsert(let record, let formerName):
            if let formerName, formerName != record.name { state.integrations[formerName] = nil }
            state.integrations[record.name] = record
            state.pendingCreates.remove(record.name)
        case .remove(let name):
            state.integrations[name] = nil
            state.pendingCreates.remove(name)
        }
    }
}
