import Foundation
import KeyformJSON
import KeyformSystem

extension Command {
    static let fmt = Command(
        name: "fmt", summary: "Rewrite JSON files in canonical form.",
        usage: "fmt [--check] [--stdout] [PATH...]",
        discussion: """
            Formats any JSON files: 2-space indentation, key order and number text kept, minimal
            string escaping, a final newline. A directory is searched recursively for *.json files
            (in sorted order, skipping names that start with '.'); the default PATH is '.'.
            Files are rewritten in place, atomically, and only when they change; their names are
            listed. A file that is not valid JSON (duplicate keys included) is reported and left
            untouched, and the exit code is 1.
            """,
        options: [
            .flag("check", "change nothing; list the files that are not canonical and exit 1 if any"),
            .flag("stdout", "write the formatted text to stdout instead of the files"),
        ],
        positionals: Int.max,
        run: { arguments, context in
            if arguments.flag("check"), arguments.flag("stdout") {
                context.stderr.write("error: --check and --stdout cannot be used together\nRun 'keyform help fmt' for usage.\n")
                return CLI.ExitCode.usage
            }
            let mode: JSONFormatter.Mode = arguments.flag("check") ? .check : arguments.flag("stdout") ? .stdout : .write
            return JSONFormatter(mode: mode, context: context).run(paths: arguments.positionals.isEmpty ? ["."] : arguments.positionals)
        })
}

/// What `keyform fmt` does: find the files, parse each strictly, and compare, print or
/// atomically rewrite its canonical form.
struct JSONFormatter {
    enum Mode { case write, check, stdout }

    /// Why a file could not be read or written (rendered as a KF100/KF118 diagnostic).
    enum FileError: Error {
        case cannotRead(path: String, reason: String)
        case cannotWrite(path: String, reason: String)

        var diagnostic: Diagnostic {
            switch self {
            case .cannotRead(let path, let reason): .error(JSONSyntaxCode.unreadable, "cannot read '\(path)': \(reason)")
            case .cannotWrite(let path, let reason):
                .error(JSONSyntaxCode.unwritable, "cannot write '\(path)': \(reason)", suggestion: "the file was left as it was")
            }
        }
    }

    /// A file to format: the path to show (as the user named it) and the path to open.
    struct File {
        var shown: String
        var absolute: String
    }

    let mode: Mode
    let context: CommandContext

    /// Formats every file under `paths`; returns the exit code (1 if any file failed, or if
    /// `--check` found a file that is not canonical).
    func run(paths: [String]) -> Int32 {
        var failed = false
        var notCanonical = false
        var seen = Set<String>()
        for path in paths {
            let files: [File]
            do {
                files = try expand(path)
            } catch {
                report([error.diagnostic], sources: [:])
                failed = true
                continue
            }
            // A file reached twice (named twice, or through a symbolic link) is formatted once.
            for file in files where seen.insert(SystemFile.canonicalPath(file.absolute) ?? file.absolute).inserted {
                switch format(file) {
                case .canonical: break
                case .changed: notCanonical = true
                case .failed: failed = true
                }
            }
        }
        return failed || (mode == .check && notCanonical) ? CLI.ExitCode.failure : CLI.ExitCode.success
    }

    enum Outcome { case canonical, changed, failed }

    /// Parses one file and writes, prints or checks its canonical form.
    func format(_ file: File) -> Outcome {
        let bytes: [UInt8]
        do {
            bytes = try Self.read(file.absolute, shown: file.shown)
        } catch {
            report([error.diagnostic], sources: [:])
            return .failed
        }
        let document: JSONDocument
        do {
            document = try JSONDocument.parse(bytes, file: file.shown)
        } catch {
            report(error.diagnostics, sources: [file.shown: bytes])
            return .failed
        }
        let canonical = document.canonicalBytes()
        switch mode {
        case .stdout:
            context.stdout.write(String(decoding: canonical, as: UTF8.self))
            return .canonical
        case .check:
            guard canonical != bytes else { return .canonical }
            context.stdout.write(file.shown + "\n")
            return .changed
        case .write:
            guard canonical != bytes else { return .canonical }
            do {
                try Self.writeAtomically(canonical, to: file.absolute, shown: file.shown)
            } catch {
                report([error.diagnostic], sources: [:])
                return .failed
            }
            context.stdout.write(file.shown + "\n")
            return .changed
        }
    }

    private func report(_ diagnostics: [Diagnostic], sources: [String: [UInt8]]) {
        context.stderr.write(DiagnosticRenderer(sources: sources, color: context.useColor).render(diagnostics))
    }

    // MARK: - Finding files

    /// The files a command-line path names: itself, or the *.json files under a directory.
    func expand(_ path: String) throws(FileError) -> [File] {
        let absolute = context.absolutePath(path)
        var status = stat()
        guard stat(absolute, &status) == 0 else { throw .cannotRead(path: path, reason: Self.errnoText()) }
        guard status.st_mode & S_IFMT == S_IFDIR else { return [File(shown: path, absolute: absolute)] }
        var prefix = path
        while prefix.count > 1, prefix.hasSuffix("/") { prefix.removeLast() }
        guard let enumerator = FileManager.default.enumerator(atPath: absolute) else {
            throw .cannotRead(path: path, reason: "cannot list the directory")
        }
        var relatives: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            var entry = stat()
            let isDirectory = stat(absolute + "/" + relative, &entry) == 0 && entry.st_mode & S_IFMT == S_IFDIR
            if name.hasPrefix(".") {
                if isDirectory { enumerator.skipDescendants() }
                continue
            }
            if !isDirectory, name.hasSuffix(".json"), entry.st_mode & S_IFMT == S_IFREG { relatives.append(relative) }
        }
        return relatives.sorted().map { relative in
            File(shown: prefix == "." ? relative : (prefix == "/" ? "/" : prefix + "/") + relative, absolute: absolute + "/" + relative)
        }
    }

    // MARK: - Reading and writing

    static func errnoText(_ code: Int32 = errno) -> String {
        String(cString: strerror(code)).lowercased()
    }

    static func read(_ path: String, shown: String) throws(FileError) -> [UInt8] {
        let file: (bytes: [UInt8], info: stat)?
        do {
            file = try SystemFile.read(path)
        } catch {
            // strerror's text lower-cased as this command writes it; Keyform's own words as they are.
            let own = error.operation == "read" && (error.errno == EINVAL || error.errno == EFBIG)
            throw .cannotRead(path: shown, reason: own ? SystemFile.reason(error.errno, operation: error.operation) : errnoText(error.errno))
        }
        guard let file else { throw .cannotRead(path: shown, reason: errnoText(ENOENT)) }
        return file.bytes
    }

    /// Replaces the file's content all at once: writes a temporary file beside it (same
    /// permissions), flushes it to disk, renames it over the file and flushes the directory.
    /// A reader sees the old content or the new, never a mix; on failure the file is untouched.
    /// A symbolic link is followed, so the link stays a link.
    static func writeAtomically(_ bytes: [UInt8], to path: String, shown: String) throws(FileError) {
        let target = SystemFile.resolvingLinks(path)
        var status = stat()
        guard stat(target, &status) == 0 else { throw .cannotWrite(path: shown, reason: errnoText()) }
        do {
            try SystemFile.replaceAtomically(target, with: bytes, mode: status.st_mode & 0o7777)
        } catch {
            throw .cannotWrite(path: shown, reason: errnoText(error.errno))
        }
    }
}
