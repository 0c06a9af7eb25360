import KeyformCore
import KeyformJSON

extension Command {
    static let validate = Command(
        name: "validate",
        summary: "Check manifests: syntax, schema, catalog rules and lint, each problem at its line.",
        usage: "validate [PATH] [--format text|json|github|sarif] [--strict] [--offline]",
        discussion: """
            Reads every *.json file under PATH (default: "manifests" of keyform.json, found in the
            current directory or above, else the current directory) and reports every problem of
            every file in one run, sorted by file, line and column. Hidden files and Keyform's own
            files (keyform.json, keyform.*.json, and the state and local console files in use)
            are skipped. ${env:NAME} in a string is replaced by the environment variable
            (undefined: an error); $${ stands for a literal ${.
            Exit status: 0 when there is no error (warnings allowed unless --strict), 1 otherwise.
            Formats: text (compiler style, on stderr, with a summary line on stdout), json,
            github (workflow commands that annotate pull requests) and sarif (SARIF 2.1.0).
            """,
        options: [
            .value("format", "FORMAT", "text (default), json, github or sarif"),
            .flag("strict", "treat warnings as errors (exit 1)"),
            .flag("offline", "skip the rules that need the console's catalog"),
        ],
        positionals: 1,
        run: { arguments, context in await ValidateCommand.run(arguments, context) })
}

/// `keyform validate`: loads the configuration and the manifests, renders the diagnostics.
enum ValidateCommand {
    enum Format: String, CaseIterable {
        case text, json, github, sarif
    }

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) async -> Int32 {
        let formatName = arguments.value("format") ?? "text"
        guard let format = Format(rawValue: formatName) else {
            var message = "error: unknown format '\(formatName)' for --format (text, json, github or sarif)"
            if let guess = Suggestion.closest(to: formatName, among: Format.allCases.map(\.rawValue)) {
                message += "\nhelp: did you mean '\(guess)'?"
            }
            context.stderr.write(message + "\n")
            return CLI.ExitCode.usage
        }
        let workspace = Workspace(arguments, context)
        let (configurationDiagnostics, configurationSource) = (workspace.diagnostics, workspace.configurationSource)
        let fileSystem = workspace.fileSystem
        let path = workspace.manifestPath
        var catalog: Catalog?
        if !arguments.flag("offline") {
            guard let fetched = await consoleCatalog(workspace) else { return CLI.ExitCode.failure }
            catalog = fetched
        }
        let result = ManifestLoader.load(
            path: path, fileSystem: fileSystem, environment: context.environment, catalog: catalog, diagnosticsOnly: true)

        let diagnostics = ManifestLoadResult.sorted(configurationDiagnostics + result.diagnostics)
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.filter { $0.severity == .warning }.count
        let strict = arguments.flag("strict")
        let failed = errors > 0 || (strict && warnings > 0)
        let summary = summaryLine(errors: errors, warnings: warnings, files: result.files.count, strict: strict && warnings > 0)

        switch format {
        case .text:
            var sources: [String: [UInt8]] = [:]
            for file in result.files { sources[file] = result.redactedSource(file) }
            if let (file, bytes) = configurationSource { sources[file] = URLCredentials.masked(bytes) }
            let renderer = DiagnosticRenderer(sources: sources, color: context.useColor)
            context.stderr.write(renderer.render(diagnostics))
            context.stdout.write(summary + "\n")
        case .json:
            let document: JSON = .object([
                JSONMember("valid", .bool(!failed)),
                JSONMember("summary", .object([
                    JSONMember("errors", .number(errors)),
                    JSONMember("warnings", .number(warnings)),
                    JSONMember("files", .number(result.files.count)),
                ])),
                JSONMember("files", .array(result.files.map(JSON.string))),
                JSONMember("diagnostics", DiagnosticRenderer.json(diagnostics)),
            ])
            context.stdout.write(document.canonicalText())
        case .github:
            context.stdout.write(GitHubAnnotations.render(diagnostics))
            context.stdout.write(summary + "\n")
        case .sarif:
            context.stdout.write(SARIFLog.log(diagnostics, toolVersion: CLI.version).canonicalText())
        }
        return failed ? CLI.ExitCode.failure : CLI.ExitCode.success
    }

    /// The configured console's catalog (services, entitlements, event providers), or nil
    /// after printing why it could not be read.
    static func consoleCatalog(_ workspace: Workspace) async -> Catalog? {
        let context = workspace.context
        if workspace.hasErrors { return Catalog.default }  // reported with the other diagnostics
        do {
            // Only the catalog is needed: a local console reads just its header.
            let console = try workspace.provider(readOnly: true, catalogFirst: true)
            defer { console.close() }
            return try await console.provider.catalog()
        } catch let error as WorkspaceError {
            context.stderr.write("\(error.description)\nhelp: --offline skips the rules that need the console\n")
        } catch {
            context.stderr.write(ApplyCommand.render(error, doing: "read the console's catalog") + "help: --offline skips the rules that need the console\n")
        }
        return nil
    }

    /// `--config FILE`, else `keyform.json` in the current directory or above, else defaults.
    /// Paths are made relative to the current directory, as diagnostics show them.
    static func loadConfiguration(
        _ arguments: ParsedArguments, _ context: CommandContext, _ fileSystem: LocalFileSystem
    ) -> (Configuration, [Diagnostic], (String, [UInt8])?) {
        let file: String
        if let given = arguments.value("config") {
            file = given
        } else if let found = Configuration.find(from: context.currentDirectory, fileSystem: fileSystem) {
            file = PathSyntax.relative(found, from: context.currentDirectory)
        } else {
            return (Configuration(directory: "."), [], nil)
        }
        let (configuration, diagnostics) = Configuration.load(file: file, fileSystem: fileSystem)
        let bytes = try? fileSystem.readFile(at: file)
        return (configuration, diagnostics, bytes.map { (file, $0) })
    }

    /// PATH when given, else the configuration's manifests, else the current directory.
    /// PATH when given; else the configuration's manifest directory; without a `keyform.json`,
    /// the default one (`integrations`) when it is a directory here, else the current directory.
    static func manifestPath(_ arguments: ParsedArguments, configuration: Configuration, fileSystem: LocalFileSystem) -> String {
        if let path = arguments.positionals.first { return path }
        if configuration.file != nil { return configuration.resolve(configuration.manifests) }
        return fileSystem.entryKind(at: configuration.manifests) == .directory ? configuration.manifests : "."
    }

    /// "2 errors, 1 warning in 3 files".
    static func summaryLine(errors: Int, warnings: Int, files: Int, strict: Bool) -> String {
        func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
        var line = "\(count(errors, "error")), \(count(warnings, "warning")) in \(count(files, "file"))"
        if strict { line += " (--strict: warnings fail the run)" }
        return line
    }
}
