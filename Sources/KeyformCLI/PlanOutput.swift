import Foundation
import KeyformCore
import KeyformSystem

/// Where `plan --out FILE` writes, checked before the plan is made: a regular file (or a new
/// one), never one of the workspace's own files, and never a `.json` file the next run would
/// read as a manifest. A symbolic link is followed, so it still points at the plan afterwards.
struct PlanOutput {
    /// The file to replace (links followed).
    let target: String
    /// The path as the user wrote it, for messages.
    let shown: String

    /// Why `out` cannot take the plan, as a message for stderr.
    struct Refusal: Error {
        let message: String
    }

    /// - Throws: `Refusal` for a directory, a device or FIFO, a missing directory, or one of the
    ///   workspace's own files (the state and its companions, the local console, keyform.json, a
    ///   manifest).
    init(_ out: String, _ workspace: Workspace) throws(Refusal) {
        let context = workspace.context
        shown = out
        target = SystemFile.resolvingLinks(context.absolutePath(out))
        var info = stat()
        if stat(target, &info) == 0 {
            if info.st_mode & S_IFMT == S_IFDIR {
                throw Refusal(message: "error[KF449]: --out \(out) is a directory\nhelp: name the file to write the plan to, e.g. --out \(PathSyntax.join(out, "release.plan"))")
            }
            if info.st_mode & S_IFMT != S_IFREG {
                throw Refusal(message: "error[KF449]: --out \(out) is not a regular file (a device, FIFO or socket)\nhelp: name a file to write the plan to")
            }
        } else if stat(SystemFile.directory(of: target), &info) != 0 || info.st_mode & S_IFMT != S_IFDIR {
            throw Refusal(message: "error[KF449]: cannot write the plan to \(out): its directory does not exist\nhelp: create the directory first, or name a file in an existing one")
        }
        for (path, what) in Self.ownFiles(workspace) where SystemFile.resolvingLinks(context.absolutePath(path)) == target {
            throw Refusal(message: "error[KF449]: --out \(out) is \(what); writing the plan there would destroy it\nhelp: write the plan to a file of its own, e.g. --out release.plan")
        }
        let manifests = context.absolutePath(workspace.manifestPath)
        if Self.isReadAsManifest(target, manifestPath: SystemFile.canonicalPath(manifests) ?? PathSyntax.normalize(manifests)) {
            throw Refusal(message: "error[KF449]: --out \(out) is under the manifest path (\(workspace.manifestPath)), where the next run would read it as a manifest\nhelp: give the plan a name that does not end in .json (e.g. release.plan), or write it elsewhere")
        }
    }

    /// The files a workspace keeps, with what each is for messages.
    private static func ownFiles(_ workspace: Workspace) -> [(String, String)] {
        let state = workspace.statePath
        var files = [
            (state, "the state file"), (state + ".backup", "the state's backup"), (state + ".journal", "the state's journal"),
            (state + ".lock", "the state's lock"),
        ]
        if workspace.consoleLocation.hasPrefix("local:") {
            let console = String(workspace.consoleLocation.dropFirst("local:".count))
            files += [(console, "the local console"), (console + ".log", "the local console's log")]
        }
        if let configuration = workspace.configuration.file { files.append((configuration, "the configuration (keyform.json)")) }
        return files
    }

    /// Whether discovery would read `target` as a manifest under `manifestPath` (both resolved).
    private static func isReadAsManifest(_ target: String, manifestPath: String) -> Bool {
        guard target.hasSuffix(".json") else { return false }
        if target == manifestPath { return true }
        let directory = manifestPath == "/" ? "/" : manifestPath + "/"
        guard target.hasPrefix(directory) else { return false }
        // Hidden entries and Keyform's own names are skipped at every level.
        return !target.dropFirst(directory.count).split(separator: "/").contains { ManifestDiscovery.isSkipped(String($0)) }
    }

    /// Writes `text` over the target, atomically.
    func write(_ text: String) throws(Refusal) {
        do {
            try SystemFile.replaceAtomically(target, with: Array(text.utf8))
        } catch {
            throw Refusal(message: "error[KF449]: cannot write the plan to \(shown): \(error.operation) failed: \(String(cString: strerror(error.errno)))")
        }
    }
}
