import Foundation

/// The apply's state in memory plus its journal: every change is appended to the journal
/// (durable when the append returns) and then applied in memory.
///
/// Changes to one integration are serialised by a striped lock held across the
/// read-modify-append, so the journal's order for a name is the order of its changes; changes
/// to different integrations append concurrently, letting the journal group their flushes.
/// Both the lock and the append suspend the task rather than block its thread
/// (`StateJournal.appendSuspending`): on a small thread pool, a task waiting for the disk
/// then leaves its thread to the others, which reach the same flush.
final class StateRecorder: @unchecked Sendable {
    // @unchecked: `current` is only touched under `stateLock`; each name's read-modify-append
    // runs under its stripe of `stripes`.
    private let stateLock = NSLock()
    private var current: StateDocument
    private let journal: any StateJournal
    private let stripes: [TaskLock] = (0..<64).map { _ in TaskLock() }

    init(state: StateDocument, journal: any StateJournal) {
        self.current = state
        self.journal = journal
    }

    var state: StateDocument { stateLock.withLock { current } }

    func record(named name: String) throws(ApplyError) -> IntegrationRecord {
        guard let record = stateLock.withLock({ current.integrations[name] }) else {
            throw .unknownIntegration(name)
        }
        return record
    }

    func intent(_ name: String) async throws {
        try await commit(.intent(name: name), lockingName: name)
    }

    func upsert(_ record: IntegrationRecord) async throws {
        try await commit(.upsert(record, formerName: nil), lockingName: record.name)
    }

    func remove(_ name: String) async throws {
        try await commit(.remove(name: name), lockingName: name)
    }

    /// Changes the record of `name` in place.
    func update(_ name: String, _ change: (inout IntegrationRecord) -> Void) async throws {
        let stripe = stripes[stripeIndex(name)]
        await stripe.acquire()
        defer { stripe.release() }
        var record = try record(named: name)
        change(&record)
        try await append(.upsert(record, formerName: nil))
    }

    func rename(from: String, to attributes: IntegrationAttributes) async throws {
        let stripe = stripes[stripeIndex(attributes.name)]
        await stripe.acquire()
        defer { stripe.release() }
        var record = try record(named: from)
        record.attributes = attributes
        try await append(.upsert(record, formerName: from))
    }

    private func commit(_ change: StateChange, lockingName name: String) async throws {
        let stripe = stripes[stripeIndex(name)]
        await stripe.acquire()
        defer { stripe.release() }
        try await append(change)
    }

    private func append(_ change: StateChange) async throws {
        try await journal.appendSuspending(change)
        stateLock.withLock { change.apply(to: &current) }
    }

    private func stripeIndex(_ name: String) -> Int {
        var hash: UInt64 = 1469598103934665603
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 1099511628211 }
        return Int(hash % UInt64(stripes.count))
    }
}
