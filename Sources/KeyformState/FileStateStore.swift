import Foundation
import KeyformCore
import KeyformJSON
import KeyformSystem

/// The `file` state backend: one JSON file (`keyform.state.json`) and its companions
///
///     keyform.state.json           the state (mode 0600), replaced atomically by `write`
///     keyform.state.json.backup    the previous version
///     keyform.state.json.journal   changes since the state was written (see `FileStateJournal`)
///     keyform.state.json.lock      who holds the lock (see `lock(_:)`)
///
/// `write` is a compare-and-swap: it refuses a state of another lineage, or when the stored
/// serial is not `expectedSerial`; the new stored serial is always `expectedSerial + 1` (1 when
/// creating), whatever `state.serial` says, so callers never compute it. Steps: encode; write
/// a temporary file in the same directory (mode 0600) and fsync it; hard-link the current
/// version to `.backup`; rename the temporary file over the state; fsync the directory; then
/// start the journal over. A crash at any step leaves either the old or the new state, never
/// a mixture; a journal left behind names the serial it extends and is ignored once stale.
public final class FileStateStore: StateStore, @unchecked Sendable {
    // @unchecked: `known` and `journal` are only touched while `mutex` is held; everything
    // else is immutable, but for `journalWillBeRead`, which tests set before any use.
    private let mutex = NSLock()
    /// Lineage and serial of the stored file as last read or written by this object, keyed by
    /// its identity, so that `write` and `openJournal` need not parse a large state again.
    private var known: (identity: FileIdentity, header: JournalFile.Header)?
    /// The journal this store opened last, restarted by `write`.
    private weak var journal: FileStateJournal?

    /// The state file's path as given (relative paths are relative to the current directory).
    public let path: String
    /// The directory holding the state and its companions.
    public let directory: String

    public var backupPath: String { path + ".backup" }
    public var journalPath: String { path + ".journal" }
    public var lockPath: String { path + ".lock" }
    /// The name messages use (the path as the user wrote it).
    public let displayName: String
    var journalDisplayName: String { displayName + ".journal" }
    var lockDisplayName: String { displayName + ".lock" }

    /// - Parameters:
    ///   - path: the state file, e.g. `keyform.state.json`.
    ///   - displayName: the name for messages when `path` was resolved from a shorter one.
    public init(path: String, displayName: String? = nil) {
        // A state file that is a symbolic link (a state shared from elsewhere) is written at
        // its target, where its backup, journal and lock live too: the link stays a link.
        self.path = SystemFile.isSymbolicLink(path) ? SystemFile.resolvingLinks(path) : path
        self.displayName = displayName ?? path
        self.directory = FileStateStore.directory(of: self.path)
    }

    /// The stored state with the journal replayed on top, or `nil` when there is no state file.
    /// - Throws: `StateStoreError.corrupt` (state file or journal, with the place),
    ///   `.unsupportedFormat`, `.io`.
    public func read() throws -> StateSnapshot? {
        // Readers take no lock: an apply may write the state and start the journal over for
        // it (then append to it) between the reading of the one and of the other, so that the
        // journal looks like another state's. When the state file changed meanwhile, both are
        // read again.
        var attempt = 1
        while true {
            var identity: FileIdentity?
            do {
                return try readOnce(identity: &identity)
            } catch let error as StateStoreError {
                guard case .orphanJournal = error, attempt < Self.readAttempts, POSIX.identity(path) != identity else { throw error }
                attempt += 1
            }
        }
    }

    /// How many times `read` reads a state that a writer keeps replacing under it.
    static let readAttempts = 20

    /// Tests only: called by `read` between reading the state file and reading the journal.
    var journalWillBeRead: (@Sendable () -> Void)?

    /// One reading of the state file, then of the journal; `identity` is set to the state
    /// file's as read (nil when there is none).
    private func readOnce(identity read: inout FileIdentity?) throws -> StateSnapshot? {
        guard let (bytes, identity) = try POSIX.readFileWithIdentity(path) else {
            journalWillBeRead?()
            try refuseOrphanJournal(besides: nil)
            return nil
        }
        read = identity
        var state = try decode(bytes)
        let header = JournalFile.Header(lineage: state.lineage, serial: state.serial)
        remember(identity, header)
        journalWillBeRead?()
        var replayed = 0
        if let journalBytes = try POSIX.readFile(journalPath) {
            let journalFile = try JournalFile.open(journalBytes, path: journalDisplayName)
            if journalFile.header == header {
                for change in try journalFile.entries(journalBytes, path: journalDisplayName) {
                    change.apply(to: &state)
                    replayed += 1
                }
            } else {
                try refuseOrphanJournal(journalFile, journalBytes, besides: header)
            }
        }
        return StateSnapshot(state: state, digestOf: bytes, replayedChanges: replayed)
    }

    /// Throws `.orphanJournal` when the journal holds changes for another state than `stored`
    /// (nil: there is no state file): another lineage, or a serial ahead of it. A journal
    /// behind the state of its lineage is stale, as after a crash between writing the state and
    /// starting the journal over, and is ignored; so is one without a change.
    private func refuseOrphanJournal(besides stored: JournalFile.Header?) throws {
        guard let journalBytes = try POSIX.readFile(journalPath) else { return }
        try refuseOrphanJournal(try JournalFile.open(journalBytes, path: journalDisplayName), journalBytes, besides: stored)
    }

    private func refuseOrphanJournal(_ journal: JournalFile, _ bytes: [UInt8], besides stored: JournalFile.Header?) throws {
        guard let header = journal.header else { return }
        if let stored, stored.lineage == header.lineage, header.serial < stored.serial { return }
        let entries = try journal.entries(bytes, path: journalDisplayName).count
        guard entries > 0 else { return }
        throw StateStoreError.orphanJournal(
            journal: journalDisplayName, entries: entries,
            journalState: StateVersion(lineage: header.lineage, serial: header.serial),
            state: stored.map { StateVersion(lineage: $0.lineage, serial: $0.serial) })
    }

    /// Replaces the stored state atomically and durably, keeping the previous one as `.backup`,
    /// then starts the journal over. The stored serial becomes `(expectedSerial ?? 0) + 1`.
    ///
    /// `state` must include every change appended to the journal so far (typically: the
    /// snapshot read, with each change applied as it was appended); appends still in flight
    /// while `write` runs would be in neither, so write when no append is running. An open
    /// journal keeps working afterwards and extends the new state.
    /// - Parameter expectedSerial: the serial read before; `nil` (or 0) when creating the state.
    /// - Throws: `StateStoreError.lineageMismatch`, `.staleSerial` (found 0 when there is no
    ///   state), `.corrupt` when the stored file cannot be read, `.io`.
    public func write(_ state: StateDocument, expectedSerial: Int?) throws {
        try POSIX.makeDirectories(directory)
        try POSIX.withDirectoryLock(directory) { () throws(StateStoreError) in
            let stored = try storedHeader()
            if let stored, stored.lineage != state.lineage {
                throw .lineageMismatch(stored: stored.lineage, writing: state.lineage)
            }
            let found = stored?.serial ?? 0
            guard found == (expectedSerial ?? 0) else {
                throw .staleSerial(expected: expectedSerial, found: found)
            }
            var document = state
            document.serial = found + 1
            let temporary = try writeTemporary(document.encoded(), label: "tmp")
            do throws(StateStoreError) {
                if stored != nil { try keepBackup() }
                try POSIX.rename(temporary, path)
            } catch {
                try? POSIX.unlinkIfPresent(temporary)
                throw error
            }
            try POSIX.syncDirectory(directory)
            removeLeftovers()
            let header = JournalFile.Header(lineage: document.lineage, serial: document.serial)
            if let identity = POSIX.identity(path) { remember(identity, header) }
            let journal = mutex.withLock { self.journal }
            if try journal?.restart(with: header) != true {
                try POSIX.unlinkIfPresent(journalPath)
            }
        }
    }

    /// Opens the journal for the stored state: appends continue an existing journal of this
    /// state (a torn last line is cut off first), and a missing or stale one is started afresh.
    /// - Throws: `StateStoreError.noState` when no state was written yet (write the initial
    ///   state first), `.corrupt` for a damaged journal line, `.io`.
    public func openJournal() throws -> any StateJournal {
        try openFileJournal()
    }

    /// `openJournal()` with its concrete type (for `flushCount`).
    public func openFileJournal() throws(StateStoreError) -> FileStateJournal {
        guard let header = try storedHeader() else { throw .noState(path: displayName) }
        if let bytes = try POSIX.readFile(journalPath) {
            let existing = try JournalFile.open(bytes, path: journalDisplayName)
            if existing.header == header {
                _ = try existing.entries(bytes, path: journalDisplayName)
                let fd = try POSIX.open(journalPath, O_WRONLY | O_APPEND)
                let journal = FileStateJournal(fd: fd, path: journalPath)
                if existing.validLength < bytes.count {
                    try POSIX.ftruncate(fd, to: existing.validLength, path: journalPath)
                    try POSIX.fsync(fd, path: journalPath)
                }
                mutex.withLock { self.journal = journal }
                return journal
            }
        }
        let fd = try POSIX.open(journalPath, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND)
        let journal = FileStateJournal(fd: fd, path: journalPath)
        _ = fchmod(fd, 0o600)
        try POSIX.writeAll(fd, JournalFile.headerLine(header), path: journalPath)
        try POSIX.fsync(fd, path: journalPath)
        try POSIX.syncDirectory(directory)
        mutex.withLock { self.journal = journal }
        return journal
    }

    // MARK: - Steps

    /// The state file's bytes decoded; when they are not a state and a backup exists, the
    /// error says where the previous version is.
    private func decode(_ bytes: [UInt8]) throws(StateStoreError) -> StateDocument {
        do {
            return try StateDocument(decoding: bytes, path: displayName)
        } catch {
            guard case .corrupt(let path, var diagnostic) = error, access(backupPath, F_OK) == 0 else { throw error }
            diagnostic.notes.append(Diagnostic.Note("the previous version is kept in \(displayName).backup"))
            if diagnostic.suggestion == nil {
                let (backup, state) = (Self.shellWord(displayName + ".backup"), Self.shellWord(displayName))
                diagnostic.suggestion = "look at the backup ('keyform state list --state \(backup)'), then put it back: cp \(backup) \(state)"
            }
            throw .corrupt(path: path, diagnostic: diagnostic)
        }
    }

    /// `path` as one word for a shell: as it is when plain, else in single quotes.
    static func shellWord(_ path: String) -> String {
        let plain = path.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "._/-+@".unicodeScalars.contains($0) }
        return plain ? path : "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Lineage and serial of the stored state, from the cache when the file is unchanged.
    private func storedHeader() throws(StateStoreError) -> JournalFile.Header? {
        guard let identity = POSIX.identity(path) else { return nil }
        if let known = mutex.withLock({ self.known }), known.identity == identity { return known.header }
        guard let (bytes, readIdentity) = try POSIX.readFileWithIdentity(path) else { return nil }
        let state = try decode(bytes)
        let header = JournalFile.Header(lineage: state.lineage, serial: state.serial)
        remember(readIdentity, header)
        return header
    }

    private func remember(_ identity: FileIdentity, _ header: JournalFile.Header) {
        mutex.withLock { known = (identity, header) }
    }

    /// Writes `bytes` durably to a new file (mode 0600) beside the state; returns its path.
    func writeTemporary(_ bytes: [UInt8], label: String) throws(StateStoreError) -> String {
        let name = (path as NSString).lastPathComponent
        let temporary = FileStateStore.join(
            directory, ".\(name).\(label)-\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 16))")
        let fd = try POSIX.open(temporary, O_WRONLY | O_CREAT | O_EXCL)
        do throws(StateStoreError) {
            if fchmod(fd, 0o600) != 0 { throw .io(path: temporary, operation: "chmod", errno: errno) }
            try POSIX.writeAll(fd, bytes, path: temporary)
            try POSIX.fsync(fd, path: temporary)
        } catch {
            _ = Foundation.close(fd)
            try? POSIX.unlinkIfPresent(temporary)
            throw error
        }
        if Foundation.close(fd) != 0 {
            let code = errno
            try? POSIX.unlinkIfPresent(temporary)
            throw .io(path: temporary, operation: "close", errno: code)
        }
        return temporary
    }

    /// Points `.backup` at the current state: a hard link (no copy), replacing the old backup
    /// atomically; a copy on file systems without hard links.
    private func keepBackup() throws(StateStoreError) {
        let name = (path as NSString).lastPathComponent
        let link = FileStateStore.join(
            directory, ".\(name).backup-\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 16))")
        if POSIX.link(path, link) == nil {
            do throws(StateStoreError) {
                try POSIX.rename(link, backupPath)
            } catch {
                try? POSIX.unlinkIfPresent(link)
                throw error
            }
            return
        }
        guard let bytes = try POSIX.readFile(path) else { return }
        let copy = try writeTemporary(bytes, label: "backup")
        do throws(StateStoreError) {
            try POSIX.rename(copy, backupPath)
        } catch {
            try? POSIX.unlinkIfPresent(copy)
            throw error
        }
    }

    /// Removes temporary files that a killed writer left behind (`.<name>.tmp-<pid>-<random>`,
    /// likewise `backup-` and `lock-`), once their process is gone. Best effort.
    private func removeLeftovers() {
        let prefix = "." + (path as NSString).lastPathComponent + "."
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix(prefix) {
            let parts = name.dropFirst(prefix.count).split(separator: "-")
            guard parts.count == 3, ["tmp", "backup", "lock"].contains(parts[0]),
                let pid = Int32(parts[1]), pid > 0, pid != getpid(), kill(pid, 0) != 0, errno == ESRCH
            else { continue }
            try? POSIX.unlinkIfPresent(FileStateStore.join(directory, name))
        }
    }

    /// The directory part of a path (`.` for a bare file name).
    static func directory(of path: String) -> String {
        SystemFile.directory(of: path)
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
