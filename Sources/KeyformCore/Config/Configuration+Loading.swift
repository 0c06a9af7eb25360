import KeyformJSON

extension Configuration {
    /// Finds `keyform.json` in `directory` or the nearest parent that has one, and reads it.
    /// - Parameter directory: an absolute directory, usually the current one.
    /// - Returns: the configuration (defaults for `directory` when no file is found) and
    ///   its diagnostics: syntax (KF1xx, duplicate keys included), schema (KF2xx), unreadable
    ///   file (KF401). With errors, the members that could be read are kept.
    public static func load(from directory: String, fileSystem: any ReadableFileSystem) -> (Configuration, [Diagnostic]) {
        guard let file = find(from: directory, fileSystem: fileSystem) else {
            return (Configuration(directory: PathSyntax.normalize(directory)), [])
        }
        return load(file: file, fileSystem: fileSystem)
    }

    /// The path of the `keyform.json` in `directory` or its nearest parent that has one.
    /// - Parameter directory: an absolute directory, usually the current one.
    public static func find(from directory: String, fileSystem: any ReadableFileSystem) -> String? {
        var current: String? = PathSyntax.normalize(directory)
        while let candidate = current {
            let path = PathSyntax.join(candidate, fileName)
            if fileSystem.entryKind(at: path) == .file { return path }
            current = PathSyntax.parent(of: candidate).flatMap { $0.isEmpty ? nil : $0 }
        }
        return nil
    }

    /// Reads the configuration file at `file` (as `--config FILE` names it).
    public static func load(file: String, fileSystem: any ReadableFileSystem) -> (Configuration, [Diagnostic]) {
        let directory = PathSyntax.parent(of: file) ?? ""
        let bytes: [UInt8]
        do {
            bytes = try fileSystem.readFile(at: file)
        } catch {
            var configuration = Configuration(directory: directory.isEmpty ? "." : directory)
            configuration.file = file
            return (configuration, [
                .error(
                    DiagnosticCodes.unreadableConfiguration, "cannot read configuration '\(file)': \(error.reason)",
                    suggestion: "check the path given to --config")
            ])
        }
        return decode(bytes, file: file, directory: directory.isEmpty ? "." : directory)
    }

    /// Parses, validates and decodes the bytes of a `keyform.json`.
    public static func decode(_ bytes: [UInt8], file: String, directory: String) -> (Configuration, [Diagnostic]) {
        var configuration = Configuration(directory: directory)
        configuration.file = file
        let document: JSONDocument
        do {
            document = try JSONDocument.parse(bytes, file: file)
        } catch {
            return (configuration, error.diagnostics)
        }
        let source = SourceFile(path: file, document: document)
        let diagnostics = ConfigurationSchema.diagnostics(for: source)
        let root = document.root
        if let manifests = root["manifests"]?.stringValue, !manifests.isEmpty { configuration.manifests = manifests }
        if let allowDelete = root["allowDelete"]?.boolValue { configuration.allowDelete = allowDelete }
        if let state = root["state"] {
            if let backend = state["backend"]?.stringValue.flatMap(StateBackend.init) { configuration.state.backend = backend }
            if let path = state["path"]?.stringValue, !path.isEmpty { configuration.state.path = path }
        }
        if let console = root["console"] {
            if let provider = console["provider"]?.stringValue.flatMap(ConsoleProviderKind.init) { configuration.console.provider = provider }
            if let path = console["path"]?.stringValue, !path.isEmpty { configuration.console.path = path }
            if let url = console["consoleUrl"]?.stringValue { configuration.console.consoleUrl = url }
            if let url = console["eventsUrl"]?.stringValue { configuration.console.eventsUrl = url }
            if let org = console["org"]?.stringValue, !org.isEmpty { configuration.console.org = org }
        }
        return (configuration, ManifestLoadResult.sorted(diagnostics))
    }
}
