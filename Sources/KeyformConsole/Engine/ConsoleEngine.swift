import Foundation
import KeyformCore

/// The embedded Adobe Developer Console: one organization with a catalog (services with
/// entitlements and credential types, event providers), its projects — each with a default
/// workspace and at most one credential — the credentials' service subscriptions, and the
/// workspaces' I/O Events registrations. It enforces the real console's rules and answers
/// in the console's shapes, so `LocalProvider` and the HTTP emulator are thin layers over it.
///
/// Every operation is synchronous and thread-safe (one lock around the state, held only
/// while an operation checks and applies its changes); errors are `ConsoleError`s. The
/// client secret of an OAuth or service-account credential is generated here and kept only
/// in the engine's data files: no operation returns it, no error or description mentions it.
///
/// ## Persistence: a snapshot and an operation log
///
/// `ConsoleEngine.open(path:)` keeps the console in two files beside each other:
///
///     console.json      the snapshot: the whole console as one JSON document (see
///                       `ConsoleSnapshot`), with the `sequence` of the last operation in it
///     console.json.log  the operation log: one compact JSON record per line,
///                       `{"sequence":N,"changes":[…]}`, appended after the snapshot
///
/// A mutation validates its request, applies its changes in memory, appends one record to
/// the log and `fsync`s it **before it returns** — an operation the caller was told about
/// survives a `SIGKILL` or power loss at any instant. Concurrent callers share fsyncs
/// (group commit, `ConsoleCommitLog`): while one caller writes and syncs, the others queue
/// their records, and the next sync carries all of them. Reads wait until everything they
/// could see is durable, so nobody observes what a crash could take back.
///
/// Each operation therefore costs one small append, never a rewrite of the whole console.
/// When the log outgrows both 1 MiB and the snapshot (and on `flush()`/`close()`) the
/// engine compacts: it writes a new snapshot atomically (temporary file in the same
/// directory, `fsync`, `rename`, `fsync` of the directory) and empties the log. Compacting
/// only after the log has grown by the snapshot's size keeps the total work linear in the
/// number of operations, and each entity's JSON is kept from when it last changed, so a
/// compaction mostly concatenates bytes.
///
/// On open, the snapshot is loaded and the log records with a later sequence replayed; a
/// last line cut off by a crash (no newline) was never acknowledged and is dropped. A
/// damaged file is reported as `ConsoleStoreError` with its path and position. When a write
/// or sync fails, the engine stops: every later call fails with `ConsoleError.unavailable`
/// until the console is reopened (what was acknowledged before is on disk).
///
/// One process writes a console at a time (an exclusive `flock` on the log, released by
/// the kernel when the holder dies); `open(path:readOnly: true)` reads without the lock and
/// reads again if it catches a compaction half-way. Both files have mode 0600: they hold
/// secrets.
public final class ConsoleEngine: @unchecked Sendable {
    // @unchecked: every mutable property is guarded by `lock`; `commitLog` guards itself.
    private let lock = NSLock()
    private var state: ConsoleState
    private var identifiers: ConsoleIdentifiers
    /// Sequence number of the last operation applied in memory.
    private var appliedSequence: Int
    private var isClosed = false
    /// Where records go to become durable; `nil` in memory and when read-only.
    private let commitLog: ConsoleCommitLog?
    private let isReadOnly: Bool

    /// The snapshot file's path, or `nil` for an engine that lives in memory only.
    public let path: String?
    /// The registration quotas enforced (not stored: a setting of this engine).
    public let quotas: ConsoleQuotas

    /// The organization name a fresh console gets.
    public static let defaultOrganizationName = "Keyform Local"

    /// A console in memory only (nothing is written anywhere): a fresh organization.
    /// - Parameters:
    ///   - catalog: services and event providers; the default catalog unless a test needs another.
    ///   - quotas: the real console's unless raised.
    ///   - randomSource: ids, keys and secrets come from it; leave the default (the system's
    ///     cryptographic generator) except in tests that need reproducible ids.
    public init(
        organizationName: String = ConsoleEngine.defaultOrganizationName, catalog: Catalog = .default,
        quotas: ConsoleQuotas = .console, randomSource: any RandomNumberGenerator = SystemRandomNumberGenerator()
    ) {
        var identifiers = ConsoleIdentifiers(generator: randomSource)
        self.state = ConsoleState(organization: identifiers.organization(name: organizationName), catalog: catalog)
        self.identifiers = identifiers
        self.appliedSequence = 0
        self.commitLog = nil
        self.isReadOnly = false
        self.path = nil
        self.quotas = quotas
    }

    private init(
        loaded: ConsoleStore.Loaded, store: ConsoleStore?, identifiers: ConsoleIdentifiers, path: String, quotas: ConsoleQuotas
    ) {
        self.state = loaded.state
        self.identifiers = identifiers
        self.appliedSequence = loaded.sequence
        self.commitLog = store.map { ConsoleCommitLog(store: $0, durableSequence: loaded.sequence) }
        self.isReadOnly = store == nil
        self.path = path
        self.quotas = quotas
        commitLog?.attach { [weak self] in self?.snapshotForCompaction() }
    }

    /// Opens the console kept at `path` (e.g. `.keyform/console.json`), creating a fresh
    /// organization with the default catalog when the file does not exist.
    /// - Parameters:
    ///   - readOnly: reads without taking the writer's lock (and without creating anything);
    ///     mutations then fail. For `console list` and plans while an apply may be running.
    ///   - catalog: the catalog of a console created now; an existing console keeps its own.
    ///   - quotas: the real console's unless raised.
    ///   - randomSource: see `init`.
    /// - Throws: `ConsoleStoreError` when a file is damaged or unreadable, or another
    ///   process is writing the console.
    public static func open(
        path: String, readOnly: Bool = false, catalog: Catalog = .default, quotas: ConsoleQuotas = .console,
        randomSource: any RandomNumberGenerator = SystemRandomNumberGenerator()
    ) throws(ConsoleStoreError) -> ConsoleEngine {
        try open(
            path: path, readOnly: readOnly, catalog: catalog, quotas: quotas, randomSource: randomSource,
            compactionThreshold: ConsoleStore.minimumCompactionBytes)
    }

    /// `open`, with the log size that triggers compaction (tests make it small).
    static func open(
        path: String, readOnly: Bool, catalog: Catalog, quotas: ConsoleQuotas = .console, randomSource: any RandomNumberGenerator,
        compactionThreshold: Int
    ) throws(ConsoleStoreError) -> ConsoleEngine {
        var identifiers = ConsoleIdentifiers(generator: randomSource)
        let fresh = { ConsoleState(organization: identifiers.organization(name: defaultOrganizationName), catalog: catalog) }
        if readOnly {
            let loaded = try ConsoleStore.loadReadOnly(path: path, fresh: fresh)
            return ConsoleEngine(loaded: loaded, store: nil, identifiers: identifiers, path: path, quotas: quotas)
        }
        let store = try ConsoleStore.openForWriting(path: path)
        store.compactionThreshold = compactionThreshold
        let loaded = try store.load(fresh: fresh)
        return ConsoleEngine(loaded: loaded, store: store, identifiers: identifiers, path: path, quotas: quotas)
    }

    /// Writes everything into the snapshot now and empties the log (a compaction). Not
    /// needed for durability — every operation is durable when it returns — but leaves one
    /// self-contained file.
    public func flush() throws(ConsoleStoreError) {
        guard let commitLog, let (state, sequence) = snapshotForCompaction() else { return }
        try commitLog.compact(state, sequence: sequence)
    }

    /// Compacts (like `flush`), releases the writer's lock and closes the files. Further
    /// operations fail with `ConsoleError.unavailable`. Closing twice does nothing.
    public func close() throws(ConsoleStoreError) {
        lock.lock()
        let wasClosed = isClosed
        isClosed = true
        let snapshot = (state, appliedSequence)
        lock.unlock()
        guard !wasClosed, let commitLog else { return }
        defer { commitLog.close() }
        try commitLog.compact(snapshot.0, sequence: snapshot.1)
    }

    /// What the storage has done so far: operations logged, syncs, compactions.
    public var storageStatistics: ConsoleStorageStatistics {
        commitLog?.currentStatistics ?? ConsoleStorageStatistics()
    }

    /// The state and the sequence it includes (a cheap copy), unless closed.
    private func snapshotForCompaction() -> (ConsoleState, Int)? {
        lock.lock()
        defer { lock.unlock() }
        return isClosed ? nil : (state, appliedSequence)
    }

    // MARK: - Running reads and operations

    /// Runs `body` on the state under the lock and returns once everything it could have
    /// seen is durable.
    func read<T>(_ body: (ConsoleState) throws(ConsoleError) -> T) throws(ConsoleError) -> T {
        let (result, sequence) = try readNow(body)
        try waitUntilDurable(sequence)
        return result
    }

    /// As `read`, suspending instead of blocking while it waits for the disk.
    func readAsync<T>(_ body: (ConsoleState) throws(ConsoleError) -> T) async throws(ConsoleError) -> T {
        let (result, sequence) = try readNow(body)
        try await waitUntilDurableAsync(sequence)
        return result
    }

    /// Performs one operation: checks, applies, logs, and returns once it is durable.
    func perform<T>(_ operation: ConsoleOperation<T>) throws(ConsoleError) -> T {
        let (result, sequence) = try submit(operation)
        try waitUntilDurable(sequence)
        return result
    }

    /// As `perform`, suspending instead of blocking while it waits for the disk.
    func performAsync<T>(_ operation: ConsoleOperation<T>) async throws(ConsoleError) -> T {
        let (result, sequence) = try submit(operation)
        try await waitUntilDurableAsync(sequence)
        return result
    }

    private func readNow<T>(_ body: (ConsoleState) throws(ConsoleError) -> T) throws(ConsoleError) -> (T, Int) {
        lock.lock()
        defer { lock.unlock() }
        try checkUsable(writing: false)
        return (try body(state), appliedSequence)
    }

    /// Under the lock: runs the operation's checks, applies its changes and queues its log
    /// record. An operation that throws changes nothing.
    private func submit<T>(_ operation: ConsoleOperation<T>) throws(ConsoleError) -> (T, Int) {
        lock.lock()
        defer { lock.unlock() }
        try checkUsable(writing: true)
        let (result, changes) = try operation.run(state, &identifiers, quotas)
        if !changes.isEmpty {
            for change in changes { state.apply(change) }
            appliedSequence += 1
            commitLog?.enqueue(ConsoleLogRecord.encode(sequence: appliedSequence, changes: changes), sequence: appliedSequence)
        }
        return (result, appliedSequence)
    }

    private func checkUsable(writing: Bool) throws(ConsoleError) {
        let name = path ?? "in memory"
        if isClosed { throw .unavailable("the console (\(name)) is closed", request: nil) }
        if let failure = commitLog?.storageFailure { throw Self.storageFailed(failure) }
        if writing, isReadOnly { throw .invalid("the console (\(name)) was opened read-only", request: nil) }
    }

    private func waitUntilDurable(_ sequence: Int) throws(ConsoleError) {
        do throws(ConsoleStoreError) {
            try commitLog?.waitUntilDurable(sequence)
        } catch {
            throw Self.storageFailed(error)
        }
    }

    private func waitUntilDurableAsync(_ sequence: Int) async throws(ConsoleError) {
        guard let commitLog else { return }
        do throws(ConsoleStoreError) {
            try await commitLog.waitUntilDurable(sequence)
        } catch {
            throw Self.storageFailed(error)
        }
    }

    private static func storageFailed(_ error: ConsoleStoreError) -> ConsoleError {
        .unavailable("the console's storage failed: \(error); reopen the console", request: nil)
    }
}
