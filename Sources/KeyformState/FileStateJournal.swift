import Foundation
import KeyformCore

/// The append-only journal beside a file state (`<state>.journal`), with group commit.
///
/// `append` writes its line and returns only once the line is on stable storage. Concurrent
/// appenders share flushes (leader/follower): the first appender that finds no flush running
/// becomes the leader and `fdatasync`s everything written so far; appenders that arrive while
/// it flushes write their lines and wait; when the flush ends, any of them still not covered
/// leads the next flush, which covers all of them at once. With N appenders in parallel an
/// apply pays about one flush per N actions instead of one per action, and no appender waits
/// for more than two flushes.
///
/// Example with three tasks: A writes line 1 and flushes (covers 1); meanwhile B and C write
/// lines 2 and 3 and wait; A's flush ends; B leads a flush covering 2 and 3; C finds its line
/// covered and returns without a flush of its own. Two flushes, three durable appends.
public final class FileStateJournal: StateJournal, @unchecked Sendable {
    // @unchecked: every mutable field below is read and written only while `condition` is
    // locked; the descriptor is used outside it only by the single flush leader, and `close`
    // waits for that leader before closing the descriptor.
    private let condition = NSCondition()
    private var fd: Int32
    private var closed = false
    /// Lines written to the descriptor (a ticket number per append).
    private var written: UInt64 = 0
    /// Lines known to be on stable storage.
    private var synced: UInt64 = 0
    private var flushing = false
    /// Set when a write or flush failed: the file may hold a partial line, so nothing more is
    /// appended after it (the partial line then stays the torn tail that replay ignores).
    private var failure: StateStoreError?
    private var flushes = 0
    /// Tests only: called by each flush leader just before it flushes (its batch already
    /// fixed, the lock released), so a test can hold a flush open while followers pile up.
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

    /// How many `fdatasync` calls have been made (group commit makes this smaller than the
    /// number of appends when appends overlap).
    public var flushCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return flushes
    }

    /// How many entries were appended through this object.
    public var appendCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return Int(written)
    }

    /// Appends one entry; returns when it is durable.
    /// - Throws: `StateStoreError.io` when the write or the flush fails (then every later
    ///   append fails the same way), or when the journal was closed.
    public func append(_ change: StateChange) throws {
        var line = Array(change.compactLine().utf8)
        line.append(0x0A)
        condition.lock()
        defer { condition.unlock() }
        if closed { throw StateStoreError.io(path: path, operation: "append to the closed journal", errno: EBADF) }
        if let failure { throw failure }
        do throws(StateStoreError) {
            try POSIX.writeAll(fd, line, path: path)
        } catch {
            failure = error
            condition.broadcast()
            throw error
        }
        written += 1
        try waitUntilDurable(written)
    }

    /// Blocks until `ticket` is covered by a flush, leading one when none is running.
    /// Called and returns with `condition` locked.
    private func waitUntilDurable(_ ticket: UInt64) throws(StateStoreError) {
        while synced < ticket {
            if let failure { throw failure }
            if flushing {
                condition.wait()
                continue
            }
            flushing = true
            let target = written
            let hook = flushWillStart
            condition.unlock()
            hook?()
            let error = POSIX.fdatasync(fd)
            condition.lock()
            flushing = false
            flushes += 1
            if let error {
                let failed = StateStoreError.io(path: path, operation: "fdatasync", errno: error)
                failure = failed
                condition.broadcast()
                throw failed
            }
            synced = max(synced, target)
            condition.broadcast()
        }
    }

    /// Flushes what is pending and closes the file. Later appends fail; closing twice is harmless.
    public func close() throws {
        condition.lock()
        defer { condition.unlock() }
        while flushing { condition.wait() }
        if closed { return }
        closed = true
        condition.broadcast()
        let pendingError = written > synced && failure == nil ? POSIX.fdatasync(fd) : nil
        if pendingError == nil { synced = written }
        _ = Foundation.close(fd)
        if let pendingError { throw StateStoreError.io(path: path, operation: "fdatasync", errno: pendingError) }
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
        synced = written
        failure = nil
        return true
    }
}
