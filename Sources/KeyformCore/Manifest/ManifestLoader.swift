import KeyformJSON

/// Reads the manifests under a path into a `ManifestModel`, with every problem as a
/// diagnostic. The manifest pipeline, in order:
///
/// 1. **Find** every `*.json` file under the path, recursively, in sorted path order (a path
///    naming one file reads that file). Hidden entries and Keyform's own files are skipped.
/// 2. **Parse** each with the located parser; a duplicate key is an error (KF1xx).
/// 3. **Scan strings**: substitute `${env:NAME}` (KF314/KF315) and flag values that look
///    like secrets (KF313).
/// 4. **Validate** the substituted document against the embedded manifest schema (KF2xx,
///    and KF307/KF308 for its conditionals), each finding at the offending value or key.
/// 5. **Decode** the integrations into `IntegrationSpec`s with their locations.
/// 6. **Check** the semantic rules across all files (KF301–KF351), with the catalog unless
///    offline.
///
/// Every file is processed even when an earlier one has errors, so one run reports every
/// problem. Pure: files come through `ReadableFileSystem`, the environment as a dictionary.
public enum ManifestLoader {
    /// Loads the manifests at `path`.
    /// - Parameters:
    ///   - path: a directory (searched recursively) or a single manifest file.
    ///   - fileSystem: where files are read from.
    ///   - environment: the variables `${env:NAME}` may name.
    ///   - catalog: the console's catalog; `nil` skips catalog rules (`--offline`).
    public static func load(
        path: String, fileSystem: any ReadableFileSystem, environment: [String: String], catalog: Catalog?
    ) -> ManifestLoadResult {
        var result = ManifestLoadResult()
        let discovery = ManifestDiscovery.find(at: path, in: fileSystem)
        result.diagnostics += discovery.diagnostics
        var drafts: [IntegrationDraft] = []
        for file in discovery.files {
            let bytes: [UInt8]
            do {
                bytes = try fileSystem.readFile(at: file)
            } catch {
                result.diagnostics.append(.error(DiagnosticCodes.unreadableManifest, "cannot read '\(file)': \(error.reason)"))
                continue
            }
            result.files.append(file)
            result.sources[file] = bytes
            let outcome = loadFile(file, bytes: bytes, environment: environment)
            result.diagnostics += outcome.diagnostics
            if !outcome.redactions.isEmpty { result.redactions[file] = outcome.redactions }
            drafts += outcome.integrations
        }
        if discovery.diagnostics.isEmpty, discovery.files.isEmpty {
            result.diagnostics.append(.noManifests(under: path))
        }
        var rules = ManifestRules(catalog: catalog)
        rules.check(drafts)
        result.diagnostics += rules.diagnostics
        result.diagnostics = ManifestLoadResult.sorted(result.diagnostics)

        var specs: [IntegrationSpec] = []
        specs.reserveCapacity(drafts.count)
        var locations: [String: IntegrationLocations] = [:]
        locations.reserveCapacity(drafts.count)
        for draft in drafts where locations[draft.spec.name] == nil {
            specs.append(draft.spec)
            locations[draft.spec.name] = draft.locations
        }
        result.model = ManifestModel(specs: specs, locations: locations, files: result.files)
        return result
    }

    struct FileOutcome {
        var diagnostics: [Diagnostic] = []
        var redactions: [Range<Int>] = []
        var integrations: [IntegrationDraft] = []
    }

    /// Steps 2 to 5 for one file.
    static func loadFile(_ file: String, bytes: [UInt8], environment: [String: String]) -> FileOutcome {
        var outcome = FileOutcome()
        let document: JSONDocument
        do {
            document = try JSONDocument.parse(bytes, file: file)
        } catch {
            outcome.diagnostics = error.diagnostics
            return outcome
        }
        let source = SourceFile(path: file, document: document)
        var scan = StringScan(environment: environment)
        scan.scan(source)
        outcome.diagnostics += scan.diagnostics
        outcome.redactions = scan.redactions
        outcome.diagnostics += ManifestSchema.diagnostics(for: source)
        outcome.integrations = ManifestDecoder.decode(source)
        return outcome
    }
}

/// What loading manifests produced: the model, every diagnostic (sorted), and the files'
/// bytes for rendering source lines.
public struct ManifestLoadResult: Sendable {
    /// The desired state; meaningful only when `hasErrors` is false.
    public var model = ManifestModel()
    /// Every finding, sorted by file, line and column (findings without a place last).
    public var diagnostics: [Diagnostic] = []
    /// The manifest files read, in order.
    public var files: [String] = []
    /// Each file's bytes, by path, to show source lines under diagnostics.
    public var sources: [String: [UInt8]] = [:]
    /// Byte ranges of values that look like secrets, by file: mask them before showing a
    /// source line (see `redactedSource(_:)`).
    public var redactions: [String: [Range<Int>]] = [:]

    public init() {}

    /// Whether any diagnostic is an error.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// The bytes of `file` with every secret-looking value replaced by `*` (same length, so
    /// offsets and columns stay right).
    public func redactedSource(_ file: String) -> [UInt8]? {
        guard var bytes = sources[file] else { return nil }
        for range in redactions[file] ?? [] {
            // Keep the quotes; a JSON string holds no line break, so every byte is masked.
            let inner = (range.lowerBound + 1)..<max(range.lowerBound + 1, range.upperBound - 1)
            for i in inner where i < bytes.count { bytes[i] = UInt8(ascii: "*") }
        }
        return bytes
    }

    /// Sorted by file, line, column, then severity, code and message; findings without a
    /// location come last, in their given order.
    public static func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        let located = diagnostics.filter { $0.location != nil }
        let unplaced = diagnostics.filter { $0.location == nil }
        return located.sorted { a, b in
            guard let l = a.location, let r = b.location else { return false }
            if l.file != r.file { return l.file < r.file }
            if l.line != r.line { return l.line < r.line }
            if l.column != r.column { return l.column < r.column }
            if a.severity != b.severity { return a.severity < b.severity }
            if a.code != b.code { return a.code < b.code }
            return a.message < b.message
        } + unplaced
    }
}
