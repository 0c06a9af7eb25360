import Foundation
import KeyformCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The system calls the file store is built from, each retried on `EINTR` and failing with
/// `StateStoreError.io(path:operation:errno:)` so that every message names the file and the step.
enum POSIX {
    /// `open(2)`; returns the descriptor.
    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o600, operation: String = "open") throws(StateStoreError) -> Int32 {
        while true {
            let fd = Foundation.open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno == EINTR { continue }
            throw .io(path: path, operation: operation, errno: errno)
        }
    }

    /// Writes every byte (looping over short writes).
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(StateStoreError) {
        var offset = 0
        let failure: Int32? = bytes.withUnsafeBytes { buffer -> Int32? in
            guard let base = buffer.baseAddress else { return nil }
            while offset < buffer.count {
                let n = Foundation.write(fd, base + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += n
            }
            return nil
        }
        if let failure { throw .io(path: path, operation: "write", errno: failure) }
    }

    /// The whole file, or `nil` when it does not exist.
    static func readFile(_ path: String) throws(StateStoreError) -> [UInt8]? {
        try readFileWithIdentity(path)?.bytes
    }

    /// The whole file and the identity of what was read, or `nil` when it does not exist.
    static func readFileWithIdentity(_ path: String) throws(StateStoreError) -> (bytes: [UInt8], identity: FileIdentity)? {
        let fd: Int32
        do {
            fd = try open(path, O_RDONLY, operation: "read")
        } catch {
            if case .io(_, _, let code) = error, code == ENOENT { return nil }
            throw error
        }
        defer { _ = Foundation.close(fd) }
        var info = stat()
        let expected = fstat(fd, &info) == 0 ? Int(info.st_size) : 0
        // Read straight into an array of the file's size (plus one byte, to see it grew),
        // without zero-filling megabytes first.
        var failure: Int32 = 0
        var bytes = [UInt8](unsafeUninitializedCapacity: max(expected, 0) + 1) { buffer, filled in
            filled = 0
            guard let base = buffer.baseAddress else { return }
            while filled < buffer.count {
                let n = Foundation.read(fd, base + filled, buffer.count - filled)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if n == 0 { return }
                filled += n
            }
        }
        if failure != 0 { throw .io(path: path, operation: "read", errno: failure) }
        if bytes.count <= max(expected, 0) { return (bytes, FileIdentity(info)) }
        // The file grew while being read: read the rest.
        var count = bytes.count
        while true {
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(4096, bytes.count))) }
            let n = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Foundation.read(fd, base + count, buffer.count - count)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, operation: "read", errno: errno)
            }
            if n == 0 { break }
            count += n
        }
        bytes.removeSubrange(count...)
        return (bytes, FileIdentity(info))
    }

    /// `fsync(2)`: the file's data and metadata are on stable storage.
    static func fsync(_ fd: Int32, path: String) throws(StateStoreError) {
        while Foundation.fsync(fd) != 0 {
            if errno == EINTR { continue }
            throw .io(path: path, operation: "fsync", errno: errno)
        }
    }

    /// `fdatasync(2)` where it exists (the data and the size, not the timestamps).
    static func fdatasync(_ fd: Int32) -> Int32? {
        while true {
            #if canImport(Glibc)
            let rc = Glibc.fdatasync(fd)
            #else
            let rc = Foundation.fsync(fd)
            #endif
            if rc == 0 { return nil }
            if errno == EINTR { continue }
            return errno
        }
    }

    /// Makes the directory's entries (a rename, a new file) durable.
    static func syncDirectory(_ directory: String) throws(StateStoreError) {
        let fd = try open(directory, O_RDONLY | O_DIRECTORY, operation: "open directory")
        defer { _ = Foundation.close(fd) }
        try fsync(fd, path: directory)
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
        var isDirectory = stat()
        if stat(directory, &isDirectory) == 0 { return }
        let parent = FileStateStore.directory(of: directory)
        if parent != directory, parent != "." { try makeDirectories(parent) }
        if mkdir(directory, 0o755) != 0, errno != EEXIST {
            throw .io(path: directory, operation: "create directory", errno: errno)
        }
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
