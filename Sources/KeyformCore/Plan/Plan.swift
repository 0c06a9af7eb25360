/// An exact, reviewable list of what an apply will do, and what it was made against.
///
/// A plan is a value: made by `Planner` from the diff, rendered by the renderers, saved and
/// read back by `PlanFile`, and performed by the executor in `actions` order (a topological
/// order of `dependsOn`; actions whose dependencies are done may run in parallel).
public struct Plan: Hashable, Sendable {
    /// The plan file format this build writes and reads.
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    /// A unique id (a UUID, chosen by the caller), so that an applied plan is not applied twice.
    public var id: String
    /// When the plan was made (ISO 8601, chosen by the caller).
    public var createdAt: String
    /// The state the plan was made against: `nil`s when there was no state yet.
    public var stateLineage: String?
    public var stateSerial: Int?
    /// Hex SHA-256 of the stored state's bytes.
    public var stateDigest: String?
    /// Hex SHA-256 of the catalog (`Catalog.digest`).
    public var catalogDigest: String
    /// Whether the state was refreshed from the console before diffing.
    public var refreshed: Bool
    /// Topologically ordered by `dependsOn`; ties broken by address, then kind.
    public var actions: [PlanAction]
    /// Changes made outside Keyform, found by the refresh; sorted by address.
    public var drift: [Drift]
    /// What the refresh learned, to record in the state before the actions run.
    public var stateRefresh: [StateChange]
    public var summary: PlanSummary

    public init(
        formatVersion: Int = Plan.currentFormatVersion, header: PlanHeader, refreshed: Bool,
        actions: [PlanAction], drift: [Drift], stateRefresh: [StateChange]
    ) {
        self.formatVersion = formatVersion
        self.id = header.id
        self.createdAt = header.createdAt
        self.stateLineage = header.stateLineage
        self.stateSerial = header.stateSerial
        self.stateDigest = header.stateDigest
        self.catalogDigest = header.catalogDigest
        self.refreshed = refreshed
        self.actions = actions
        self.drift = drift
        self.stateRefresh = stateRefresh
        self.summary = PlanSummary(actions: actions)
    }

    /// Whether applying would change the console (any action other than `no-op`).
    public var hasChanges: Bool { actions.contains { $0.kind != .noOp } }

    /// The identifying fields, as given when the plan was made.
    public var header: PlanHeader {
        PlanHeader(
            id: id, createdAt: createdAt, stateLineage: stateLineage, stateSerial: stateSerial,
            stateDigest: stateDigest, catalogDigest: catalogDigest)
    }

    /// The action with this id.
    public func action(id: String) -> PlanAction? { actions.first { $0.id == id } }
}

/// What a plan is made against, given by the caller (the core reads no clock and no state).
public struct PlanHeader: Hashable, Sendable {
    public var id: String
    public var createdAt: String
    public var stateLineage: String?
    public var stateSerial: Int?
    public var stateDigest: String?
    public var catalogDigest: String

    public init(
        id: String, createdAt: String, stateLineage: String?, stateSerial: Int?, stateDigest: String?,
        catalogDigest: String
    ) {
        self.id = id
        self.createdAt = createdAt
        self.stateLineage = stateLineage
        self.stateSerial = stateSerial
        self.stateDigest = stateDigest
        self.catalogDigest = catalogDigest
    }

    /// A header for a plan made against `snapshot` (or no state yet).
    public init(id: String, createdAt: String, snapshot: StateSnapshot?, catalogDigest: String) {
        self.init(
            id: id, createdAt: createdAt, stateLineage: snapshot?.state.lineage, stateSerial: snapshot?.state.serial,
            stateDigest: snapshot?.digest, catalogDigest: catalogDigest)
    }
}
