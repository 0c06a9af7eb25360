import Foundation
import KeyformCore
import KeyformJSON
import KeyformSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The system calls the file store is built from (`SystemFile`, and the few only the store
/// needs), failing with `StateStoreError.io(path:operation:errno:)` so that every message names
/// the file and the step.
enum POSIX {
    /// `open(2)`; returns the descriptor.
    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o600, operation: String = "open") throws(StateStoreError) -> Int32 {
        try mapped { () throws(SystemCallError) in try SystemFile.open(path, flags, mode: mode, operation: operation) }
    }

    /// Writes every byte (looping over short writes).
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(StateStoreError) {
        try mapped { () throws(SystemCallError) in try SystemFile.writeAll(fd: fd, bytes, path: path) }
    }

    /// The whole file, or `nil` when it does not exist.
    static func readFile(_ path: String) throws(StateStoreError) -> [UInt8]? {
        try readFileWithIdentity(path)?.bytes
    }

    /// The whole file and the identity of what was read, or `nil` when it does not exist.
    static func readFileWithIdentity(_ path: String) throws(StateStoreError) -> (bytes: [UInt8], identity: FileIdentity)? {
        guard let read = try mapped({ () throws(SystemCallError) in try SystemFile.read(path, operation: "read") }) else {
            return nil
        }
        return (read.bytes, FileIdentity(read.info))
    }

    /// `fsync(2)`: the file's data and metadata are on stable storage.
    static func fsync(_ fd: Int32, path: String) throws(StateStoreError) {
        try mapped { () throws(SystemCallError) in try SystemFile.fsync(fd: fd, path: path) }
    }

    /// `fdatasync(2)` where it exists (the data and the size, not the timestamps).
    static func fdatasync(_ fd: Int32) -> Int32? {
        SystemFile.fdatasync(fd)
    }

    /// Makes the directory's entries (a rename, a new file) durable.
    static func syncDirectory(_ directory: String) throws(StateStoreError) {
        try mapped { () throws(SystemCallError) in try SystemFile.syncDirectory(directory) }
    }

    static func rename(_ from: String, _ to: String) throws(StateStoreError) {
        if Foundation.rename(from, to) != 0 {
            throw .io(path: to, operation: "rename \(from) to", errno: errno)
        }
    }

    /// `link(2)`; returns the errno on failure (callers decide what `EEXIST` means).
    static func link(_ from: String, _ to: String) -> Int32? {
        Foundation.link(from, to) == 0 ? nil : errno
    }

    /// Removes a file; a missing one is not an error.
    static func unlinkIfPresent(_ path: String) throws(StateStoreError) {
        if Foundation.unlink(path) != 0, errno != ENOENT {
            throw .io(path: path, operation: "remove", errno: errno)
        }
    }

    static func ftruncate(_ fd: Int32, to length: Int, path: String) throws(StateStoreError) {
        while Foundation.ftruncate(fd, off_t(length)) != 0 {
            if errno == EINTR { continue }
            throw .io(path: path, operation: "truncate", errno: errno)
        }
    }

    /// Identity of the file at `path` (device, inode, size, modification time), or `nil` when absent.
    static func identity(_ path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileIdentity(info)
    }

    /// Creates `directory` and its missing parents (like `mkdir -p`).
    static func makeDirectories(_ directory: String) throws(StateStoreError) {
        try mapped { () throws(SystemCallError) in try SystemFile.makeDirectories(directory, mode: 0o755) }
    }

    /// Runs `body` holding an exclusive `flock(2)` on `directory`: the critical sections of
    /// write (compare, then rename) and lock (inspect, then take over) exclude each other across
    /// processes and threads. The kernel drops the lock if the process dies.
    static func withDirectoryLock<T>(_ directory: String, _ body: () throws(StateStoreError) -> T) throws(StateStoreError) -> T {
        let fd = try open(directory, O_RDONLY | O_DIRECTORY, operation: "open directory")
        defer { _ = Foundation.close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            // Some file systems (NFS without lock support) refuse flock on directories;
            // the O_EXCL lock file still excludes concurrent applies there.
            if errno == ENOLCK || errno == EOPNOTSUPP || errno == EBADF { break }
            throw .io(path: directory, operation: "lock directory", errno: errno)
        }
        return try body()
    }

    /// The host name, as `gethostname(2)` gives it.
    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func mapped<T>(_ body: () throws(SystemCallError) -> T) throws(StateStoreError) -> T {
        do {
            return try body()
        } catch {
            // Not a regular file, or too large: said in words, not as an errno.
            if error.operation == "read", error.errno == EINVAL || error.errno == EFBIG {
                // The lock and the journal are named after the state: for them, --state is not the fix.
                let companion = error.path.hasSuffix(".lock") || error.path.hasSuffix(".journal")
                throw .corrupt(path: error.path, diagnostic: .error(
                    "KF429", "cannot read \(error.path): \(SystemFile.reason(error.errno, operation: error.operation))",
                    suggestion: companion
                        ? "if no apply is running, remove \(error.path): Keyform makes it again as a regular file"
                        : "point --state (or \"state\" in keyform.json) at the state file"))
            }
            throw .io(path: error.path, operation: error.operation, errno: error.errno)
        }
    }

    /// The text of an errno (`No such file or directory`).
    static func describe(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text)
    }
}

/// Enough of `stat(2)` to tell whether a file was replaced or changed since it was last seen.
struct FileIdentity: Hashable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modifiedSeconds: Int
    var modifiedNanoseconds: Int

    init(_ info: stat) {
        #if canImport(Darwin)
        modifiedSeconds = Int(info.st_mtimespec.tv_sec)
        modifiedNanoseconds = Int(info.st_mtimespec.tv_nsec)
        #else
        modifiedSeconds = Int(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
        #endif
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
    }
}
