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

    static func run() throws {
        let manifests = generate()
        let fileSystem = InMemoryFileSystem(files: manifests)
        let totalBytes = manifests.values.reduce(0) { $0 + $1.count }
        let sorted = manifests.keys.sorted()

        let check = ManifestLoader.load(path: "integrations", fileSystem: fileSystem, environment: environment, catalog: .default)
        guard check.diagnostics.isEmpty, check.model.specs.count == files * perFile else {
            throw Invalid(diagnostics: Array(check.diagnostics.prefix(3)), specs: check.model.specs.count)
        }
        if CommandLine.arguments.contains("--profile") {
            // For `perf record`: only the loader, single-threaded, many times.
            for _ in 0..<200 {
                _ = ManifestLoader.load(path: "integrations", fileSystem: fileSystem, environment: environment, catalog: .default, parallel: false)
            }
            return
        }
        let parse = SchemaBenchmark.best(of: 7) {
            for path in sorted { _ = try? JSONDocument.parse(manifests[path] ?? [], file: path) }
        }
        // The stages the loader runs, measured on their own with the public API.
        let documents = sorted.compactMap { try? JSONDocument.parse(manifests[$0] ?? [], file: $0) }
        let schema = try JSONSchema(compiling: JSON.parse(EmbeddedSchemas.manifest))
        let trees = documents.map { $0.root.json }
        let ownedParse = SchemaBenchmark.best(of: 7) {
            for path in sorted { _ = try? JSON.parse(manifests[path] ?? []) }
        }
        let materialize = SchemaBenchmark.best(of: 7) { for document in documents { _ = document.root.json } }
        let schemaOnly = SchemaBenchmark.best(of: 7) { for tree in trees { _ = schema.validate(tree) } }
        let validate = SchemaBenchmark.best(of: 7) {
            _ = ManifestLoader.load(path: "integrations", fileSystem: fileSystem, environment: environment, catalog: .default, parallel: false)
        }

        let offline = SchemaBenchmark.best(of: 7) {
            _ = ManifestLoader.load(path: "integrations", fileSystem: fileSystem, environment: environment, catalog: nil)
        }
        let megabytes = Double(totalBytes) / 1_000_000
        print("manifests: \(files) files, \(files * perFile) integrations, \(String(format: "%.2f", megabytes)) MB")
        print(row("parse (JSONDocument.parse, every file)", parse, megabytes))
        print(row("parse to an owned tree (JSON.parse, every file)", ownedParse, megabytes))
        print(row("  stage: materialize the tree (document.root.json)", materialize, megabytes))
        print(row("  stage: schema validation of the trees (JSONSchema.validate)", schemaOnly, megabytes))
        print(row("validate (ManifestLoader.load, default catalog)", validate, megabytes))
        print(row("validate --offline", offline, megabytes))
        let rest = validate - parse - materialize - schemaOnly
        print(row("  the rest: string scan, decoding with locations, rules", rest, megabytes))
        print(String(format: "validate / parse = %.2f (target ≤ 2); validate / owned-tree parse = %.2f", validate / parse, validate / ownedParse))
    }

    static let environment = ["HOOKS_HOST": "hooks.example.com"]

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
