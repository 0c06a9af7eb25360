#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call: the file, the step (`open`, `write`, `fsync`, …) and `errno`. The
/// stores that use `SystemFile` turn it into their own error, which names all three.
public struct SystemCallError: Error, Equatable, Sendable {
    public var path: String
    public var operation: String
    public var errno: Int32

    public init(path: String, operation: String, errno: Int32) {
        self.path = path
        self.operation = operation
        self.errno = errno
    }
}

/// The file system calls Keyform's durable files are built from (the console file, the state,
/// its journal and lock): each retried on `EINTR`, short reads and writes looped over, and
/// every failure a `SystemCallError` naming the file and the step.
public enum SystemFile {
    /// `open(2)` with `O_CLOEXEC`; returns the descriptor.
    public static func open(
        _ path: String, _ flags: Int32, mode: mode_t = 0o600, operation: String = "open"
    ) throws(SystemCallError) -> Int32 {
        while true {
            #if canImport(Glibc)
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            #else
            let fd = Darwin.open(path, flags | O_CLOEXEC, mode)
            #endif
            if fd >= 0 { return fd }
            if errno == EINTR { continue }
            throw SystemCallError(path: path, operation: operation, errno: errno)
        }
    }

    /// The most a read takes in, 1 GiB: far beyond any manifest, state or console file (a state
    /// of 10,000 integrations is 7 MB), and a bound on what a wrong path can make Keyform hold.
    public static let readLimit = 1 << 30

    /// The whole file at `path` and its `stat`, or nil when it does not exist.
    ///
    /// Only a regular file is read: a directory fails with `EISDIR`, a FIFO, socket or device
    /// with `EINVAL` on `read` (it is opened without blocking, so a FIFO with no writer does not
    /// hang), and a file over `readLimit` with `EFBIG`, before anything is read.
    public static func read(_ path: String, operation: String = "open") throws(SystemCallError) -> (bytes: [UInt8], info: stat)? {
        guard let fd = try openForReading(path, operation: operation) else { return nil }
        defer { _ = close(fd) }
        var info = stat()
        let bytes = try readAll(fd: fd, path: path, info: &info)
        return (bytes, info)
    }

    /// A descriptor for reading the regular file at `path`, or nil when nothing is there; the
    /// checks of `read(_:operation:)` (regular, at most `readLimit`) are made before it returns.
    public static func openForReading(_ path: String, operation: String = "open") throws(SystemCallError) -> Int32? {
        let fd: Int32
        do {
            fd = try open(path, O_RDONLY | O_NONBLOCK, operation: operation)
        } catch {
            if error.errno == ENOENT { return nil }
            throw error
        }
        var info = stat()
        var failure: SystemCallError?
        if fstat(fd, &info) != 0 {
            failure = SystemCallError(path: path, operation: "stat", errno: errno)
        } else if info.st_mode & S_IFMT == S_IFDIR {
            failure = SystemCallError(path: path, operation: "read", errno: EISDIR)
        } else if info.st_mode & S_IFMT != S_IFREG {
            failure = SystemCallError(path: path, operation: "read", errno: EINVAL)
        } else if Int(info.st_size) > readLimit {
            failure = SystemCallError(path: path, operation: "read", errno: EFBIG)
        }
        if let failure {
            _ = close(fd)
            throw failure
        }
        return fd
    }

    /// What a failed read's `errno` means in words: `EINVAL` is what `read(_:operation:)`
    /// answers for a file that is not a regular one.
    public static func reason(_ code: Int32, operation: String) -> String {
        if code == EINVAL, operation == "read" { return "not a regular file (a FIFO, socket or device)" }
        if code == EFBIG, operation == "read" { return "larger than 1 GiB, more than Keyform reads" }
        return String(cString: strerror(code))
    }

    /// Everything from offset 0 of an open file, read straight into an array of the file's
    /// size (no zero-filling of megabytes first); should the file have grown meanwhile, the
    /// rest too. `info` receives the file's `stat` from before the read.
    public static func readAll(fd: Int32, path: String, info: inout stat) throws(SystemCallError) -> [UInt8] {
        let size = fstat(fd, &info) == 0 ? max(Int(info.st_size), 0) : 0
        // One byte more than the size: a full buffer means the file grew.
        var bytes = try readPrefix(fd: fd, count: size + 1, path: path)
        guard bytes.count > size else { return bytes }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let offset = off_t(bytes.count)
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemCallError(path: path, operation: "read", errno: errno)
            }
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > readLimit { throw SystemCallError(path: path, operation: "read", errno: EFBIG) }
        }
    }

    /// The first `count` bytes of an open file (fewer when it is shorter), from offset 0.
    public static func readPrefix(fd: Int32, count: Int, path: String) throws(SystemCallError) -> [UInt8] {
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, filled in
            filled = 0
            guard let base = buffer.baseAddress else { return }
            while filled < buffer.count {
                let n = pread(fd, base + filled, buffer.count - filled, off_t(filled))
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if n == 0 { return }
                filled += n
            }
        }
        if failure != 0 { throw SystemCallError(path: path, operation: "read", errno: failure) }
        return bytes
    }

    /// Writes every byte at the descriptor's position.
    public static func writeAll(fd: Int32, _ bytes: [UInt8], path: String) throws(SystemCallError) {
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var written = 0
            while written < buffer.count {
                let n = write(fd, base + written, buffer.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                written += n
            }
        }
        if failure != 0 { throw SystemCallError(path: path, operation: "write", errno: failure) }
    }

    /// `fsync(2)`: the file's data and metadata are on stable storage.
    public static func fsync(fd: Int32, path: String) throws(SystemCallError) {
        #if canImport(Glibc)
        while Glibc.fsync(fd) != 0 {
            if errno == EINTR { continue }
            throw SystemCallError(path: path, operation: "fsync", errno: errno)
        }
        #else
        while Darwin.fsync(fd) != 0 {
            if errno == EINTR { continue }
            throw SystemCallError(path: path, operation: "fsync", errno: errno)
        }
        #endif
    }

    /// `fdatasync(2)` where it exists (the data and the size, not the timestamps); returns the
    /// errno on failure.
    public static func fdatasync(_ fd: Int32) -> Int32? {
        while true {
            #if canImport(Glibc)
            let rc = Glibc.fdatasync(fd)
            #else
            let rc = Darwin.fsync(fd)
            #endif
            if rc == 0 { return nil }
            if errno == EINTR { continue }
            return errno
        }
    }

    /// Makes the directory's entries (a rename, a new file) durable.
    public static func syncDirectory(_ directory: String) throws(SystemCallError) {
        let fd = try open(directory, O_RDONLY | O_DIRECTORY, operation: "open directory")
        defer { _ = close(fd) }
        try fsync(fd: fd, path: directory)
    }

    /// Creates `directory` and its missing parents (`mkdir -p`), the new ones with `mode`.
    public static func makeDirectories(_ directory: String, mode: mode_t) throws(SystemCallError) {
        var info = stat()
        if stat(directory, &info) == 0 {
            if info.st_mode & S_IFMT == S_IFDIR { return }
            throw SystemCallError(path: directory, operation: "create directory", errno: ENOTDIR)
        }
        let parent = self.directory(of: directory)
        if parent != directory, parent != "." { try makeDirectories(parent, mode: mode) }
        if mkdir(directory, mode) != 0, errno != EEXIST {
            throw SystemCallError(path: directory, operation: "create directory", errno: errno)
        }
    }

    /// Whether `path` itself is a symbolic link (not followed).
    public static func isSymbolicLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }

    /// `path` with symbolic links followed: the file a write through `path` should replace, so
    /// that replacing it atomically (a new file renamed over the old) keeps a link a link. The
    /// directory part is resolved with `realpath(3)` when it exists; the last component is
    /// followed while it is a link (at most 40 times, as the kernel does). A path that does not
    /// exist comes back as given, with its directory resolved.
    public static func resolvingLinks(_ path: String) -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { break }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlink(current, &buffer, buffer.count - 1)
            guard length > 0 else { break }
            let target = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = target.hasPrefix("/") ? target : directory(of: current) + "/" + target
        }
        guard let base = canonicalPath(directory(of: current)) else { return current }
        let name = current.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? current
        return base == "/" ? "/" + name : base + "/" + name
    }

    /// The canonical path of an existing file or directory (`realpath(3)`), or nil.
    public static func canonicalPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Replaces the file at `path` (not following a link at `path` itself: resolve it first)
    /// with `bytes`, atomically and durably: a new file beside it with permissions `mode`,
    /// written and synced, renamed over it, the directory synced. A reader sees the old file
    /// or the new one, never a part; on failure the file is untouched.
    public static func replaceAtomically(_ path: String, with bytes: [UInt8], mode: mode_t = 0o644) throws(SystemCallError) {
        let directory = directory(of: path)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let temporary = directory + "/.\(name).tmp-\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 16))"
        let fd = try open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode: mode, operation: "create")
        do throws(SystemCallError) {
            defer { _ = close(fd) }
            try writeAll(fd: fd, bytes, path: temporary)
            // The mode exactly, whatever the umask.
            if fchmod(fd, mode) != 0 { throw SystemCallError(path: temporary, operation: "chmod", errno: errno) }
            try fsync(fd: fd, path: temporary)
        } catch {
            _ = unlink(temporary)
            throw error
        }
        if rename(temporary, path) != 0 {
            let failure = errno
            _ = unlink(temporary)
            throw SystemCallError(path: path, operation: "rename", errno: failure)
        }
        try syncDirectory(directory)
    }

    /// The directory holding `path`: `.` for a bare file name, `/` for a file at the root.
    public static func directory(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        if slash == trimmed.startIndex { return "/" }
        return String(trimmed[..<slash])
    }
}
