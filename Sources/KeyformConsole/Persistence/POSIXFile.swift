import KeyformSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The system calls the console's file needs (`SystemFile`), failing with
/// `ConsoleStoreError.io`.
enum POSIXFile {
    /// The whole file, or `nil` when it does not exist.
    static func read(_ path: String) throws(ConsoleStoreError) -> [UInt8]? {
        try mapped { () throws(SystemCallError) in try SystemFile.read(path)?.bytes }
    }

    /// Everything from offset 0 of an open file.
    static func read(fd: Int32, path: String) throws(ConsoleStoreError) -> [UInt8] {
        var info = stat()
        return try mapped { () throws(SystemCallError) in try SystemFile.readAll(fd: fd, path: path, info: &info) }
    }

    /// The first bytes of a file, at least `count` of them unless the file is shorter.
    /// A descriptor for reading the regular file at `path`, or nil when there is none.
    static func openForReading(_ path: String) throws(ConsoleStoreError) -> Int32? {
        try mapped { () throws(SystemCallError) in try SystemFile.openForReading(path) }
    }

    static func readPrefix(fd: Int32, count: Int, path: String) throws(ConsoleStoreError) -> [UInt8] {
        try mapped { () throws(SystemCallError) in try SystemFile.readPrefix(fd: fd, count: count, path: path) }
    }

    static func writeAll(fd: Int32, _ bytes: [UInt8], path: String) throws(ConsoleStoreError) {
        try mapped { () throws(SystemCallError) in try SystemFile.writeAll(fd: fd, bytes, path: path) }
    }

    static func sync(fd: Int32, path: String) throws(ConsoleStoreError) {
        try mapped { () throws(SystemCallError) in try SystemFile.fsync(fd: fd, path: path) }
    }

    /// Makes a rename or a creation in `directory` durable.
    static func syncDirectory(_ directory: String) throws(ConsoleStoreError) {
        try mapped { () throws(SystemCallError) in try SystemFile.syncDirectory(directory) }
    }

    /// `mkdir -p` with mode 0700 for the directories it creates.
    static func createDirectory(_ directory: String) throws(ConsoleStoreError) {
        try mapped { () throws(SystemCallError) in try SystemFile.makeDirectories(directory, mode: 0o700) }
    }

    /// The directory holding `path` (`.` for a bare file name).
    static func directory(of path: String) -> String {
        SystemFile.directory(of: path)
    }

    private static func mapped<T>(_ body: () throws(SystemCallError) -> T) throws(ConsoleStoreError) -> T {
        do {
            return try body()
        } catch {
            throw .io(path: error.path, operation: error.operation, errno: error.errno)
        }
    }
}
