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
        let fd = open(absolute(path), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Self.error(errno, path: path) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { throw .isADirectory(path: path) }
        do {
            // Straight into an array of the file's size: no zero-filled buffer, no copy.
            return try SystemFile.readAll(fd: fd, path: path, info: &info)
        } catch {
            throw Self.error(error.errno, path: path)
        }
    }

    static func error(_ code: Int32, path: String) -> FileSystemError {
        switch code {
        case ENOENT: .notFound(path: path)
        case EACCES, EPERM: .permissionDenied(path: path)
        case ENOTDIR: .notADirectory(path: path)
        case EISDIR: .isADirectory(path: path)
        default: .system(path: path, errno: code, reason: String(cString: strerror(code)))
        }
    }
}
