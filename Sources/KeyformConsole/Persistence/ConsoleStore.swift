import Foundation
import KeyformCore
import KeyformSystem
#if canImport(Glibc)
import Glibc
#endif

/// The files of a persistent console: the snapshot, the operation log beside it, and the
/// writer's lock on the log. See `ConsoleEngine` for the design; this type does the I/O.
///
/// Not thread-safe by itself: the engine calls it from one thread at a time.
final class ConsoleStore {
    /// A console read from disk.
    struct Loaded {
        var state: ConsoleState
        /// Sequence number of the last operation included.
        var sequence: Int
    }

    /// The log is compacted into the snapshot once it outgrows both this and the snapshot.
    static let minimumCompactionBytes = 1 << 20

    let path: String
    let logPath: String
    let directory: String
    private var logDescriptor: Int32
    private(set) var logBytes = 0
    private(set) var snapshotBytes = 0
    private(set) var snapshotSequence = 0
    /// See `minimumCompactionBytes`; tests lower it to exercise compaction.
    var compactionThreshold = ConsoleStore.minimumCompactionBytes

    static func logPath(for path: String) -> String { path + ".log" }

    private init(path: String, logDescriptor: Int32) {
        self.path = path
        self.logPath = Self.logPath(for: path)
        self.directory = POSIXFile.directory(of: path)
        self.logDescriptor = logDescriptor
    }

    /// Creates the directory if needed, opens (or creates) the log and takes the writer's
    /// exclusive lock on it.
    static func openForWriting(path given: String) throws(ConsoleStoreError) -> ConsoleStore {
        // A console file that is a symbolic link is replaced at its target, so the link stays.
        let path = SystemFile.isSymbolicLink(given) ? SystemFile.resolvingLinks(given) : given
        // Refused before its log is made beside it: a console path that is not a regular file.
        if let fd = try POSIXFile.openForReading(path) { _ = Foundation.close(fd) }
        let directory = POSIXFile.directory(of: path)
        try POSIXFile.createDirectory(directory)
        let logPath = Self.logPath(for: path)
        let fd = open(logPath, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        if fd < 0 { throw .io(path: logPath, operation: "open", errno: errno) }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            _ = Foundation.close(fd)
            if code == EWOULDBLOCK { throw .inUse(path: path) }
            throw .io(path: logPath, operation: "lock", errno: code)
        }
        return ConsoleStore(path: path, logDescriptor: fd)
    }

    /// Loads the snapshot and replays the log (the writer's view: it holds the lock, so the
    /// files cannot change underneath). A missing console is created from `fresh()` and its
    /// first snapshot written at once, so the organization's ids never change afterwards.
    func load(fresh: () -> ConsoleState) throws(ConsoleStoreError) -> Loaded {
        let log = try POSIXFile.read(fd: logDescriptor, path: logPath)
        guard let snapshot = try POSIXFile.read(path) else {
            if log.contains(0x0A) { throw .missingSnapshot(path: path, logPath: logPath) }
            let state = fresh()
            try writeSnapshot(state, sequence: 0)
            try POSIXFile.syncDirectory(directory)
            return Loaded(state: state, sequence: 0)
        }
        var (state, sequence) = try ConsoleSnapshot.decode(snapshot, path: path)
        snapshotBytes = snapshot.count
        snapshotSequence = sequence
        let replay: ConsoleLogRecord.Replay
        do throws(ConsoleLogRecord.Problem) {
            replay = try ConsoleLogRecord.replay(log, path: logPath, onto: &state, after: sequence)
        } catch {
            switch error {
            case .damaged(let damage): throw damage
            case .gap(let expected, let found, let line):
                throw .invalidContent(
                    path: logPath, line: line, pointer: "/sequence",
                    message: "record \(found) follows record \(expected - 1): the log does not continue the snapshot")
            }
        }
        if replay.validLength < log.count {
            // A record cut off by a crash: it was never acknowledged; drop it before appending.
            if ftruncate(logDescriptor, off_t(replay.validLength)) != 0 { throw .io(path: logPath, operation: "truncate", errno: errno) }
            try POSIXFile.sync(fd: logDescriptor, path: logPath)
        }
        logBytes = replay.validLength
        return Loaded(state: state, sequence: replay.sequence)
    }

    /// Loads without the lock. A writer may compact meanwhile — rename a new snapshot in,
    /// then empty the log — so after reading the log the reader checks that the path still
    /// names the snapshot it read (held open, so its inode cannot be reused) and that the log
    /// continues it; otherwise it reads both again.
    static func loadReadOnly(path: String, fresh: () -> ConsoleState) throws(ConsoleStoreError) -> Loaded {
        let logPath = Self.logPath(for: path)
        var attempt = 0
        while true {
            attempt += 1
            guard let fd = try POSIXFile.openForReading(path) else {
                if let log = try POSIXFile.read(logPath), log.contains(0x0A) {
                    throw .missingSnapshot(path: path, logPath: logPath)
                }
                return Loaded(state: fresh(), sequence: 0)
            }
            defer { _ = Foundation.close(fd) }
            var opened = stat()
            if fstat(fd, &opened) != 0 { throw .io(path: path, operation: "stat", errno: errno) }
            var (state, sequence) = try ConsoleSnapshot.decode(try POSIXFile.read(fd: fd, path: path), path: path)
            let log = try POSIXFile.read(logPath) ?? []
            var current = stat()
            let replaced = stat(path, &current) != 0 || current.st_ino != opened.st_ino || current.st_dev != opened.st_dev
            if !replaced {
                do throws(ConsoleLogRecord.Problem) {
                    let replay = try ConsoleLogRecord.replay(log, path: logPath, onto: &state, after: sequence)
                    return Loaded(state: state, sequence: replay.sequence)
                } catch {
                    switch error {
                    case .damaged(let damage): throw damage
                    case .gap(let expected, let found, let line):
                        if attempt >= 50 {
                            throw .invalidContent(
                                path: logPath, line: line, pointer: "/sequence",
                                message: "record \(found) follows record \(expected - 1): the log does not continue the snapshot")
                        }
                    }
                }
            }
            // Compactions are far apart (the log must outgrow the snapshot first), so this
            // only guards against a writer gone wild.
            if attempt >= 100 { throw .io(path: path, operation: "read a snapshot that stays in place", errno: EAGAIN) }
            usleep(UInt32(min(attempt, 10) * 2_000))
        }
    }

    /// The catalog of the console kept at `path`, read without the lock and without loading
    /// the rest (see `ConsoleSnapshot.decodeCatalog`); `nil` for a console not created yet.
    /// - Throws: as `loadReadOnly` for a damaged snapshot (or a log without its snapshot).
    static func readCatalog(path: String) throws(ConsoleStoreError) -> Catalog? {
        guard let fd = try POSIXFile.openForReading(path) else {
            if let log = try POSIXFile.read(logPath(for: path)), log.contains(0x0A) {
                throw .missingSnapshot(path: path, logPath: logPath(for: path))
            }
            return nil
        }
        defer { _ = Foundation.close(fd) }
        // The header comes first and is small: most often the first 64 KiB are enough.
        let prefix = try POSIXFile.readPrefix(fd: fd, count: 1 << 16, path: path)
        if let catalog = ConsoleSnapshot.catalogFromHeader(prefix, path: path) { return catalog }
        return try ConsoleSnapshot.decodeCatalog(try POSIXFile.read(fd: fd, path: path), path: path)
    }

    /// Whether appending `count` more bytes should rather compact the log into a snapshot.
    func shouldCompact(adding count: Int) -> Bool {
        logBytes + count > max(compactionThreshold, snapshotBytes)
    }

    /// Appends records and syncs them: when this returns they survive a crash.
    func append(_ bytes: [UInt8]) throws(ConsoleStoreError) {
        guard !bytes.isEmpty else { return }
        try POSIXFile.writeAll(fd: logDescriptor, bytes, path: logPath)
        try POSIXFile.sync(fd: logDescriptor, path: logPath)
        logBytes += bytes.count
    }

    /// Writes the whole console atomically (temporary file, fsync, rename, fsync of the
    /// directory), then empties the log, whose records the snapshot now includes.
    func writeSnapshot(_ state: ConsoleState, sequence: Int) throws(ConsoleStoreError) {
        let bytes = ConsoleSnapshot.encode(state, sequence: sequence)
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        if fd < 0 { throw .io(path: temporary, operation: "open", errno: errno) }
        do throws(ConsoleStoreError) {
            if fchmod(fd, 0o600) != 0 { throw ConsoleStoreError.io(path: temporary, operation: "chmod", errno: errno) }
            try POSIXFile.writeAll(fd: fd, bytes, path: temporary)
            try POSIXFile.sync(fd: fd, path: temporary)
        } catch {
            _ = Foundation.close(fd)
            throw error
        }
        if Foundation.close(fd) != 0 { throw .io(path: temporary, operation: "close", errno: errno) }
        if rename(temporary, path) != 0 { throw .io(path: path, operation: "rename", errno: errno) }
        try POSIXFile.syncDirectory(directory)
        snapshotBytes = bytes.count
        snapshotSequence = sequence
        // A crash before the truncation leaves records the snapshot includes: replay skips them.
        if ftruncate(logDescriptor, 0) != 0 { throw .io(path: logPath, operation: "truncate", errno: errno) }
        try POSIXFile.sync(fd: logDescriptor, path: logPath)
        logBytes = 0
    }

    deinit {
        close()
    }

    /// Closes the log, which releases the writer's lock.
    func close() {
        guard logDescriptor >= 0 else { return }
        _ = Foundation.close(logDescriptor)
        logDescriptor = -1
    }
}
