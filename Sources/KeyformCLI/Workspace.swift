import Foundation
import KeyformConsole
import KeyformCore
import KeyformHTTP
import KeyformJSON
import KeyformState

/// Where a command's inputs and outputs are, resolved once from the command line, then
/// `keyform.json` (found in the current directory or above), then the defaults of DESIGN.md:
/// the manifests, the state store and the console provider.
struct Workspace {
    var configuration: Configuration
    /// Diagnostics about the configuration itself; errors stop the command.
    var diagnostics: [Diagnostic]
    /// The configuration file's text, for rendering its diagnostics.
    var configurationSource: (file: String, bytes: [UInt8])?
    var fileSystem: LocalFileSystem
    var context: CommandContext
    var arguments: ParsedArguments

    init(_ arguments: ParsedArguments, _ context: CommandContext) {
        self.arguments = arguments
        self.context = context
        fileSystem = LocalFileSystem(currentDirectory: context.currentDirectory)
        let (configuration, diagnostics, source) = ValidateCommand.loadConfiguration(arguments, context, fileSystem)
        self.configuration = configuration
        self.diagnostics = diagnostics
        self.configurationSource = source.map { (file: $0.0, bytes: $0.1) }
        fileSystem.unlist(ownFiles)
    }

    /// The state file and the local console file this command uses, wherever they are: never
    /// read as manifests, even when kept in the manifest directory under any name.
    var ownFiles: [String] {
        let console = consoleLocation
        return [statePath] + (console.hasPrefix("local:") ? [String(console.dropFirst("local:".count))] : [])
    }

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// The manifest path: PATH when given, else the configuration's, else `integrations` when
    /// it is a directory here, else the current directory.
    var manifestPath: String { ValidateCommand.manifestPath(arguments, configuration: configuration, fileSystem: fileSystem) }

    /// `--state PATH`, else the configured path (relative to keyform.json), else
    /// `keyform.state.json` here.
    var statePath: String {
        if let given = arguments.value("state") { return given }
        if configuration.file != nil { return configuration.resolve(configuration.state.path) }
        return configuration.state.path
    }

    /// The state store.
    /// - Throws: `WorkspaceError.unsupportedBackend` for a backend this build does not have.
    func stateStore() throws(WorkspaceError) -> FileStateStore {
        if arguments.value("state") == nil, configuration.state.backend != .file {
            throw .unsupportedBackend(configuration.state.backend.rawValue)
        }
        if let given = arguments.value("state"), given.contains("://") {
            throw .unsupportedBackend(given)
        }
        return FileStateStore(path: context.absolutePath(statePath), displayName: statePath)
    }

    /// Where the console is, as given (`local:PATH` or a URL) or configured.
    var consoleLocation: String {
        if let given = arguments.value("console") { return given }
        switch configuration.console.provider {
        case .local:
            let path = configuration.file != nil ? configuration.resolve(configuration.console.path) : configuration.console.path
            return "local:" + path
        case .http:
            return configuration.console.consoleUrl
        }
    }

    /// The local console's path (relative to the current directory) when a `keyform.json`
    /// configures one; nil without a configuration file or when it names an HTTP console.
    var configuredLocalConsolePath: String? {
        guard configuration.file != nil, configuration.console.provider == .local else { return nil }
        return configuration.resolve(configuration.console.path)
    }

    /// Refuses a local console whose file does not exist beside a state that records
    /// integrations: they were made in a console that is not where the command looks (a
    /// mistyped `--console local:PATH` or `console.path`, a console file deleted), and a
    /// refresh would plan every one of them as deleted outside Keyform, to be created again.
    /// A create begun by an interrupted apply counts too: its integration may be in that other
    /// console, and a create in a fresh one would leave it there unknown to the state (a
    /// writable local console's file exists before any create is begun in it). A fresh console
    /// with an empty or missing state is a first run, and fine. Asked before the console is
    /// opened, as closing a writable one creates its file. The error to print, or nil.
    func missingConsoleRefusal(besides store: any StateStore) -> String? {
        let location = consoleLocation
        guard location.hasPrefix("local:") else { return nil }
        let path = String(location.dropFirst("local:".count))
        guard !path.isEmpty, !FileManager.default.fileExists(atPath: context.absolutePath(path)),
            let state = try? store.read()?.state, !state.integrations.isEmpty || !state.pendingCreates.isEmpty
        else { return nil }
        let count = state.integrations.count
        let begun = state.pendingCreates.subtracting(state.integrations.keys).count
        let records = switch (count, begun) {
        case (_, 0): "\(count) integration\(count == 1 ? "" : "s") made in a console"
        case (0, _): "\(begun) create\(begun == 1 ? "" : "s") begun in a console by an interrupted apply"
        default: "\(count) integration\(count == 1 ? "" : "s") made in a console, and \(begun) create\(begun == 1 ? "" : "s") begun there"
        }
        return "error[KF566]: the local console '\(path)' does not exist, but the state records \(records)\n"
            + "help: check --console local:PATH and the console's path in keyform.json; if that console is really gone, "
            + "start a new state" + (count > 0 ? " (or remove its records with 'keyform state rm NAME')" : "") + "\n"
    }

    /// An open console.
    /// - Parameters:
    ///   - readOnly: plans read the local console without taking its writer lock, so they run
    ///     while an apply holds it.
    ///   - catalogFirst: a read-only local console reads only its catalog until more is asked
    ///     for (`DeferredLocalProvider`), for a plan that does not refresh.
    ///   - stopRetrying: for the HTTP provider, true once the command is interrupted: it then
    ///     neither waits for nor makes another attempt at a failed request.
    func provider(
        readOnly: Bool, catalogFirst: Bool = false, stopRetrying: @escaping @Sendable () -> Bool = { false }
    ) throws(WorkspaceError) -> OpenConsole {
        let location = consoleLocation
        if location.hasPrefix("local:") {
            let path = String(location.dropFirst("local:".count))
            guard !path.isEmpty else { throw .invalidConsole(location) }
            do {
                let absolute = context.absolutePath(path)
                if !readOnly {
                    try? FileManager.default.createDirectory(
                        atPath: (absolute as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                }
                if readOnly, catalogFirst {
                    let provider = try DeferredLocalProvider.open(path: absolute)
                    return OpenConsole(provider: provider, close: { try? provider.close() })
                }
                let provider = try LocalProvider.open(path: absolute, readOnly: readOnly)
                return OpenConsole(provider: provider, close: { try? provider.close() })
            } catch {
                throw .consoleStore(error, path: path, absolutePath: context.absolutePath(path))
            }
        }
        guard location.hasPrefix("http://") || location.hasPrefix("https://"), let url = URL(string: location) else {
            throw .invalidConsole(location)
        }
        let host: ConsoleHost
        if arguments.value("console") == nil, let events = URL(string: configuration.console.eventsUrl),
            configuration.console.eventsUrl != configuration.console.consoleUrl
        {
            host = .split(console: url, events: events)
        } else {
            host = .custom(url)
        }
        let org = configuration.console.org ?? context.environment["KEYFORM_ORG"] ?? ""
        do {
            let configuration = try HTTPProvider.Configuration.fromEnvironment(context.environment, host: host, org: org)
            return OpenConsole(provider: HTTPProvider(configuration: configuration, stopRetrying: stopRetrying), close: {})
        } catch {
            throw .httpConfiguration(error)
        }
    }

    /// Whether deletes are allowed: `--allow-delete` or `"allowDelete": true`.
    var allowDelete: Bool { arguments.flag("allow-delete") || configuration.allowDelete }

    /// Renders diagnostics compiler-style, with sources from the manifests and keyform.json.
    func render(_ diagnostics: [Diagnostic], manifests: ManifestLoadResult? = nil) -> String {
        var sources: [String: [UInt8]] = [:]
        if let manifests {
            for file in manifests.files { sources[file] = manifests.redactedSource(file) }
        }
        if let configurationSource { sources[configurationSource.file] = URLCredentials.masked(configurationSource.bytes) }
        return DiagnosticRenderer(sources: sources, color: context.useColor).render(ManifestLoadResult.sorted(diagnostics))
    }
}

/// A console provider and how to let it go.
struct OpenConsole {
    var provider: any ConsoleProvider
    var close: () -> Void
}

/// Why a workspace could not give a command what it asked for.
enum WorkspaceError: Error, CustomStringConvertible {
    case unsupportedBackend(String)
    case invalidConsole(String)
    /// The local console's files could not be used; `path` as the user named it.
    case consoleStore(ConsoleStoreError, path: String, absolutePath: String)
    case httpConfiguration(HTTPProviderConfigurationError)

    var description: String {
        switch self {
        case .unsupportedBackend(let backend):
            "error[KF401]: the state backend '\(URLCredentials.redacted(backend))' is not available in this build\nhelp: use the file backend: \"state\": {\"backend\": \"file\", \"path\": \"keyform.state.json\"}"
        case .invalidConsole(let location):
            "error[KF402]: --console expects local:PATH or an http(s) URL, not '\(location)'"
        case .consoleStore(let error, let path, let absolutePath):
            DiagnosticRenderer(sources: [:]).render([error.diagnostic])
                .replacingOccurrences(of: absolutePath, with: path)
                .trimmingCharacters(in: .newlines)
        case .httpConfiguration(let error):
            "error[KF403]: \(error.description)"
        }
    }
}
