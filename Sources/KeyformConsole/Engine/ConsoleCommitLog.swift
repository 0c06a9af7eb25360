import Foundation

/// Makes the engine's log records durable, sharing each `fsync` among all the callers that
/// queued a record meanwhile (group commit).
///
/// Whoever finds the log idle takes the baton: it writes every queued record (or compacts)
/// with one sync, outside the lock, then wakes the callers it made durable. If records were
/// queued during its sync, it hands the baton to one of their callers. Synchronous callers
/// (HTTP server threads) wait on a condition; asynchronous ones (`LocalProvider`'s tasks)
/// suspend on a continuation, so only the one doing the I/O occupies a thread.
final class ConsoleCommitLog: @unchecked Sendable {
    // @unchecked: every mutable property is guarded by `lock`; `store` is touched only by
    // the holder of the baton (`flushing`).
    private let lock = NSCondition()
    private let store: ConsoleStore
    private var pending: [(sequence: Int, bytes: [UInt8])] = []
    private var durableSequence: Int
    private var flushing = false
    private var failure: ConsoleStoreError?
    private var waiters: [(sequence: Int, continuation: CheckedContinuation<Turn, Never>)] = []
    private var statistics = ConsoleStorageStatistics()
    /// The engine's state and the sequence it includes, for a compaction.
    private var snapshotSource: (@Sendable () -> (ConsoleState, Int)?)?

    /// What a waiting asynchronous caller is resumed with.
    private enum Turn {
        case durable
        case failed(ConsoleStoreError)
        case lead
    }

    init(store: ConsoleStore, durableSequence: Int) {
        self.store = store
        self.durableSequence = durableSequence
    }

    /// Names where compactions get the state from (the engine, which owns this log).
    func attach(snapshotSource: @escaping @Sendable () -> (ConsoleState, Int)?) {
        lock.withLock { self.snapshotSource = snapshotSource }
    }

    /// Queues one record. The engine calls this under its own lock, in sequence order.
    func enqueue(_ bytes: [UInt8], sequence: Int) {
        lock.withLock {
            pending.append((sequence, bytes))
            statistics.operations += 1
        }
    }

    var currentStatistics: ConsoleStorageStatistics { lock.withLock { statistics } }

    /// The storage failure that stopped the log, if any.
    var storageFailure: ConsoleStoreError? { lock.withLock { failure } }

    /// Returns when record `sequence` (and every earlier one) is on disk.
    func waitUntilDurable(_ sequence: Int) throws(ConsoleStoreError) {
        lock.lock()
        defer { lock.unlock() }
        while durableSequence < sequence {
            if let failure { throw failure }
            if flushing {
                lock.wait()
            } else {
                flushing = true
                flushHoldingBaton()
            }
        }
    }

    /// As `waitUntilDurable`, suspending instead of blocking.
    func waitUntilDurable(_ sequence: Int) async throws(ConsoleStoreError) {
        while true {
            let turn = await withCheckedContinuation { continuation in self.arrive(sequence, continuation) }
            switch turn {
            case .durable: return
            case .failed(let error): throw error
            case .lead:
                // One leader at a time blocks its thread for the write and sync; every other
                // waiter is suspended, so the pool keeps running the tasks that queue meanwhile.
                flushAsLeader()
            }
        }
    }

    private func flushAsLeader() {
        lock.withLock { flushHoldingBaton() }
    }

    private func arrive(_ sequence: Int, _ continuation: CheckedContinuation<Turn, Never>) {
        lock.withLock {
            if durableSequence >= sequence {
                continuation.resume(returning: .durable)
            } else if let failure {
                continuation.resume(returning: .failed(failure))
            } else if !flushing {
                flushing = true
                continuation.resume(returning: .lead)
            } else {
                waiters.append((sequence, continuation))
            }
        }
    }

    /// Writes a snapshot of `state` (which includes every record up to `sequence`) now,
    /// once no flush is in progress; for `flush()` and `close()`.
    func compact(_ state: ConsoleState, sequence: Int) throws(ConsoleStoreError) {
        lock.lock()
        defer { lock.unlock() }
        while flushing { lock.wait() }
        if let failure { throw failure }
        guard sequence > store.snapshotSequence else { return }
        flushing = true
        lock.unlock()
        var error: ConsoleStoreError?
        do { try store.writeSnapshot(state, sequence: sequence) } catch let caught { error = caught }
        lock.lock()
        finish(durable: sequence, compacted: true, error: error)
        if let error { throw error }
    }

    /// Closes the files, which releases the writer's lock. Waits for a flush in progress.
    func close() {
        lock.withLock {
            while flushing { lock.wait() }
            store.close()
        }
    }

    /// With `lock` held and the baton taken: writes what is queued (or compacts) outside the
    /// lock, then wakes whoever it made durable and passes the baton on if more was queued.
    private func flushHoldingBaton() {
        let batch = pending
        pending = []
        let target = batch.last?.sequence ?? durableSequence
        let size = batch.reduce(0) { $0 + $1.bytes.count }
        let compact = store.shouldCompact(adding: size)
        let snapshot = snapshotSource
        lock.unlock()
        var error: ConsoleStoreError?
        var durable = target
        var compacted = false
        do {
            if compact, let (state, sequence) = snapshot?() {
                try store.writeSnapshot(state, sequence: sequence)
                durable = sequence
                compacted = true
            } else {
                var bytes: [UInt8] = []
                bytes.reserveCapacity(size)
                for record in batch { bytes += record.bytes }
                try store.append(bytes)
            }
        } catch let caught {
            error = caught
        }
        lock.lock()
        finish(durable: durable, compacted: compacted, error: error)
    }

    /// With `lock` held, after the baton holder's I/O.
    private func finish(durable: Int, compacted: Bool, error: ConsoleStoreError?) {
        flushing = false
        if let error {
            failure = error
        } else {
            durableSequence = max(durableSequence, durable)
            pending.removeAll { $0.sequence <= durableSequence }
            if compacted { statistics.compactions += 1 } else { statistics.syncs += 1 }
        }
        var remaining: [(sequence: Int, continuation: CheckedContinuation<Turn, Never>)] = []
        for waiter in waiters {
            if let failure {
                waiter.continuation.resume(returning: .failed(failure))
            } else if waiter.sequence <= durableSequence {
                waiter.continuation.resume(returning: .durable)
            } else {
                remaining.append(waiter)
            }
        }
        waiters = remaining
        if failure == nil, !waiters.isEmpty {
            flushing = true
            waiters.removeFirst().continuation.resume(returning: .lead)
        }
        lock.broadcast()
    }
}

/// How much work the console's storage did: operations logged, syncs of the log (fewer than
/// operations when concurrent callers share them), and compactions into the snapshot.
public struct ConsoleStorageStatistics: Hashable, Sendable {
    public var operations = 0
    public var syncs = 0
    public var compactions = 0
}
