import Foundation
import KeyformJSON

/// Where the state lives (a file, PostgreSQL, an HTTP backend).
///
/// Every implementation guarantees:
/// - `read` returns the last state written plus every journal entry appended since, in order
///   (recovery after a crash);
/// - `write` is atomic and durable, and refuses a state whose lineage differs from the stored
///   one or whose serial moved since `expectedSerial` was read;
/// - a journal `append` is durable when it returns;
/// - at most one lock is held at a time; a lock whose holder is gone does not block.
public protocol StateStore: Sendable {
    /// The stored state, or `nil` when none exists yet.
    func read() throws -> StateSnapshot?

    /// Replaces the stored state atomically, then clears the journal. The store sets the
    /// stored serial to `(expectedSerial ?? 0) + 1`; `state.serial` is ignored.
    /// - Parameter expectedSerial: the serial read before; `nil` when creating the state.
    func write(_ state: StateDocument, expectedSerial: Int?) throws

    /// Opens the journal for appends during an apply. Needs a stored state (the journal
    /// extends it): throws `StateStoreError.noState` when none was written yet.
    func openJournal() throws -> any StateJournal

    /// Takes the lock, or throws `StateStoreError.locked` with the holder's details.
    func lock(_ info: LockInfo) throws

    func unlock(id: String) throws

    /// Removes the lock with this id whoever holds it.
    func forceUnlock(id: String) throws

    /// A short description for messages ("keyform.state.json").
    var displayName: String { get }
}

/// Append-only, durable record of an apply's steps. Safe to call from several tasks at once;
/// implementations may group concurrent appends into one flush (group commit).
public protocol StateJournal: Sendable {
    func append(_ change: StateChange) throws
    /// The same from async code: suspends the task instead of blocking its thread until the
    /// entry is durable, so that concurrent tasks share flushes even on a small thread pool.
    /// The default calls `append(_:)`.
    func appendSuspending(_ change: StateChange) async throws
    func close() throws
}

extension StateJournal {
    public func appendSuspending(_ change: StateChange) async throws {
        try append(change)
    }
}

/// A state as read: the document, and a digest of its stored bytes (plans record it).
public struct StateSnapshot: Hashable, Sendable {
    public var state: StateDocument
    /// Hex SHA-256 of the stored state bytes (before journal replay). Computed on first use
    /// when the snapshot was made from bytes: a plan that is neither saved nor printed as JSON
    /// never needs it, and hashing a large state is a noticeable part of `plan`.
    public var digest: String { digestSource.value }
    /// How many journal entries were replayed on top of the stored document.
    public var replayedChanges: Int
    private let digestSource: LazyDigest

    public init(state: StateDocument, digest: String, replayedChanges: Int = 0) {
        self.state = state
        self.digestSource = LazyDigest(known: digest)
        self.replayedChanges = replayedChanges
    }

    /// A snapshot whose digest is the SHA-256 of `bytes`, computed when first asked for.
    public init(state: StateDocument, digestOf bytes: [UInt8], replayedChanges: Int = 0) {
        self.state = state
        self.digestSource = LazyDigest(bytes: bytes)
        self.replayedChanges = replayedChanges
    }

    public static func == (lhs: StateSnapshot, rhs: StateSnapshot) -> Bool {
        lhs.state == rhs.state && lhs.replayedChanges == rhs.replayedChanges && lhs.digest == rhs.digest
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(state)
        hasher.combine(replayedChanges)
        hasher.combine(digest)
    }
}

/// A SHA-256 hex digest computed once, on first use, from bytes kept until then.
final class LazyDigest: @unchecked Sendable {
    // @unchecked: `bytes` and `cached` are only touched under `lock`.
    private let lock = NSLock()
    private var bytes: [UInt8]?
    private var cached: String?

    init(known: String) { cached = known }
    init(bytes: [UInt8]) { self.bytes = bytes }

    var value: String {
        lock.withLock {
            if let cached { return cached }
            let digest = SHA256.hex(bytes ?? [])
            cached = digest
            bytes = nil
            return digest
        }
    }
}

/// Who holds the state lock.
public struct LockInfo: Hashable, Sendable {
    public var id: String
    public var operation: String
    public var who: String
    public var host: String
    public var pid: Int32
    /// ISO 8601.
    public var created: String

    public init(id: String, operation: String, who: String, host: String, pid: Int32, created: String) {
        self.id = id
        self.operation = operation
        self.who = who
        self.host = host
        self.pid = pid
        self.created = created
    }
}

public enum StateStoreError: Error, Hashable, Sendable {
    case locked(LockInfo)
    case lineageMismatch(stored: String, writing: String)
    case staleSerial(expected: Int?, found: Int)
    case corrupt(path: String, diagnostic: Diagnostic)
    case unsupportedFormat(path: String, found: Int)
    case noSuchLock(id: String)
    case io(path: String, operation: String, errno: Int32)
    /// An operation that needs a stored state found none (e.g. opening a journal).
    case noState(path: String)
    /// The journal holds changes for another state than the stored one (another lineage, a
    /// later serial, or no state at all): the state file was replaced or removed while an
    /// apply's changes were not yet saved in it. `state` is nil when there is no state file.
    case orphanJournal(journal: String, entries: Int, journalState: StateVersion, state: StateVersion?)
}

/// A state's lineage and serial.
public struct StateVersion: Hashable, Sendable, CustomStringConvertible {
    public var lineage: String
    public var serial: Int

    public init(lineage: String, serial: Int) {
        self.lineage = lineage
        self.serial = serial
    }

    public var description: String { "lineage \(lineage), serial \(serial)" }
}
