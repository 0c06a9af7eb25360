import Foundation
import KeyformCore
import KeyformJSON
import KeyformTestSupport
import Testing

/// `schemas/manifest.schema.json` is the single source of truth for structure: the binary
/// embeds it byte for byte, and every example is checked against the file itself.
@Suite struct ManifestSchemaFileTests {
    static let structuralCodes: Set<String> = [
        "KF201", "KF202", "KF203", "KF204", "KF205", "KF206", "KF207", "KF208",
        DiagnosticCodes.allowedDomainsNotOnAPIKey, DiagnosticCodes.redirectURIsOnlyOnOAuth,
    ]

    static func schemaFromFile(_ name: String) throws -> JSONSchema {
        try JSONSchema(compiling: try JSON.parse(try ManifestFixtures.repositoryFile("schemas/\(name)")))
    }

    @Test func theEmbeddedManifestSchemaIsTheFileByteForByte() throws {
        let file = try ManifestFixtures.repositoryFile("schemas/manifest.schema.json")
        let embedded = Array(EmbeddedSchemas.manifest.utf8)
        let diff = Golden.lineDiff(expected: String(decoding: file, as: UTF8.self), actual: EmbeddedSchemas.manifest)
        #expect(embedded == file, "schemas/manifest.schema.json and the embedded copy differ; run scripts/embed-schemas.sh\n\(diff)")
    }

    @Test func theEmbeddedConfigurationSchemaIsTheFileByteForByte() throws {
        let file = try ManifestFixtures.repositoryFile("schemas/config.schema.json")
        let embedded = Array(EmbeddedSchemas.configuration.utf8)
        let diff = Golden.lineDiff(expected: String(decoding: file, as: UTF8.self), actual: EmbeddedSchemas.configuration)
        #expect(embedded == file, "schemas/config.schema.json and the embedded copy differ; run scripts/embed-schemas.sh\n\(diff)")
    }

    @Test(arguments: ["manifest.schema.json", "config.schema.json", "plan.schema.json"])
    func everyPropertyHasATitleAndADescription(_ name: String) throws {
        let document = try JSON.parse(try ManifestFixtures.repositoryFile("schemas/\(name)"))
        var missing: [String] = []
        func visit(_ schema: JSON, at path: String) {
            guard case .object(let members) = schema else { return }
            for member in members where !["if", "then", "else", "not"].contains(member.key) {
                if member.key == "properties", case .object(let properties) = member.value {
                    for property in properties {
                        let own = property.value
                        let referenced = own["$ref"]?.stringValue.flatMap { ref -> JSON? in
                            ref.hasPrefix("#/$defs/") ? document["$defs"]?[String(ref.dropFirst(8))] : nil
                        }
                        if own["title"] == nil && referenced?["title"] == nil { missing.append("\(path)/\(property.key): title") }
                        if own["description"] == nil && referenced?["description"] == nil {
                            missing.append("\(path)/\(property.key): description")
                        }
                    }
                }
                visit(member.value, at: "\(path)/\(member.key)")
            }
        }
        visit(document, at: "")
        #expect(missing == [])
    }

    @Test func theQuickstartIsValidAgainstTheSchemaFile() throws {
        let schema = try Self.schemaFromFile("manifest.schema.json")
        let files = ManifestFixtures.repositoryFiles(under: "examples/quickstart")
        let paths = ["creative-assets.json", "platform/reporting.json", "stock-search-web.json"].map { "examples/quickstart/\($0)" }
        for path in paths {
            let violations = schema.validate(try JSON.parse(try files.readFile(at: path)))
            #expect(violations == [], "\(path)")
        }
    }

    /// Every example manifest that names a `$schema` names `schemas/manifest.schema.json`,
    /// relative to itself, so that an editor opening it finds the schema (the gallery's files in
    /// subdirectories pointed one level too high).
    @Test func everyExamplesSchemaReferenceFindsTheSchemaFile() throws {
        let root = TestPaths.packageRoot.standardizedFileURL
        let schema = root.appendingPathComponent("schemas/manifest.schema.json").path
        let enumerator = try #require(FileManager.default.enumerator(atPath: root.appendingPathComponent("examples").path))
        var wrong: [String] = []
        var checked = 0
        for case let relative as String in enumerator where relative.hasSuffix(".json") {
            let file = root.appendingPathComponent("examples").appendingPathComponent(relative)
            guard let reference = (try? JSON.parse(Array(try Data(contentsOf: file))))?["$schema"]?.stringValue else { continue }
            let target = file.deletingLastPathComponent().appendingPathComponent(reference).standardizedFileURL.path
            if target != schema { wrong.append("examples/\(relative): \(reference)") }
            checked += 1
        }
        #expect(wrong.sorted() == [])
        #expect(checked >= 40)
    }

    /// Each gallery file that parses is rejected by the schema file exactly when its expected
    /// diagnostics hold a structural code for that file.
    @Test func everyGalleryFileGetsTheSchemaFilesVerdict() throws {
        let schema = try Self.schemaFromFile("manifest.schema.json")
        let fileSystem = ManifestFixtures.repositoryFiles(under: "examples/invalid")
        let all = ManifestLoader.load(path: "examples/invalid", fileSystem: fileSystem, environment: [:], catalog: .default)
        var checked = 0
        for file in all.files {
            guard let json = try? JSON.parse(try fileSystem.readFile(at: file)) else { continue }
            let structural = all.diagnostics.contains { $0.location?.file == file && Self.structuralCodes.contains($0.code) }
            #expect(!schema.validate(json).isEmpty == structural, "\(file)")
            checked += 1
        }
        #expect(checked >= 35)
    }
}
