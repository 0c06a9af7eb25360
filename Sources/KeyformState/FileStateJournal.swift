import Foundation
import KeyformCore

/// The append-only journal beside a file state (`<state>.journal`), with group commit.
///
/// An append writes its line and returns only once the line is on stable storage. Concurrent
/// appenders share flushes: whoever finds no flush running starts one, which `fdatasync`s
/// everything written so far; appenders that arrive while it runs write their lines and wait;
/// when it ends, the lines still not covered are flushed together by the next one. No appender
/// waits for more than two flushes. N appenders appending back to back settle into two
/// cohorts that take turns (one is flushed while the other writes), so a flush covers about
/// N/2 appends; appenders that do other work between appends (an HTTP call) overlap less.
///
/// Example with three appenders: A writes line 1 and flushes (covers 1); meanwhile B and C
/// write lines 2 and 3 and wait; A's flush ends; the next flush covers 2 and 3 at once. Two
/// flushes, three durable appends.
///
/// Two ways in, one protocol:
/// - `append(_:)` blocks its thread: the first waiter leads the flush itself (leader/follower).
/// - `appendSuspending(_:)` suspends its task: a flusher on a dispatch queue runs the flushes
///   and resumes every task its flush covered. Tasks give their thread back while they wait,
///   so on a small cooperative pool (2 threads on 2 cores) all concurrent actions still batch.
public final class FileStateJournal: StateJournal, @unchecked Sendable {
    // @unchecked: every mutable field below is read and written only while `condition` is
    // locked; the descriptor is used outside it only by the one flush in progress (`flushing`),
    // and `close` and `restart` wait for that flush to end before touching the descriptor.
    private let condition = NSCondition()
    private let fd: Int32
    private var closed = false
    /// Lines written to the descriptor (a ticket number per append).
    private var written: UInt64 = 0
    /// Lines known to be on stable storage.
    private var synced: UInt64 = 0
    /// Whether a flush (a blocking leader's or the flusher's) is in progress.
    private var flushing = false
    /// Suspended appenders, by ticket, in ticket order.
    private var waiters: [(ticket: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    /// Set when a write or flush failed: the file may hold a partial line, so nothing more is
    /// appended after it (the partial line then stays the torn tail that replay ignores).
    private var failure: StateStoreError?
    private var flushes = 0
    private static let flusherQueue = DispatchQueue(label: "keyform.state.journal.flush", attributes: .concurrent)
    /// Tests only: called before each flush (its batch already fixed, the lock released), so a
    /// test can hold a flush open while followers pile up behind it.
    var flushWillStart: (@Sendable () -> Void)?

    /// The journal file's path.
    public let path: String

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    deinit {
        if !closed { _ = Foundation.close(fd) }
    }

    /// How many `fdatasync` calls have been made (fewer than appends when appends overlap).
    public var flushCount: Int {
        condition.withLock { flushes }
    }

    /// How many entries were appended through this object.
    public var appendCount: Int {
        condition.withLock { Int(written) }
    }

    /// Appends one entry; returns when it is durable. Blocks the calling thread meanwhile.
    /// - Throws: `StateStoreError.io` when the write or the flush fails (then every later
    ///   append fails the same way), or when the journal was closed.
    public func append(_ change: StateChange) throws {
        let line = Self.line(change)
        condition.lock()
        defer { condition.unlock() }
        let ticket = try writeLocked(line)
        while synced < ticket {
            if let failure { throw failure }
            if flushing {
                condition.wait()
            } else {
                flushing = true
                flushLocked()
                flushing = false
                startFlusherIfNeededLocked()
            }
        }
    }

    /// Appends one entry; returns when it is durable. Suspends the task meanwhile (the
    /// thread is free for other tasks), so concurrent tasks share flushes.
    /// - Throws: as `append(_:)`.
    public func appendSuspending(_ change: StateChange) async throws {
        let line = Self.line(change)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            condition.lock()
            defer { condition.unlock() }
            do {
                let ticket = try writeLocked(line)
                waiters.append((ticket, continuation))
                startFlusherIfNeededLocked()
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    /// Flushes what is pending and closes the file. Later appends fail; closing twice is harmless.
    public func close() throws {
        condition.lock()
        defer { condition.unlock() }
        while flushing { condition.wait() }
        if closed { return }
        if written > synced, failure == nil {
            flushing = true
            flushLocked()
            flushing = false
        }
        closed = true
        _ = Foundation.close(fd)
        condition.broadcast()
        if let failure { throw failure }
    }

    /// Starts the journal over for a newly written state: truncates it to a fresh header,
    /// durably. Entries appended before are in the state that was just written.
    /// - Returns: `false` when the journal is closed (nothing done).
    func restart(with header: JournalFile.Header) throws(StateStoreError) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while flushing { condition.wait() }
        if closed { return false }
        try POSIX.ftruncate(fd, to: 0, path: path)
        try POSIX.writeAll(fd, JournalFile.headerLine(header), path: path)
        if let error = POSIX.fdatasync(fd) {
            throw .io(path: path, operation: "fdatasync", errno: error)
        }
        flushes += 1
        failure = nil
        synced = written
        resumeCoveredLocked()
        return true
    }

    // MARK: - The flush protocol (all called with `condition` locked)

    private static func line(_ change: StateChange) -> [UInt8] {
        var line = Array(change.compactLine().utf8)
        line.append(0x0A)
        return line
    }

    /// Writes one line and returns its ticket.
    private func writeLocked(_ line: [UInt8]) throws(StateStoreError) -> UInt64 {
        if closed { throw .io(path: path, operation: "append to the closed journal", errno: EBADF) }
        if let failure { throw failure }
        do throws(StateStoreError) {
            try POSIX.writeAll(fd, line, path: path)
        } catch {
            fail(error)
            throw error
        }
        written += 1
        return written
    }

    /// One flush of everything written so far; the caller has set `flushing`. Releases the
    /// lock during the `fdatasync`.
    private func flushLocked() {
        let target = written
        let hook = flushWillStart
        condition.unlock()
        hook?()
        let error = POSIX.fdatasync(fd)
        condition.lock()
        flushes += 1
        if let error {
            fail(.io(path: path, operation: "fdatasync", errno: error))
            return
        }
        synced = max(synced, target)
        resumeCoveredLocked()
        condition.broadcast()
    }

    /// Starts the flusher when suspended appenders wait and no flush is running.
    private func startFlusherIfNeededLocked() {
        guard !flushing, !waiters.isEmpty, failure == nil else { return }
        flushing = true
        FileStateJournal.flusherQueue.async { self.runFlusher() }
    }

    /// The flusher: flushes until no suspended appender waits, then hands over.
    private func runFlusher() {
        condition.lock()
        defer { condition.unlock() }
        while !waiters.isEmpty, failure == nil {
            flushLocked()
        }
        flushing = false
        condition.broadcast()
    }

    private func resumeCoveredLocked() {
        var covered = 0
        while covered < waiters.count, waiters[covered].ticket <= synced {
            waiters[covered].continuation.resume()
            covered += 1
        }
        waiters.removeFirst(covered)
    }

    /// Records a failure and fails every waiter.
    private func fail(_ error: StateStoreError) {
        failure = error
        for waiter in waiters { waiter.continuation.resume(throwing: error) }
        waiters.removeAll()
        condition.broadcast()
    }
}
