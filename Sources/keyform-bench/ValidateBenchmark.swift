import Foundation
import KeyformCore
import KeyformJSON

/// `keyform validate` on 10,000 generated integrations (100 manifest files of 100), next to
/// parsing the same bytes with the same located parser (the target: validate at most 2× parse).
///
/// Both sides read from an in-memory file system, so the figure is the work of validation
/// (parse, `${env:…}` and secret scan, schema, decoding with locations, semantic rules with the
/// default catalog), not the disk.
enum ValidateBenchmark {
    static let files = 100
    static let perFile = 100
    /// Rounds of measurement: each round runs every step once, interleaved, so that a busy
    /// machine slows all steps of a round alike; each figure is its step's fastest round.
    static let rounds = 25

    static func run() throws {
        let manifests = generate()
        let fileSystem = InMemoryFileSystem(files: manifests)
        let totalBytes = manifests.values.reduce(0) { $0 + $1.count }
        let sorted = manifests.keys.sorted()

        let check = ManifestLoader.load(path: "integrations", fileSystem: fileSystem, environment: environment, catalog: .default)
        guard check.diagnostics.isEmpty, check.model.specs.count == files * perFile else {
            throw Invalid(diagnostics: Array(check.diagnostics.prefix(3)), specs: check.model.specs.count)
        }
        func load(catalog: Catalog?, parallel: Bool, diagnosticsOnly: Bool = true) -> ManifestLoadResult {
            ManifestLoader.load(
                path: "integrations", fileSystem: fileSystem, environment: environment, catalog: catalog, parallel: parallel,
                diagnosticsOnly: diagnosticsOnly)
        }
        // The same files but the last, where one integration is named "test" (a lint
        // warning): the fast path gives up there and the full pipeline runs.
        var flawed = manifests
        let last = sorted[sorted.count - 1]
        flawed[last] = Array(String(decoding: manifests[last] ?? [], as: UTF8.self)
            .replacingOccurrences(of: "\"name\": \"shop9999catalog\"", with: "\"name\": \"test\"").utf8)
        let flawedFileSystem = InMemoryFileSystem(files: flawed)
        func loadFlawed(parallel: Bool) -> ManifestLoadResult {
            ManifestLoader.load(
                path: "integrations", fileSystem: flawedFileSystem, environment: environment, catalog: .default, parallel: parallel,
                diagnosticsOnly: true)
        }
        guard loadFlawed(parallel: false).diagnostics.map(\.code) == [DiagnosticCodes.genericName] else {
            throw Invalid(diagnostics: loadFlawed(parallel: false).diagnostics, specs: -2)
        }
        // What `keyform validate` does: the fast path must find every file clean here.
        let certified = load(catalog: .default, parallel: false)
        guard certified.isCertified, certified.diagnostics.isEmpty else {
            throw Invalid(diagnostics: Array(certified.diagnostics.prefix(3)), specs: -1)
        }
        if CommandLine.arguments.contains("--profile") {
            // For `perf record`: only the loader, many times (one thread unless `--parallel`).
            let parallel = CommandLine.arguments.contains("--parallel")
            for _ in 0..<200 { _ = load(catalog: .default, parallel: parallel) }
            return
        }
        // The schema stage on its own, both ways, with the public API.
        let documents = sorted.compactMap { try? JSONDocument.parse(manifests[$0] ?? [], file: $0) }
        let schema = try JSONSchema(compiling: JSON.parse(EmbeddedSchemas.manifest))
        let trees = documents.map { $0.root.json }

        let steps: [(name: String, body: () -> Void)] = [
            ("parse (JSONDocument.parse, every file)", {
                for path in sorted { _ = try? JSONDocument.parse(manifests[path] ?? [], file: path) }
            }),
            ("parse to an owned tree (JSON.parse, every file)", {
                for path in sorted { _ = try? JSON.parse(manifests[path] ?? []) }
            }),
            ("  stage: schema in place (JSONSchema.isValid on the parsed documents)", {
                for document in documents { _ = schema.isValid(document.root) }
            }),
            ("  stage, before: materialize the trees (document.root.json)", {
                for document in documents { _ = document.root.json }
            }),
            ("  stage, before: schema on the trees (JSONSchema.validate)", {
                for tree in trees { _ = schema.validate(tree) }
            }),
            ("validate, one thread (ManifestLoader.load as `keyform validate` calls it, default catalog)", {
                _ = load(catalog: .default, parallel: false)
            }),
            ("validate, files in parallel (the default)", { _ = load(catalog: .default, parallel: true) }),
            ("validate --offline, one thread", { _ = load(catalog: nil, parallel: false) }),
            ("validate with one warning in the last file (the fast path gives up there), one thread", {
                _ = loadFlawed(parallel: false)
            }),
            ("validate with one warning in the last file, files in parallel", { _ = loadFlawed(parallel: true) }),
            ("full pipeline, one thread (what `plan` runs, and validate when a file is not clean)", {
                _ = load(catalog: .default, parallel: false, diagnosticsOnly: false)
            }),
            ("full pipeline and the located model (ManifestLoadResult.model, which no command uses: plan reads the specs alone), one thread", {
                _ = load(catalog: .default, parallel: false, diagnosticsOnly: false).model
            }),
            // Floors: what any validator costs beyond the parse before doing a single check.
            // The two walks are written out in full on purpose: through a shared helper taking
            // a closure, the captured sum was kept in a box and the floors read 10-15% higher.
            ("floor: parse, then one pass over every tape node", {
                var sink = 0
                for path in sorted {
                    guard let document = try? JSONDocument.parse(manifests[path] ?? [], file: path) else { continue }
                    document.withTapeView { view in
                        let end = view.end(of: 0)
                        var i = 0
                        while i < end {
                            if view.kind(i) == .string { sink &+= view.offset(i) }
                            i += 1
                        }
                    }
                }
                floorSink = sink
            }),
            ("floor: parse, then every string's bytes read once, 8 at a time (the least a secret scan reads)", {
                var sink: UInt64 = 0
                for path in sorted {
                    guard let document = try? JSONDocument.parse(manifests[path] ?? [], file: path) else { continue }
                    document.withTapeView { view in
                        let end = view.end(of: 0)
                        var i = 0
                        while i < end {
                            if view.kind(i) == .string {
                                let raw = view.rawString(i)
                                var k = 0
                                while k + 8 <= raw.count {
                                    sink |= UnsafeRawPointer(raw.baseAddress! + k).loadUnaligned(as: UInt64.self)
                                    k += 8
                                }
                                while k < raw.count { sink |= UInt64(raw[k]); k += 1 }
                            }
                            i += 1
                        }
                    }
                }
                floorSink = Int(truncatingIfNeeded: sink)
            }),
            ("parse, files on both cores (as validate spreads them)", {
                DispatchQueue.concurrentPerform(iterations: sorted.count) { position in
                    _ = try? JSONDocument.parse(manifests[sorted[position]] ?? [], file: sorted[position])
                }
            }),
            ("for scale: Foundation JSONSerialization.jsonObject, every file", {
                for path in sorted { _ = try? JSONSerialization.jsonObject(with: Data(manifests[path] ?? [])) }
            }),
        ]
        var fastest = [Double](repeating: .infinity, count: steps.count)
        var all = [[Double]](repeating: [], count: steps.count)
        for _ in 0..<rounds {
            for (position, step) in steps.enumerated() {
                let seconds = SchemaBenchmark.best(of: 1, step.body)
                fastest[position] = min(fastest[position], seconds)
                all[position].append(seconds)
            }
        }
        let megabytes = Double(totalBytes) / 1_000_000
        print("manifests: \(files) files, \(files * perFile) integrations, \(String(format: "%.2f", megabytes)) MB; fastest and median of \(rounds) rounds")
        for (position, step) in steps.enumerated() {
            let median = all[position].sorted()[all[position].count / 2]
            print(String(
                format: "%@: %.2f ms (median %.2f ms, %.0f MB/s)", step.name, fastest[position] * 1000, median * 1000,
                megabytes / fastest[position]))
        }
        let parse = fastest[0], owned = fastest[1], single = fastest[5], parallel = fastest[6], full = fastest[10]
        print(String(format: "validate / parse: one thread %.2f, in parallel %.2f (target ≤ 2)", single / parse, parallel / parse))
        print(String(format: "full pipeline / parse: one thread %.2f", full / parse))
        print(String(format: "validate / owned-tree parse: one thread %.2f, in parallel %.2f", single / owned, parallel / owned))
        let parallelParse = fastest[steps.count - 2]
        print(String(format: "validate / parse, both on both cores: %.2f", parallel / parallelParse))
        let foundation = fastest[steps.count - 1]
        print(String(format: "validate / JSONSerialization parse: one thread %.2f, in parallel %.2f", single / foundation, parallel / foundation))
    }

    static let environment = ["HOOKS_HOST": "hooks.example.com"]
    /// Keeps the floors' results alive, so the optimizer cannot drop their work.
    nonisolated(unsafe) static var floorSink = 0

    struct Invalid: Error, CustomStringConvertible {
        let diagnostics: [Diagnostic]
        let specs: Int
        var description: String { "the generated manifests are not valid (\(specs) specs): \(diagnostics)" }
    }

    private static func row(_ name: String, _ seconds: Double, _ megabytes: Double) -> String {
        String(format: "%@: %.2f ms (%.0f MB/s)", name, seconds * 1000, megabytes / seconds)
    }

    /// 100 files of 100 integrations, cycling through the three credential types, with
    /// services, 2,000 event registrations (under the organization quota of 2,500), some with
    /// an `${env:…}` webhook host, and former names on the service accounts.
    static func generate() -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        for file in 0..<files {
            var integrations: [JSON] = []
            for k in 0..<perFile {
                let n = file * perFile + k
                integrations.append(integration(n))
            }
            let document: JSON = .object([
                JSONMember("$schema", "../schemas/manifest.schema.json"),
                JSONMember("integrations", .array(integrations)),
            ])
            result["integrations/team\(String(format: "%03d", file)).json"] = Array(document.canonicalText().utf8)
        }
        return result
    }

    static func integration(_ n: Int) -> JSON {
        let name = "shop\(n)catalog"
        var members: [JSONMember] = [
            JSONMember("name", .string(name)),
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
            ]
            // Registrations: 1,333 here and 667 on service accounts, 2,000 in all.
            if n % 15 == 1 || n % 15 == 4 {
                members.append(JSONMember("events", [
                    .object([
                        JSONMember("name", "asset-sync"),
                        JSONMember("provider", "ccstorage"),
                        JSONMember("eventCodes", ["asset_created", "asset_updated"]),
                        JSONMember("webhookUrl", .string("https://${env:HOOKS_HOST}/adobe/shop\(n)/assets")),
                    ])
                ]))
            }
        default:
            members += [
                JSONMember("type", "serviceAccount"),
                JSONMember("services", ["LightroomSDK", "UserMgmtSDK"]),
            ]
            if n % 15 == 2 {
                members.append(JSONMember("events", [
                    .object([
                        JSONMember("name", "published"),
                        JSONMember("provider", "aem"),
                        JSONMember("eventCodes", ["asset_published"]),
                        JSONMember("webhookUrl", .string("https://reports.example.com/hooks/shop\(n)")),
                    ])
                ]))
            }
            members += [
                JSONMember("protected", true),
                JSONMember("formerNames", [.string("shop\(n)legacy")]),
            ]
        }
        return .object(members)
    }
}
