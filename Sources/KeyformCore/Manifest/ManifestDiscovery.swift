#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KeyformJSON

/// Finds the manifest files under a path: every `*.json`, recursively, in sorted order.
///
/// Skipped: hidden files and directories (names starting with `.`, such as `.keyform/` where
/// the local console lives, or `.git/`), and Keyform's own files (`keyform.json` and any
/// `keyform.*.json`, such as the state file), and entries that are neither files nor
/// directories. A directory met again below itself (a symbolic link loop) is reported and not
/// read twice; nesting deeper than `maximumDepth` directories is reported rather than followed.
/// A path naming a file is read whatever its name.
public enum ManifestDiscovery {
    static let maximumDepth = 32

    struct Result {
        var files: [String] = []
        var diagnostics: [Diagnostic] = []
    }

    static func find(at path: String, in fileSystem: any ReadableFileSystem) -> Result {
        var result = Result()
        switch fileSystem.entryKind(at: path) {
        case nil:
            result.diagnostics.append(.error(
                DiagnosticCodes.unreadableManifest, "cannot read '\(path)': no such file or directory",
                suggestion: "name a manifest directory or file (keyform validate PATH), or set \"manifests\" in keyform.json"))
        case .file:
            result.files = [path]
        case .other:
            result.diagnostics.append(.error(
                DiagnosticCodes.unreadableManifest, "'\(path)' is not a regular file or a directory (a FIFO, a socket or a device?)",
                suggestion: "name a manifest directory or a manifest file"))
        case .directory:
            var ancestors: [(path: String, identity: DirectoryIdentity)] = []
            walk(path, depth: 0, ancestors: &ancestors, in: fileSystem, into: &result)
            // Sorted by whole path, comparing UTF-8 bytes so the order is the same everywhere.
            result.files.sort(by: precedes)
            result.files = withoutEquivalentNames(result.files, into: &result.diagnostics)
        }
        return result
    }

    /// The paths less any that is the same text as an earlier one in Unicode, written another
    /// way (`é` composed and `e` with a combining accent: two files on disk, one name to every
    /// `String`, and so to every table the rest of the pipeline keeps by path), each reported.
    static func withoutEquivalentNames(_ paths: [String], into diagnostics: inout [Diagnostic]) -> [String] {
        var first: [String: String] = [:]
        var kept: [String] = []
        for path in paths {
            if let earlier = first[path] {
                diagnostics.append(.error(
                    DiagnosticCodes.unreadableManifest,
                    "'\(path)' has the same name as '\(earlier)' in Unicode (its characters are composed differently); it is not read",
                    suggestion: "rename one of the two files"))
                continue
            }
            first[path] = path
            kept.append(path)
        }
        return kept
    }

    /// Whether `a` sorts before `b`, comparing their UTF-8 bytes.
    static func precedes(_ a: String, _ b: String) -> Bool {
        let inPlace = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in
                let common = min(x.count, y.count)
                if common > 0, let p = x.baseAddress, let q = y.baseAddress {
                    let order = memcmp(p, q, common)
                    if order != 0 { return order < 0 }
                }
                return x.count < y.count
            }
        }
        return (inPlace ?? nil) ?? a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// Whether discovery skips an entry of this name: hidden ones and Keyform's own files.
    public static func isSkipped(_ name: String) -> Bool {
        name.hasPrefix(".") || name == "keyform.json" || (name.hasPrefix("keyform.") && name.hasSuffix(".json"))
    }

    /// `ancestors`: the directories on the way down to `directory` whose identity is known.
    private static func walk(
        _ directory: String, depth: Int, ancestors: inout [(path: String, identity: DirectoryIdentity)],
        in fileSystem: any ReadableFileSystem, into result: inout Result
    ) {
        if let identity = fileSystem.directoryIdentity(at: directory) {
            if let earlier = ancestors.first(where: { $0.identity == identity }) {
                result.diagnostics.append(.error(
                    DiagnosticCodes.unreadableManifest,
                    "'\(directory)' is '\(earlier.path)' again (a symbolic link loop); not read a second time",
                    suggestion: "remove the link, or point it at a directory outside '\(earlier.path)'"))
                return
            }
            ancestors.append((directory, identity))
        }
        defer { if ancestors.last?.path == directory { ancestors.removeLast() } }
        guard depth < maximumDepth else {
            result.diagnostics.append(.error(
                DiagnosticCodes.unreadableManifest,
                "'\(directory)' is nested more than \(maximumDepth) directories deep; not read further (a symbolic link loop?)"))
            return
        }
        let names: [String]
        do {
            names = try fileSystem.directoryEntries(at: directory)
        } catch {
            result.diagnostics.append(.error(DiagnosticCodes.unreadableManifest, "cannot read '\(directory)': \(error.reason)"))
            return
        }
        for name in names where !isSkipped(name) {
            let path = PathSyntax.join(directory, name)
            switch fileSystem.entryKind(at: path) {
            case .directory: walk(path, depth: depth + 1, ancestors: &ancestors, in: fileSystem, into: &result)
            case .file where name.hasSuffix(".json"): result.files.append(path)
            case nil where name.hasSuffix(".json"):
                // Listed, yet nothing there: skipped in silence, the manifest would be missed
                // (and its integrations planned as deleted).
                result.diagnostics.append(.error(
                    DiagnosticCodes.unreadableManifest,
                    "cannot read '\(path)': it is in its directory but leads to nothing (a broken symbolic link?)",
                    suggestion: "point the link at the manifest it stands for, or remove it"))
            default: break
            }
        }
    }
}
