import Foundation
import KeyformCore
import KeyformSystem

/// The real file system, for the command line: relative paths are resolved against the
/// current directory the CLI was given (not the process's, so tests can run in parallel).
public struct LocalFileSystem: ReadableFileSystem {
    public let currentDirectory: String
    /// Files left out of directory listings: the state and the local console a command was
    /// pointed at, so that a state kept among the manifests (`--state mystate.json` in the
    /// manifest directory) is not read as a manifest. Each by its name, its absolute path (it
    /// may not exist yet: apply creates it), and its device and inode when it exists
    /// (`DirectoryIdentity` serves for files too), so that it is left out under another path
    /// to the same directory as well. A path naming one of them is still read.
    private var unlisted: [(name: String, path: String, identity: DirectoryIdentity?)] = []

    public init(currentDirectory: String) {
        self.currentDirectory = currentDirectory
    }

    /// Leaves the files at `paths` out of directory listings, whether they exist yet or not.
    mutating func unlist(_ paths: [String]) {
        for path in paths {
            let absolute = PathSyntax.normalize(absolute(path))
            unlisted.append(((absolute as NSString).lastPathComponent, absolute, identity(of: absolute)))
        }
    }

    private func identity(of path: String) -> DirectoryIdentity? {
        var info = stat()
        guard stat(absolute(path), &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return DirectoryIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : PathSyntax.join(currentDirectory, path)
    }

    /// Whether the entry `name` of `directory` is one of the unlisted files.
    private func isUnlisted(_ name: String, in directory: String) -> Bool {
        let named = unlisted.filter { $0.name == name }
        guard !named.isEmpty else { return false }
        let path = PathSyntax.normalize(absolute(PathSyntax.join(directory, name)))
        if named.contains(where: { $0.path == path }) { return true }
        guard let identity = identity(of: path) else { return false }
        return named.contains { $0.identity == identity }
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
            if name != ".", name != "..", !isUnlisted(name, in: path) { names.append(name) }
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
