import Foundation
import KeyformCore

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
        default: return nil
        }
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
        var bytes: [UInt8] = []
        bytes.reserveCapacity(max(0, Int(info.st_size)))
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Self.error(errno, path: path)
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
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
