import Dispatch
import Foundation
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
/// 5. **Decode** the integrations (`IntegrationScanner`) and check the rules about each one
///    alone (KF302–KF312, KF350/KF351), with the catalog unless offline.
/// 6. **Check** the rules across files (`CrossFileRules`: KF301, KF309, KF311).
///
/// Steps 2 to 5 work on each file's parser tape in place, making strings only for what a
/// diagnostic says, and run for several files at once when there is enough to do. Every
/// file is processed even when an earlier one has errors, so one run reports every problem.
/// The model (`ManifestLoadResult.model`) is decoded from the parsed files when it is asked
/// for. Pure: files come through `ReadableFileSystem`, the environment as a dictionary.
public enum ManifestLoader {
    /// Below this many bytes in all, files are checked one after the other.
    static let parallelThreshold = 256 * 1024

    /// Loads the manifests at `path`.
    /// - Parameters:
    ///   - path: a directory (searched recursively) or a single manifest file.
    ///   - fileSystem: where files are read from.
    ///   - environment: the variables `${env:NAME}` may name.
    ///   - catalog: the console's catalog; `nil` skips catalog rules (`--offline`).
    ///   - parallel: whether several files may be checked at once (the result is the same).
    ///   - diagnosticsOnly: only the findings are wanted (`keyform validate`), not the model:
    ///     files are first read by `ManifestFastCheck`, and when every one is clean and nothing
    ///     is wrong across them, nothing more is done. The result's `model` and `specs` are then
    ///     empty; its findings, files and sources are the same either way.
    public static func load(
        path: String, fileSystem: any ReadableFileSystem, environment: [String: String], catalog: Catalog?,
        parallel: Bool = true, diagnosticsOnly: Bool = false
    ) -> ManifestLoadResult {
        load(
            path: path, fileSystem: fileSystem, environment: environment, catalog: catalog, parallel: parallel, reference: false,
            fastPath: diagnosticsOnly)
    }

    /// `reference` runs the straightforward pipeline instead (every string decoded, the schema
    /// on an owned tree, the rules on drafts of every integration): what the tests hold the
    /// in-place pipeline to.
    static func load(
        path: String, fileSystem: any ReadableFileSystem, environment: [String: String], catalog: Catalog?,
        parallel: Bool, reference: Bool, fastPath: Bool = false
    ) -> ManifestLoadResult {
        var result = ManifestLoadResult()
        let discovery = ManifestDiscovery.find(at: path, in: fileSystem)
        result.diagnostics += discovery.diagnostics
        // Read every file first: (path, bytes) or the read error in its place.
        var inputs: [(file: String, bytes: [UInt8])?] = []
        var readErrors: [Int: Diagnostic] = [:]
        for file in discovery.files {
            do {
                inputs.append((file, try fileSystem.readFile(at: file)))
            } catch {
                readErrors[inputs.count] = .error(DiagnosticCodes.unreadableManifest, "cannot read '\(file)': \(error.reason)")
                inputs.append(nil)
            }
        }
        let index = catalog.map(CatalogIndex.init)
        // Certified only when nothing at all is wrong: no file missed, none unreadable.
        let clean = fastPath && !reference && discovery.diagnostics.isEmpty && readErrors.isEmpty
            && fastCheck(inputs, environment: environment, catalog: index, parallel: parallel)
        let outcomes = clean ? [] : check(inputs, environment: environment, catalog: index, parallel: parallel, reference: reference)
        var checked: [CrossFileRules.File] = []
        for (position, input) in inputs.enumerated() {
            guard let input else {
                if let error = readErrors[position] { result.diagnostics.append(error) }
                continue
            }
            result.files.append(input.file)
            result.sources[input.file] = input.bytes
            if clean { continue }
            let outcome = outcomes[position]
            result.diagnostics += outcome.diagnostics
            if !outcome.redactions.isEmpty { result.redactions[input.file] = outcome.redactions }
            if let file = outcome.checked { checked.append(file) }
        }
        if discovery.diagnostics.isEmpty, discovery.files.isEmpty {
            result.diagnostics.append(.noManifests(under: path))
        }
        if clean {
            if catalog == nil { result.diagnostics.append(.catalogRulesSkipped()) }
        } else if reference {
            var rules = ManifestRules(catalog: catalog)
            rules.check(checked.flatMap { ManifestDecoder.decode($0.source) })
            result.diagnostics += rules.diagnostics
        } else {
            var rules = CrossFileRules(files: checked)
            rules.check(offline: catalog == nil)
            result.diagnostics += rules.diagnostics
        }
        var failed: [String: Set<Int>] = [:]
        for file in checked where !file.source.failedSubstitutions.isEmpty { failed[file.source.path] = file.source.failedSubstitutions }
        result.diagnostics = ManifestLoadResult.sorted(
            withoutEchoes(result.diagnostics, redactions: result.redactions, failedSubstitutions: failed))
        result.loaded = checked.map { LoadedManifestFile($0.source) }
        result.isCertified = clean
        return result
    }

    /// The diagnostics, less the ones that only echo another about the same value:
    /// - about a value that looks like a secret, all but the secret finding (KF313): a rule
    ///   that quotes its value ("unknown service '…'", "did you mean …") would print the secret
    ///   that KF313 takes care not to repeat, and the value must go anyway;
    /// - about a string whose `${env:…}` could not be substituted, all but that finding
    ///   (KF314/KF315): the text left as written is not the value meant ("unknown service
    ///   '${env:SVC}'"), as the schema's findings about it are already left out;
    /// - about a value of the wrong type (KF203), the rules' findings about the same value (a
    ///   number as a provider is not also an unknown provider '').
    static func withoutEchoes(
        _ diagnostics: [Diagnostic], redactions: [String: [Range<Int>]], failedSubstitutions: [String: Set<Int>]
    ) -> [Diagnostic] {
        var wrongTypes: [String: Set<Int>] = [:]
        for diagnostic in diagnostics where diagnostic.code == DiagnosticCodes.wrongType {
            if let location = diagnostic.location { wrongTypes[location.file, default: []].insert(location.offset) }
        }
        guard !redactions.isEmpty || !failedSubstitutions.isEmpty || !wrongTypes.isEmpty else { return diagnostics }
        let kept: Set<String> = [
            DiagnosticCodes.secretInManifest, DiagnosticCodes.undefinedEnvironmentVariable, DiagnosticCodes.malformedEnvironmentReference,
        ]
        return diagnostics.filter { diagnostic in
            guard !kept.contains(diagnostic.code), let location = diagnostic.location else { return true }
            if let ranges = redactions[location.file], ranges.contains(where: { $0.contains(location.offset) }) { return false }
            if let failed = failedSubstitutions[location.file], failed.contains(location.offset) { return false }
            // Rule findings (KF3xx) at a value already reported as of the wrong type.
            if diagnostic.code.hasPrefix("KF3"), let offsets = wrongTypes[location.file], offsets.contains(location.offset) { return false }
            return true
        }
    }

    /// Whether every file read is clean by `ManifestFastCheck` and no rule across files
    /// could have anything to say: no name or former name repeated anywhere, and the
    /// organization's registrations within its quota. When false, the full pipeline runs.
    private static func fastCheck(
        _ inputs: [(file: String, bytes: [UInt8])?], environment: [String: String], catalog: CatalogIndex?, parallel: Bool
    ) -> Bool {
        // With no file read there is nothing to certify.
        guard ManifestFastCheck.embedded != nil, !inputs.isEmpty else { return false }
        let tables = ManifestFastCheck.CatalogTables(catalog, environment: environment)
        // One file that is not clean sends every file through the full pipeline: the others
        // need not be checked any further.
        let givenUp = Flag()
        let check: @Sendable (Int) -> ManifestFastCheck.Clean? = { position in
            guard !givenUp.isSet else { return nil }
            let clean = inputs[position].flatMap {
                ManifestFastCheck.check($0.bytes, environment: environment, catalog: catalog, tables: tables)
            }
            if clean == nil { givenUp.set() }
            return clean
        }
        var files: [ManifestFastCheck.Clean?] = []
        let total = inputs.reduce(0) { $0 + ($1?.bytes.count ?? 0) }
        if parallel, inputs.count > 1, total >= parallelThreshold {
            files = ParallelMap.map(count: inputs.count, check)
        } else {
            for position in inputs.indices {
                files.append(check(position))
                if inputs[position] != nil, files[position] == nil { return false }
            }
        }
        var names = 0, registrations = 0
        for (position, input) in inputs.enumerated() where input != nil {
            guard let file = files[position] else { return false }
            names += file.names.count + file.formerNames.count
            registrations += file.registrations
        }
        guard registrations <= Catalog.registrationsPerOrganization else { return false }
        // Every name, then every former name, must be new: a repeat of either kind is a finding
        // of the rules across files (or, within one integration, something to let them judge).
        var table = NameSet(capacity: names, of: inputs)
        for pass in 0..<2 {
            for position in inputs.indices {
                guard let file = files[position] else { continue }
                for name in pass == 0 ? file.names : file.formerNames
                where !table.insert(file: position, range: name.range, hash: name.hash) {
                    return false
                }
            }
        }
        return true
    }

    /// A flag any thread may raise.
    private final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var raised = false

        var isSet: Bool { lock.withLock { raised } }
        func set() { lock.withLock { raised = true } }
    }

    /// A set of names, each kept as where it lies (a file's position among the inputs and a
    /// byte range), so that nothing is copied per name; bytes are compared only when two
    /// hashes share their high 32 bits.
    private struct NameSet {
        typealias Inputs = [(file: String, bytes: [UInt8])?]
        private let inputs: Inputs
        private var slots: [UInt64]
        private var names: [(file: Int, range: Range<Int>)] = []

        init(capacity: Int, of inputs: Inputs) {
            self.inputs = inputs
            var size = 16
            while size < capacity * 2 { size <<= 1 }
            slots = [UInt64](repeating: 0, count: size)
            names.reserveCapacity(capacity)
        }

        /// Adds the name at `range` of input `file` (whose `ByteScan.hash` is `hash`); false
        /// when it was there.
        mutating func insert(file: Int, range: Range<Int>, hash: UInt64) -> Bool {
            let mask = slots.count - 1
            let tag = hash & 0xFFFF_FFFF_0000_0000
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 {
                let entry = slots[slot]
                if entry & 0xFFFF_FFFF_0000_0000 == tag {
                    let other = names[Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1]
                    if same(other.file, other.range, file, range) { return false }
                }
                slot = (slot + 1) & mask
            }
            names.append((file, range))
            slots[slot] = tag | UInt64(names.count)
            return true
        }

        private func same(_ a: Int, _ aRange: Range<Int>, _ b: Int, _ bRange: Range<Int>) -> Bool {
            guard let first = inputs[a]?.bytes, let second = inputs[b]?.bytes else { return false }
            return first[aRange].elementsEqual(second[bRange])
        }
    }

    struct FileOutcome {
        var diagnostics: [Diagnostic] = []
        var redactions: [Range<Int>] = []
        /// The parsed file and its integrations (nil when it does not parse).
        var checked: CrossFileRules.File?
    }

    /// Steps 2 to 5 for every file read, in parallel when worthwhile; outcomes in input order.
    private static func check(
        _ inputs: [(file: String, bytes: [UInt8])?], environment: [String: String], catalog: CatalogIndex?,
        parallel: Bool, reference: Bool
    ) -> [FileOutcome] {
        let total = inputs.reduce(0) { $0 + ($1?.bytes.count ?? 0) }
        guard parallel, inputs.count > 1, total >= parallelThreshold else {
            return inputs.enumerated().map { position, input in
                input.map { loadFile($0.file, bytes: $0.bytes, position: position, environment: environment, catalog: catalog, reference: reference) }
                    ?? FileOutcome()
            }
        }
        return ParallelMap.map(count: inputs.count) { position in
            guard let input = inputs[position] else { return FileOutcome() }
            return loadFile(
                input.file, bytes: input.bytes, position: position, environment: environment, catalog: catalog,
                reference: reference)
        }
    }

    /// Steps 2 to 5 for one file; `position` is the file's place in the list read.
    static func loadFile(
        _ file: String, bytes: [UInt8], position: Int, environment: [String: String], catalog: CatalogIndex?,
        reference: Bool = false
    ) -> FileOutcome {
        var outcome = FileOutcome()
        let document: JSONDocument
        do {
            document = try JSONDocument.parse(bytes, file: file)
        } catch {
            // A file that does not parse still has its secrets found and masked: its source
            // lines are shown under the syntax error.
            let secrets = StringScan.secretsInUnparsedText(bytes, file: file)
            outcome.diagnostics = error.diagnostics + secrets.diagnostics
            outcome.redactions = secrets.redactions
            return outcome
        }
        let source = SourceFile(path: file, document: document)
        var scan = StringScan(environment: environment)
        if reference { scan.scanEveryString(source) } else { scan.scan(source) }
        outcome.diagnostics += scan.diagnostics
        outcome.redactions = scan.redactions
        outcome.diagnostics += ManifestSchema.diagnostics(for: source, inPlace: !reference)
        var scanner = IntegrationScanner(source: source, file: position, catalog: catalog)
        if !reference { scanner.scan() }
        outcome.checked = CrossFileRules.File(source: source, scanned: scanner.result)
        return outcome
    }
}

/// What loading manifests produced: the model, every diagnostic (sorted), and the files'
/// bytes for rendering source lines.
public struct ManifestLoadResult: Sendable {
    /// The desired state; meaningful only when `hasErrors` is false. Decoded from the parsed
    /// files on each use (validating needs only the diagnostics): keep it rather than ask twice.
    public var model: ManifestModel {
        get { assignedModel ?? ManifestLoadResult.decodeModel(loaded, files: files) }
        set { assignedModel = newValue }
    }
    private var assignedModel: ManifestModel?
    /// The model's specs alone (`model.specs`), decoded without working out any location:
    /// for stages that never point back at the manifest, such as the plan.
    public var specs: [IntegrationSpec] {
        assignedModel?.specs ?? ManifestSpecDecoder.specs(loaded)
    }
    /// The files that parsed, with their substitutions.
    var loaded: [LoadedManifestFile] = []
    /// Whether the fast path found every file clean (`diagnosticsOnly`): then there is no
    /// model, and nothing but the findings, files and sources.
    public internal(set) var isCertified = false
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

    /// The specs and locations of every integration, the first of each name.
    static func decodeModel(_ loaded: [LoadedManifestFile], files: [String]) -> ManifestModel {
        var specs: [IntegrationSpec] = []
        var locations: [String: IntegrationLocations] = [:]
        for file in loaded {
            for draft in ManifestDecoder.decode(SourceFile(file)) where locations[draft.spec.name] == nil {
                specs.append(draft.spec)
                locations[draft.spec.name] = draft.locations
            }
        }
        return ManifestModel(specs: specs, locations: locations, files: files)
    }

    /// Sorted by file, line, column, then severity, code and message; findings without a
    /// location come last, in their given order.
    public static func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        let located = diagnostics.filter { $0.location != nil }
        let unplaced = diagnostics.filter { $0.location == nil }
        return located.sorted { a, b in
            guard let l = a.location, let r = b.location else { return false }
            // Files in byte order, as they are read.
            if l.file != r.file { return ManifestDiscovery.precedes(l.file, r.file) }
            if l.line != r.line { return l.line < r.line }
            if l.column != r.column { return l.column < r.column }
            if a.severity != b.severity { return a.severity < b.severity }
            if a.code != b.code { return a.code < b.code }
            return a.message < b.message
        } + unplaced
    }
}
