import Foundation
import KeyformCore
import KeyformSystem

/// The real file system, for the command line: relative paths are resolved against the
/// current directory the CLI was given (not the process's, so tests can run in parallel).
public struct LocalFileSystem: ReadableFileSystem {
    public let currentDirectory: String

    public init(currentDirectory: String) {
        self.currentDirectory = currentDirectory
    }

    func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : PathSyntax.join(currentDirectory, path)
    }

    public func entryKind(at path: String) -> FileEntryKind? {
        var info = stat()
        guard stat(absolute(path), &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .file
        default: return .other
        }
    }

    public func directoryIdentity(at path: String) -> DirectoryIdentity? {
        var info = stat()
        guard stat(absolute(path), &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return nil }
        return DirectoryIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    public func directoryEntries(at path: String) throws(FileSystemError) -> [String] {
        guard let directory = opendir(absolute(path)) else { throw Self.error(errno, path: path) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { buffer in
                String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    public func readFile(at path: String) throws(FileSystemError) -> [UInt8] {
        // Only a regular file, opened without blocking (a FIFO with no writer would hang) and
        // read straight into an array of its size, at most `SystemFile.readLimit`.
        let file: (bytes: [UInt8], info: stat)?
        do {
            file = try SystemFile.read(absolute(path))
        } catch {
            throw Self.error(error.errno, path: path, operation: error.operation)
        }
        guard let file else { throw .notFound(path: path) }
        return file.bytes
    }

    static func error(_ code: Int32, path: String, operation: String = "open") -> FileSystemError {
        switch code {
        case ENOENT: .notFound(path: path)
        case EACCES, EPERM: .permissionDenied(path: path)
        case ENOTDIR: .notADirectory(path: path)
        case EISDIR: .isADirectory(path: path)
        default: .system(path: path, errno: code, reason: SystemFile.reason(code, operation: operation))
        }
    }
}
