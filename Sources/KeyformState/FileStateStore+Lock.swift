import Foundation
import KeyformCore

/// The lock: `<state>.lock` holds the holder's `LockInfo` as JSON.
///
/// Taking it is atomic and exclusive: the lock is first written completely to a temporary file,
/// then `link(2)`ed to the lock path, which fails with `EEXIST` if a lock is there (the same
/// exclusivity as `O_CREAT | O_EXCL`, without a window in which another process could read a
/// half-written lock file; where hard links are not supported, `O_CREAT | O_EXCL` it is). A lock whose holder ran on this host and whose process is gone
/// (`kill(pid, 0)` fails with `ESRCH`) is abandoned: it is taken over, so a killed CI job never
/// leaves a stuck lock. Inspecting and taking over happen under a `flock` of the directory, so
/// two processes that both find an abandoned lock cannot both take it.
extension FileStateStore {
    /// Takes the lock for `info`.
    /// - Throws: `StateStoreError.locked` with the holder's details when another live process
    ///   holds it; `.corrupt` (KF424) when the lock file is unreadable; `.io`.
    public func lock(_ info: LockInfo) throws {
        try POSIX.makeDirectories(directory)
        let bytes = info.lockFileBytes()
        let temporary = try writeTemporary(bytes, label: "lock")
        defer { try? POSIX.unlinkIfPresent(temporary) }
        try POSIX.withDirectoryLock(directory) { () throws(StateStoreError) in
            for _ in 0..<3 {
                if try createLockFile(from: temporary, bytes: bytes) { return }
                guard let holder = try currentLock() else { continue }
                guard holder.isAbandoned(onHost: POSIX.hostName()) else { throw .locked(holder) }
                try POSIX.unlinkIfPresent(lockPath)
            }
            throw .io(path: lockPath, operation: "create", errno: EEXIST)
        }
    }

    /// Removes the lock if it is the one with `id` (the caller's own).
    /// - Throws: `StateStoreError.noSuchLock` when there is no lock or another one.
    public func unlock(id: String) throws {
        try removeLock(id: id)
    }

    /// Removes the lock with `id`, whoever holds it (`keyform force-unlock ID`).
    /// - Throws: `StateStoreError.noSuchLock` when there is no lock with this id.
    public func forceUnlock(id: String) throws {
        try removeLock(id: id)
    }

    /// The lock as it is now, or `nil` when the state is not locked.
    /// - Throws: `StateStoreError.corrupt` (KF424) when the lock file cannot be read as a lock.
    public func currentLock() throws(StateStoreError) -> LockInfo? {
        guard let bytes = try POSIX.readFile(lockPath) else { return nil }
        do throws(LockInfo.DecodingError) {
            return try LockInfo(lockFileBytes: bytes)
        } catch {
            throw .corrupt(path: lockDisplayName, diagnostic: .error(
                "KF424", "lock file \(lockDisplayName) is unreadable: \(error.problem)",
                suggestion: "if no apply is running, delete \(lockDisplayName)"))
        }
    }

    /// Puts the lock file in place unless one exists (then returns `false`): a hard link of the
    /// complete temporary file, or, on file systems without hard links, an `O_EXCL` create
    /// written under the directory lock.
    private func createLockFile(from temporary: String, bytes: [UInt8]) throws(StateStoreError) -> Bool {
        guard let error = POSIX.link(temporary, lockPath) else { return true }
        if error == EEXIST { return false }
        guard error == EPERM || error == EOPNOTSUPP || error == EXDEV || error == EMLINK else {
            throw .io(path: lockPath, operation: "create", errno: error)
        }
        let fd: Int32
        do throws(StateStoreError) {
            fd = try POSIX.open(lockPath, O_WRONLY | O_CREAT | O_EXCL, operation: "create")
        } catch {
            if case .io(_, _, EEXIST) = error { return false }
            throw error
        }
        defer { _ = Foundation.close(fd) }
        do throws(StateStoreError) {
            try POSIX.writeAll(fd, bytes, path: lockPath)
            try POSIX.fsync(fd, path: lockPath)
        } catch {
            try? POSIX.unlinkIfPresent(lockPath)
            throw error
        }
        return true
    }

    private func removeLock(id: String) throws(StateStoreError) {
        try POSIX.withDirectoryLock(directory) { () throws(StateStoreError) in
            guard let holder = try currentLock(), holder.id == id else { throw .noSuchLock(id: id) }
            try POSIX.unlinkIfPresent(lockPath)
        }
    }
}

extension LockInfo {
    /// Whether the holder is a process on this host that is still running.
    public var holderIsRunningHere: Bool {
        guard host == POSIX.hostName(), pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// Whether the holder is certainly gone: it ran on `host` and its process no longer exists.
    /// A live process of another user (`EPERM`) and any lock from another host count as held.
    func isAbandoned(onHost host: String) -> Bool {
        guard self.host == host, pid > 0 else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }
}
