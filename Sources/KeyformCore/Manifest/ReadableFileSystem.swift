/// Read access to files and directories: how manifests and `keyform.json` reach the core,
/// which does no I/O itself.
///
/// The command line passes a real implementation (`LocalFileSystem`); tests pass an
/// `InMemoryFileSystem`. Paths are strings as the user wrote them: relative paths are
/// resolved by the implementation (against the current directory for the real one), and the
/// same path string is used in diagnostics.
///
/// Every implementation must be safe to call from any thread and must never trap on a path
/// that does not exist or cannot be read: it answers `nil` or throws `FileSystemError`.
public protocol ReadableFileSystem: Sendable {
    /// What is at `path` (following symbolic links), or `nil` when nothing is.
    func entryKind(at path: String) -> FileEntryKind?

    /// The names (not paths) of the entries of the directory at `path`, in any order.
    func directoryEntries(at path: String) throws(FileSystemError) -> [String]

    /// The bytes of the file at `path`.
    func readFile(at path: String) throws(FileSystemError) -> [UInt8]

    /// What tells the directory at `path` apart from every other (on a disk, its device and
    /// inode), or nil when the file system has no such notion: a directory reached twice on
    /// one path down the tree is a symbolic link loop. Nil by default.
    func directoryIdentity(at path: String) -> DirectoryIdentity?
}

extension ReadableFileSystem {
    public func directoryIdentity(at path: String) -> DirectoryIdentity? { nil }
}

/// The identity of a directory (see `ReadableFileSystem.directoryIdentity(at:)`).
public struct DirectoryIdentity: Hashable, Sendable {
    public var device: UInt64
    public var inode: UInt64

    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }
}

/// The kind of an entry of a file system: a regular file, a directory, or something else (a
/// FIFO, a socket, a device), which Keyform never reads.
public enum FileEntryKind: Hashable, Sendable {
    case file, directory, other
}

/// Why a file or directory could not be read.
public enum FileSystemError: Error, Hashable, Sendable, CustomStringConvertible {
    case notFound(path: String)
    case permissionDenied(path: String)
    case notADirectory(path: String)
    case isADirectory(path: String)
    /// Another operating-system error, with its `errno` and its text.
    case system(path: String, errno: Int32, reason: String)

    public var path: String {
        switch self {
        case .notFound(let path), .permissionDenied(let path), .notADirectory(let path),
            .isADirectory(let path), .system(let path, _, _):
            path
        }
    }

    /// What went wrong, without the path ("no such file or directory").
    public var reason: String {
        switch self {
        case .notFound: "no such file or directory"
        case .permissionDenied: "permission denied"
        case .notADirectory: "not a directory"
        case .isADirectory: "is a directory"
        case .system(_, _, let reason): reason
        }
    }

    public var description: String { "\(path): \(reason)" }
}
