/// A file system held in memory: files by path, directories implied by the paths.
///
/// For tests and benchmarks, so that the whole validation pipeline runs without a disk.
/// Paths are compared after normalisation (`a/./b`, `a//b` and `a/b/` are the same), and
/// relative paths are relative to the root of this file system.
public struct InMemoryFileSystem: ReadableFileSystem {
    private var files: [String: [UInt8]] = [:]
    private var directories: Set<String> = [""]
    private var unreadable: Set<String> = []

    /// - Parameter files: file contents by path.
    public init(files: [String: [UInt8]] = [:]) {
        for (path, bytes) in files { addFile(path, bytes) }
    }

    /// - Parameter files: file contents as UTF-8 text, by path.
    public init(textFiles: [String: String]) {
        for (path, text) in textFiles { addFile(path, Array(text.utf8)) }
    }

    /// Adds (or replaces) a file, creating the directories above it.
    public mutating func addFile(_ path: String, _ bytes: [UInt8]) {
        let path = Self.normalize(path)
        files[path] = bytes
        if let parent = PathSyntax.parent(of: path) { insertDirectory(parent) }
    }

    /// Adds an empty directory (and the directories above it).
    public mutating func addDirectory(_ path: String) {
        insertDirectory(Self.normalize(path))
    }

    private mutating func insertDirectory(_ normalized: String) {
        var next: String? = normalized
        while let directory = next, !directories.contains(directory) {
            directories.insert(directory)
            next = PathSyntax.parent(of: directory)
        }
    }

    /// Makes reading `path` fail with `permissionDenied`, as an unreadable file on disk would.
    public mutating func makeUnreadable(_ path: String) {
        unreadable.insert(Self.normalize(path))
    }

    public func entryKind(at path: String) -> FileEntryKind? {
        let path = Self.normalize(path)
        if files[path] != nil { return .file }
        if directories.contains(path) { return .directory }
        return nil
    }

    public func directoryEntries(at path: String) throws(FileSystemError) -> [String] {
        let normalized = Self.normalize(path)
        guard directories.contains(normalized) else {
            throw files[normalized] != nil ? .notADirectory(path: path) : .notFound(path: path)
        }
        if unreadable.contains(normalized) { throw .permissionDenied(path: path) }
        let prefix = normalized.isEmpty ? "" : normalized + "/"
        var names: Set<String> = []
        for candidate in files.keys where candidate.hasPrefix(prefix) {
            names.insert(String(candidate.dropFirst(prefix.count).prefix { $0 != "/" }))
        }
        for candidate in directories where candidate.hasPrefix(prefix) && candidate.count > prefix.count {
            names.insert(String(candidate.dropFirst(prefix.count).prefix { $0 != "/" }))
        }
        return Array(names)
    }

    public func readFile(at path: String) throws(FileSystemError) -> [UInt8] {
        let normalized = Self.normalize(path)
        if unreadable.contains(normalized) { throw .permissionDenied(path: path) }
        if let bytes = files[normalized] { return bytes }
        if directories.contains(normalized) { throw .isADirectory(path: path) }
        throw .notFound(path: path)
    }

    static func normalize(_ path: String) -> String {
        PathSyntax.normalize(path).trimmingLeadingSlash()
    }
}

extension String {
    fileprivate func trimmingLeadingSlash() -> String {
        var s = Substring(self)
        while s.first == "/" { s = s.dropFirst() }
        return s == "." ? "" : String(s)
    }
}
