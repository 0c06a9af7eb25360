import Foundation
import KeyformCore

/// The embedded Adobe Developer Console: one organization with a catalog (services with
/// entitlements and credential types, event providers), its projects — each with a default
/// workspace and at most one credential — the credentials' service subscriptions, and the
/// workspaces' I/O Events registrations. It enforces the real console's rules and answers
/// in the console's shapes, so `LocalProvider` and the HTTP emulator are thin layers over it.
///
/// Every operation is synchronous and thread-safe (one lock around the state); mutations
/// throw `ConsoleError`. The client secret of an OAuth or service-account credential is
/// generated here and kept only in the engine's data files: no operation returns it, no
/// error or description mentions it.
///
/// ## Persistence: a snapshot and an operation log
///
/// `ConsoleEngine.open(path:)` keeps the console in two files beside each other:
///
///     console.json      the snapshot: the whole console as canonical JSON, with the
///                       `sequence` number of the last operation it includes
///     console.json.log  the operation log: one compact JSON record per line,
///                       `{"sequence":N,"changes":[…]}`, appended after the snapshot
///
/// A mutation validates its request, applies its changes in memory, appends one record to
/// the log and `fsync`s it **before it returns** — an operation the caller was told about
/// survives a `SIGKILL` or power loss at any instant. Concurrent callers share fsyncs
/// (group commit): while one thread writes and syncs, the others queue their records; the
/// next one to find the log idle writes all of them with one `fsync`. Reads wait until
/// everything they could see is durable, so nobody observes what a crash could take back.
///
/// Each operation therefore costs one small append, never a rewrite of the whole console.
/// When the log outgrows the snapshot (and on `flush()`/`close()`) the engine compacts:
/// it writes a new snapshot atomically (temporary file in the same directory, `fsync`,
/// `rename`, `fsync` of the directory) and empties the log. Compaction after the log has
/// grown by at least the snapshot's size keeps the total work linear in the operations.
///
/// On open, the snapshot is loaded and the log records with a later sequence replayed; a
/// last line cut off by a crash (no newline) was never acknowledged and is dropped. A
/// damaged file is reported as `ConsoleStoreError` with its path and position.
///
/// One process writes a console at a time (an exclusive `flock` on the log, released by
/// the kernel when the holder dies); `open(path:readOnly: true)` reads without the lock and
/// retries if it catches a compaction half-way. Both files have mode 0600: they hold secrets.
public final class ConsoleEngine: @unchecked Sendable {
    // @unchecked: every mutable property is guarded by `lock`, except the files of `store`,
    // which only the thread holding the `flushing` baton (or `lock`, when nobody holds it)
    // touches — see `waitUntilDurable`.
    private let lock = NSCondition()
    private var state: ConsoleState
    private var identifiers: ConsoleIdentifiers
    /// Sequence number of the last operation applied in memory.
    private var appliedSequence: Int
    /// Sequence number of the last operation known to be on disk.
    private var durableSequence: Int
    /// Encoded log records applied in memory but not yet written.
    private var pending: [UInt8] = []
    private var flushing = false
    private var failure: ConsoleStoreError?
    private var isClosed = false
    private let store: ConsoleStore?
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
        self.durableSequence = 0
        self.store = nil
        self.isReadOnly = false
        self.path = nil
        self.quotas = quotas
    }

    private init(
        loaded: ConsoleStore.Loaded, store: ConsoleStore?, readOnly: Bool, identifiers: ConsoleIdentifiers, path: String, quotas: ConsoleQuotas
    ) {
        self.state = loaded.state
        self.identifiers = identifiers
        self.appliedSequence = loaded.sequence
        self.durableSequence = loaded.sequence
        self.store = store
        self.isReadOnly = readOnly
        self.path = path
        self.quotas = quotas
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
            return ConsoleEngine(loaded: loaded, store: nil, readOnly: true, identifiers: identifiers, path: path, quotas: quotas)
        }
        let store = try ConsoleStore.openForWriting(path: path)
        store.compactionThreshold = compactionThreshold
        let loaded: ConsoleStore.Loaded
        do {
            loaded = try store.load(fresh: fresh)
        } catch {
            store.close()
            throw error
        }
        return ConsoleEngine(loaded: loaded, store: store, readOnly: false, identifiers: identifiers, path: path, quotas: quotas)
    }

    deinit {
        store?.close()
    }

    /// Writes everything into the snapshot now and empties the log (a compaction). Not
    /// needed for durability — every operation is durable when it returns — but leaves one
    /// self-contained file.
    public func flush() throws(ConsoleStoreError) {
        lock.lock()
        defer { lock.unlock() }
        try compactWhileIdle()
    }

    /// Compacts (like `flush`), releases the writer's lock and closes the files. Further
    /// operations fail with `ConsoleError.unavailable`. Closing twice does nothing.
    public func close() throws(ConsoleStoreError) {
        lock.lock()
        defer { lock.unlock() }
        guard !isClosed else { return }
        defer {
            isClosed = true
            store?.close()
        }
        try compactWhileIdle()
    }

    /// With `lock` held: waits for a flush in progress, then writes a snapshot if the log
    /// holds anything.
    private func compactWhileIdle() throws(ConsoleStoreError) {
        guard let store, !isClosed else { return }
        while flushing { lock.wait() }
        if let failure { throw failure }
        guard appliedSequence > store.snapshotSequence else { return }
        pending = []
        do {
            try store.writeSnapshot(state, sequence: appliedSequence)
        } catch {
            failure = error
            lock.broadcast()
            throw error
        }
        durableSequence = appliedSequence
    }

    // MARK: - The two ways in: read and mutate

    /// Runs `body` on the state under the lock and returns once everything it could have
    /// seen is durable.
    func read<T>(_ body: (ConsoleState) throws(ConsoleError) -> T) throws(ConsoleError) -> T {
        lock.lock()
        defer { lock.unlock() }
        try checkUsable(writing: false)
        let result = try body(state)
        try waitUntilDurable(appliedSequence)
        return result
    }

    /// Validates and performs one operation: `body` checks the request against the state and
    /// returns its result and changes; they are applied, logged as one record and synced
    /// before this returns. An operation that throws changes nothing.
    func mutate<T>(_ body: (ConsoleState, inout ConsoleIdentifiers) throws(ConsoleError) -> (T, [ConsoleChange])) throws(ConsoleError) -> T {
        lock.lock()
        defer { lock.unlock() }
        try checkUsable(writing: true)
        let (result, changes) = try body(state, &identifiers)
        if !changes.isEmpty {
            for change in changes { state.apply(change) }
            appliedSequence += 1
            if store != nil {
                pending += ConsoleLogRecord.encode(sequence: appliedSequence, changes: changes)
            } else {
                durableSequence = appliedSequence
            }
        }
        try waitUntilDurable(appliedSequence)
        return result
    }

    private func checkUsable(writing: Bool) throws(ConsoleError) {
        let name = path ?? "in memory"
        if isClosed { throw .unavailable("the console (\(name)) is closed", request: nil) }
        if let failure { throw .unavailable("the console's storage failed: \(failure); reopen the console", request: nil) }
        if writing, isReadOnly {
            throw .invalid("the console (\(name)) was opened read-only", request: nil)
        }
    }

    /// With `lock` held: returns when operation `sequence` is on disk. The first caller to
    /// find no flush in progress takes the baton, writes every pending record (or compacts)
    /// outside the lock, and wakes the others: one fsync serves everyone who queued meanwhile.
    private func waitUntilDurable(_ sequence: Int) throws(ConsoleError) {
        guard let store else { return }
        while durableSequence < sequence {
            if let failure { throw .unavailable("the console's storage failed: \(failure); reopen the console", request: nil) }
            if flushing {
                lock.wait()
                continue
            }
            flushing = true
            let target = appliedSequence
            let batch = pending
            pending = []
            let compact = store.shouldCompact(adding: batch.count)
            let snapshot: ConsoleState? = compact ? state : nil
            lock.unlock()
            var error: ConsoleStoreError?
            do {
                if let snapshot {
                    try store.writeSnapshot(snapshot, sequence: target)
                } else {
                    try store.append(batch)
                }
            } catch let caught {
                error = caught
            }
            lock.lock()
            flushing = false
            if let error { failure = error } else { durableSequence = target }
            lock.broadcast()
        }
    }
}
