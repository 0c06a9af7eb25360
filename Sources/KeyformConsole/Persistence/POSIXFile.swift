import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The few system calls the console's files need, with errors as `ConsoleStoreError.io`.
enum POSIXFile {
    /// The whole file, or `nil` when it does not exist.
    static func read(_ path: String) throws(ConsoleStoreError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw .io(path: path, operation: "open", errno: errno)
        }
        defer { _ = Foundation.close(fd) }
        return try read(fd: fd, path: path)
    }

    /// Everything from offset 0 of an open file: read straight into an array of the file's
    /// size, then, should the file have grown meanwhile, the rest in chunks.
    static func read(fd: Int32, path: String) throws(ConsoleStoreError) -> [UInt8] {
        var info = stat()
        let size = fstat(fd, &info) == 0 ? max(Int(info.st_size), 0) : 0
        var failure: Int32 = 0
        // One byte more than the size: a full buffer means the file grew.
        var bytes = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, count in
            count = 0
            guard let base = buffer.baseAddress else { return }
            while count < buffer.count {
                let n = pread(fd, base + count, buffer.count - count, off_t(count))
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if n == 0 { return }
                count += n
            }
        }
        if failure != 0 { throw .io(path: path, operation: "read", errno: failure) }
        guard bytes.count > size else { return bytes }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var offset = off_t(bytes.count)
        while true {
            let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, operation: "read", errno: errno)
            }
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<n])
            offset += off_t(n)
        }
    }

    /// The first bytes of a file, at least `count` of them unless the file is shorter.
    static func readPrefix(fd: Int32, count: Int, path: String) throws(ConsoleStoreError) -> [UInt8] {
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
        if failure != 0 { throw .io(path: path, operation: "read", errno: failure) }
        return bytes
    }

    static func writeAll(fd: Int32, _ bytes: [UInt8], path: String) throws(ConsoleStoreError) {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                guard let base = buffer.baseAddress else { return 0 }
                return write(fd, base + written, buffer.count - written)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, operation: "write", errno: errno)
            }
            written += n
        }
    }

    static func sync(fd: Int32, path: String) throws(ConsoleStoreError) {
        if fsync(fd) != 0 { throw .io(path: path, operation: "fsync", errno: errno) }
    }

    /// Makes a rename or a creation in `directory` durable.
    static func syncDirectory(_ directory: String) throws(ConsoleStoreError) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw .io(path: directory, operation: "open directory", errno: errno) }
        defer { _ = Foundation.close(fd) }
        try sync(fd: fd, path: directory)
    }

    /// `mkdir -p` with mode 0700 for the directories it creates.
    static func createDirectory(_ directory: String) throws(ConsoleStoreError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            if isDirectory.boolValue { return }
            throw .io(path: directory, operation: "create directory", errno: ENOTDIR)
        }
        let parent = (directory as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != directory { try createDirectory(parent) }
        if mkdir(directory, 0o700) != 0, errno != EEXIST {
            throw .io(path: directory, operation: "create directory", errno: errno)
        }
    }

    /// The directory holding `path` (`.` for a bare file name).
    static func directory(of path: String) -> String {
        let parent = (path as NSString).deletingLastPathComponent
        return parent.isEmpty ? "." : parent
    }
}
