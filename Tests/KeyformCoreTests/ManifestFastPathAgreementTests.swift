import Foundation
@testable import KeyformCore
import KeyformJSON
import KeyformTestSupport
import Testing

/// `ManifestLoader.load(…, diagnosticsOnly: true)` first reads each file with
/// `ManifestFastCheck`, and skips the full pipeline when every file is clean. That is only
/// sound if "clean" means the full pipeline would report nothing. Every input here is loaded
/// both ways and must give the same findings, redactions, files and sources; a certified load
/// must be one the full pipeline finds nothing wrong with. The inputs: the examples, a
/// generated manifest the fast path must certify, and thousands of reproducible mutants of
/// valid manifests (a failure prints the mutant's text and the mutations that made it).
@Suite struct ManifestFastPathAgreementTests {
    static let environment = ["HOOKS_HOST": "hooks.example.com"]

    /// What one input gave, loaded both ways.
    struct Comparison {
        var certified: Bool
        var full: ManifestLoadResult
        /// Each way the two loads disagree, or the certificate is wrong; empty when sound.
        var problems: [String]
    }

    /// What a certified load reports: nothing, or offline the note that catalog rules were skipped.
    static func cleanDiagnostics(catalog: Catalog?) -> [Diagnostic] {
        catalog == nil ? [.catalogRulesSkipped()] : []
    }

    static func compare(
        _ fileSystem: InMemoryFileSystem, path: String, catalog: Catalog?, environment: [String: String] = environment
    ) -> Comparison {
        func load(diagnosticsOnly: Bool) -> ManifestLoadResult {
            ManifestLoader.load(
                path: path, fileSystem: fileSystem, environment: environment, catalog: catalog, parallel: false,
                diagnosticsOnly: diagnosticsOnly)
        }
        let fast = load(diagnosticsOnly: true)
        let full = load(diagnosticsOnly: false)
        var problems: [String] = []
        let brief = ManifestFixtures.brief
        if fast.diagnostics != full.diagnostics {
            problems.append("diagnostics differ\n  fast path:\n\(brief(fast.diagnostics))  full pipeline:\n\(brief(full.diagnostics))")
        }
        if fast.redactions != full.redactions { problems.append("redactions differ: \(fast.redactions) vs \(full.redactions)") }
        if fast.files != full.files { problems.append("files differ: \(fast.files) vs \(full.files)") }
        if fast.sources != full.sources { problems.append("sources differ") }
        if full.isCertified { problems.append("the full pipeline says it is certified") }
        if fast.isCertified, full.diagnostics != cleanDiagnostics(catalog: catalog) {
            problems.append("certified, but the full pipeline reports:\n\(brief(full.diagnostics))")
        }
        return Comparison(certified: fast.isCertified, full: full, problems: problems)
    }

    @Test func theEmbeddedSchemaCompilesToTheFastChecks() {
        #expect(ManifestFastCheck.embedded != nil, "the fast path is off: the manifest schema no longer compiles to its checks")
    }

    /// Each file and gallery case alone, then the whole directory, with and without the
    /// catalog. The quickstart, being valid, is certified.
    @Test(arguments: ["examples/quickstart", "examples/invalid"])
    func theExamplesAgree(_ directory: String) {
        let fileSystem = ManifestFixtures.repositoryFiles(under: directory)
        let cases = directory == ManifestGalleryTests.directory ? ManifestGalleryTests.cases.map { "\(directory)/\($0)" } : []
        let paths = [directory] + cases + ManifestDiscovery.find(at: directory, in: fileSystem).files
        #expect(paths.count > 3)
        for path in paths {
            for catalog in [Catalog.default, nil] {
                let comparison = Self.compare(fileSystem, path: path, catalog: catalog)
                #expect(comparison.problems.isEmpty, "\(path), catalog: \(catalog != nil)\n\(comparison.problems.joined(separator: "\n"))")
                if directory == "examples/quickstart" { #expect(comparison.certified, "\(path), catalog: \(catalog != nil)") }
            }
        }
    }

    /// The benchmark's shape of integration: the three credential types, services from the
    /// default catalog, events on `ccstorage` and `aem` (some through `${env:HOOKS_HOST}`),
    /// allowed domains, redirect URIs and former names.
    static func generatedIntegration(_ n: Int) -> JSON {
        var members: [JSONMember] = [
            JSONMember("name", .string("shop\(n)catalog")),
            JSONMember("title", .string("Shop \(n) Catalog")),
            JSONMember("description", .string("Catalog images and asset hooks for shop \(n), owned by the commerce team.")),
        ]
        switch n % 3 {
        case 0:
            members += [
                JSONMember("type", "apiKey"),
                JSONMember("allowedDomains", ["www.example.com", .string("shop\(n).example.com")]),
                JSONMember("services", ["StockSDK", "ViewSDK"]),
            ]
        case 1:
            members += [
                JSONMember("type", "oauth"),
                JSONMember("redirectUris", [.string("https://shop\(n).example.com/adobe/callback")]),
                JSONMember("services", ["CCStorageSdk", "PhotoshopSDK"]),
                JSONMember("events", [.object([
                    JSONMember("name", "asset-sync"), JSONMember("provider", "ccstorage"),
                    JSONMember("eventCodes", ["asset_created", "asset_updated"]),
                    JSONMember("webhookUrl", .string("https://${env:HOOKS_HOST}/adobe/shop\(n)/assets")),
                ])]),
            ]
        default:
            members += [
                JSONMember("type", "serviceAccount"),
                JSONMember("services", ["LightroomSDK", "UserMgmtSDK"]),
                JSONMember("events", [.object([
                    JSONMember("name", "published"), JSONMember("provider", "aem"), JSONMember("eventCodes", ["asset_published"]),
                    JSONMember("webhookUrl", .string("https://reports.example.com/hooks/shop\(n)")),
                ])]),
                JSONMember("protected", true),
                JSONMember("formerNames", [.string("shop\(n)legacy")]),
            ]
        }
        return .object(members)
    }

    static func generatedManifest(_ numbers: Range<Int>) -> JSON {
        .object([
            JSONMember("$schema", "../schemas/manifest.schema.json"),
            JSONMember("integrations", .array(numbers.map(generatedIntegration))),
        ])
    }

    /// Two generated files of valid integrations: the fast path must certify them, and the
    /// full pipeline agree that there is nothing to say (offline, but the note).
    @Test(arguments: [Catalog.default, nil])
    func aGeneratedManifestIsCertified(_ catalog: Catalog?) {
        let fileSystem = InMemoryFileSystem(files: [
            "m/team000.json": Self.generatedManifest(0..<30).canonicalBytes(),
            "m/team001.json": Array(Self.generatedManifest(30..<60).compactText().utf8),
        ])
        let comparison = Self.compare(fileSystem, path: "m", catalog: catalog)
        #expect(comparison.problems.isEmpty, "\(comparison.problems.joined(separator: "\n"))")
        #expect(comparison.certified)
        #expect(comparison.full.diagnostics == Self.cleanDiagnostics(catalog: catalog))
        #expect(comparison.full.files == ["m/team000.json", "m/team001.json"])
    }

    /// A variable whose name is not ASCII may still be the one a reference names: `String`
    /// equality is canonical equivalence, and U+212A KELVIN SIGN is a K. The fast path
    /// substitutes by bytes, so it must leave such environments to the general substitution.
    @Test func aVariableNamedInAnotherScriptIsSubstitutedAsTheFullPipelineDoes() {
        let manifest = ManifestMutator.escapedManifest.replacingOccurrences(of: "${env:HOOKS_HOST}", with: "${env:KEY}")
        let fileSystem = InMemoryFileSystem(files: ["m/a.json": Array(manifest.utf8)])
        var environment = ManifestMutator.environment
        environment["\u{212A}EY"] = "hooks.example.com"
        let comparison = Self.compare(fileSystem, path: "m", catalog: .default, environment: environment)
        #expect(comparison.problems.isEmpty, "\(comparison.problems.joined(separator: "\n"))")
        #expect(comparison.full.diagnostics.isEmpty)
    }

    /// What Python's `json.dump` writes by default: every non-ASCII character as a `\u` escape
    /// (surrogate pairs beyond the BMP). Such files are read by the fast path, and a `\u0024`
    /// that spells `${env:…}` is substituted as the full pipeline does.
    @Test func aManifestWrittenWithUnicodeEscapesIsCertified() {
        let manifest = #"""
            {"integrations": [{"name": "cafereports", "title": "\u0043afe Reports",
              "description": "Caf\u00e9 cr\u00e8me reports \ud83d\ude00 for the Z\u00fcrich office.",
              "type": "serviceAccount", "services": ["LightroomSDK"],
              "events": [{"name": "cafe-hook", "provider": "aem", "eventCodes": ["asset_published"],
                "webhookUrl": "https://\u0024{env:HOOKS_HOST}/caf\u00e9"}]}]}
            """#
        let fileSystem = InMemoryFileSystem(files: ["m/a.json": Array(manifest.utf8)])
        let comparison = Self.compare(fileSystem, path: "m", catalog: .default, environment: ManifestMutator.environment)
        #expect(comparison.problems.isEmpty, "\(comparison.problems.joined(separator: "\n"))")
        #expect(comparison.full.diagnostics.isEmpty)
        #expect(comparison.certified)
    }

    /// Simple escapes, `${env:…}` and non-ASCII text are read by the fast path, not given up on.
    @Test func aManifestWithEscapesAndSubstitutionsIsCertified() {
        let fileSystem = InMemoryFileSystem(files: ["m/a.json": Array(ManifestMutator.escapedManifest.utf8)])
        let comparison = Self.compare(fileSystem, path: "m", catalog: .default, environment: ManifestMutator.environment)
        #expect(comparison.problems.isEmpty, "\(comparison.problems.joined(separator: "\n"))")
        #expect(comparison.certified)
    }

    /// Loads with a finding before any file is checked (nothing found, or a file that cannot
    /// be read beside clean ones) are not certified: a certificate means nothing to report.
    @Test(arguments: [
        "empty directory", "missing path", "unreadable file alone", "unreadable file beside a clean one",
        "unreadable directory beside a clean file",
    ])
    func loadsWithoutCleanFilesAreNotCertified(_ situation: String) {
        var fileSystem = InMemoryFileSystem()
        let clean = Self.generatedManifest(0..<3).canonicalBytes()
        switch situation {
        case "empty directory":
            fileSystem.addDirectory("m")
        case "missing path":
            fileSystem.addFile("other/a.json", clean)
        case "unreadable file beside a clean one":
            fileSystem.addFile("m/a.json", clean)
            fileSystem.addFile("m/b.json", Array(Self.generatedManifest(3..<6).compactText().utf8))
            fileSystem.makeUnreadable("m/b.json")
        case "unreadable directory beside a clean file":
            fileSystem.addFile("m/a.json", clean)
            fileSystem.addFile("m/sub/b.json", Array(Self.generatedManifest(3..<6).compactText().utf8))
            fileSystem.makeUnreadable("m/sub")
        default:
            fileSystem.addFile("m/a.json", clean)
            fileSystem.makeUnreadable("m/a.json")
        }
        for catalog in [Catalog.default, nil] {
            let comparison = Self.compare(fileSystem, path: "m", catalog: catalog)
            #expect(comparison.full.hasErrors, "\(situation)")
            #expect(comparison.problems.isEmpty, "\(situation), catalog: \(catalog != nil)\n\(comparison.problems.joined(separator: "\n"))")
        }
    }

    /// 2,500 registrations over two files are clean, and certified; one more is not.
    @Test func theOrganizationQuotaIsCheckedAcrossFiles() {
        func integration(_ name: String, events: Int) -> JSON {
            .object([
                JSONMember("name", .string(name)), JSONMember("description", "Quota check for the hooks team"), JSONMember("type", "oauth"),
                JSONMember("redirectUris", ["https://q.example.com/cb"]), JSONMember("services", ["CCStorageSdk"]),
                JSONMember("events", .array((0..<events).map { k in
                    .object([
                        JSONMember("name", .string("registration\(k)")), JSONMember("provider", "ccstorage"),
                        JSONMember("eventCodes", ["asset_created"]), JSONMember("webhookUrl", .string("https://hooks.example.com/q\(k)")),
                    ])
                })),
            ])
        }
        func file(_ number: Int, integrations: Int, last: Int) -> [UInt8] {
            let list = (0..<integrations).map { n in integration("quota\(number)x\(n)", events: n == integrations - 1 ? last : 30) }
            return Array(JSON.object([JSONMember("integrations", .array(list))]).compactText().utf8)
        }
        for last in [10, 11] {
            // 43 × 30 in the first file, 40 × 30 and `last` in the second: 2,490 and `last`.
            let fileSystem = InMemoryFileSystem(files: [
                "m/a.json": file(0, integrations: 43, last: 30), "m/b.json": file(1, integrations: 41, last: last),
            ])
            let comparison = Self.compare(fileSystem, path: "m", catalog: .default)
            #expect(comparison.problems.isEmpty, "\(comparison.problems.joined(separator: "\n"))")
            #expect(comparison.certified == (last == 10))
            #expect(comparison.full.diagnostics.map(\.code) == (last == 10 ? [] : [DiagnosticCodes.registrationsPerOrganization]))
        }
    }

    /// Thousands of mutants of valid manifests, one or two files each, every fifth offline:
    /// each must load the same both ways, and both ways must be taken.
    @Test func mutantsAgree() throws {
        let quickstart = try ["creative-assets.json", "stock-search-web.json", "platform/reporting.json"].map {
            try ManifestFixtures.repositoryFile("examples/quickstart/\($0)")
        }
        let trees = try quickstart.map { try JSON.parse($0) } + [Self.generatedManifest(0..<6)]
        let texts = quickstart + [Array(ManifestMutator.escapedManifest.utf8)]
        var mutator = ManifestMutator(random: SeededGenerator(seed: Self.seed))
        var (certified, uncertified, failures) = (0, 0, 0)
        for number in 0..<Self.mutants {
            mutator.log = []
            let (files, catalog) = mutator.mutant(trees: trees, texts: texts, offline: number % 5 == 4)
            let comparison = Self.compare(InMemoryFileSystem(files: files), path: "m", catalog: catalog, environment: ManifestMutator.environment)
            if comparison.certified { certified += 1 } else { uncertified += 1 }
            guard !comparison.problems.isEmpty else { continue }
            failures += 1
            if failures <= 10 {
                Issue.record(
                    """
                    mutant \(number) (catalog: \(catalog != nil)), made by: \(mutator.log.joined(separator: "; "))
                    \(Self.describe(files))
                    \(comparison.problems.joined(separator: "\n"))
                    """)
            }
        }
        #expect(failures == 0, "\(failures) of \(Self.mutants) mutants disagree")
        #expect(certified > 0, "no mutant was certified: the fast path is never taken")
        #expect(uncertified > 0, "every mutant was certified")
    }

    /// 3,000 mutants from a fixed seed; `KEYFORM_MUTANTS` and `KEYFORM_MUTANT_SEED` run
    /// longer or other series (`KEYFORM_MUTANTS=200000 swift test --filter mutantsAgree`).
    static let mutants = ProcessInfo.processInfo.environment["KEYFORM_MUTANTS"].flatMap { Int($0) } ?? 3000
    static let seed = ProcessInfo.processInfo.environment["KEYFORM_MUTANT_SEED"].flatMap { UInt64($0) } ?? 0x5EED_F00D

    /// The files' texts for a failure message; bytes that are not printable are shown as `\x{HH}`
    /// unless the text is valid UTF-8 with no control character but line breaks and tabs.
    static func describe(_ files: [String: [UInt8]]) -> String {
        files.keys.sorted().map { path in
            let bytes = files[path] ?? []
            let plain = bytes.allSatisfy { $0 >= 0x20 && $0 != 0x7F || $0 == 0x0A || $0 == 0x09 }
            let escaped = bytes.map { byte in
                (0x20..<0x7F).contains(byte) || byte == 0x0A ? String(UnicodeScalar(byte)) : String(format: "\\x{%02X}", byte)
            }
            let text = (plain ? String(validating: bytes, as: UTF8.self) : nil) ?? escaped.joined()
            return "--- \(path) (\(bytes.count) bytes) ---\n\(text)"
        }.joined(separator: "\n")
    }
}
