import Foundation
import KeyformCore
import KeyformJSON
import KeyformTestSupport
import Testing

/// Keyform's validator and schema agree with an independent implementation, Python's
/// `jsonschema` (`.ci/run` installs it): a gallery file that breaks only structural rules is
/// rejected by Keyform exactly when `jsonschema` rejects it, a file that breaks only semantic
/// rules passes both schema checks, and the quickstart passes both. Files with JSON syntax
/// errors (KF1xx) are left out: Python's parser accepts duplicate keys, which Keyform refuses.
@Suite struct ManifestSchemaAgreementTests {
    static let script = TestPaths.packageRoot.appendingPathComponent("scripts/schema-agreement.py")

    static let pythonHasJSONSchema = Python.hasModule("jsonschema")

    /// The verdict of `jsonschema` for each file (relative to the package root).
    static func pythonVerdicts(_ files: [String]) throws -> [String: String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "schemas/manifest.schema.json"] + files
        process.currentDirectoryURL = TestPaths.packageRoot
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var verdicts: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let json = try JSON.parse(String(line))
            if let file = json["file"]?.stringValue, let verdict = json["verdict"]?.stringValue { verdicts[file] = verdict }
        }
        return verdicts
    }

    @Test(.enabled(if: pythonHasJSONSchema, "python3 with jsonschema is not available (pip install jsonschema)"))
    func keyformAndJSONSchemaAgree() throws {
        let gallery = ManifestFixtures.repositoryFiles(under: "examples/invalid")
        let quickstart = ManifestFixtures.repositoryFiles(under: "examples/quickstart")
        // Each case on its own, as a user would validate it (the cases reuse names).
        var galleryResult = ManifestLoadResult()
        for galleryCase in ManifestGalleryTests.cases {
            let result = ManifestLoader.load(
                path: "examples/invalid/\(galleryCase)", fileSystem: gallery, environment: [:], catalog: .default)
            galleryResult.files += result.files
            galleryResult.diagnostics += result.diagnostics
        }
        let quickstartResult = ManifestLoader.load(
            path: "examples/quickstart", fileSystem: quickstart, environment: [:], catalog: .default)
        let files = galleryResult.files + quickstartResult.files
        let verdicts = try Self.pythonVerdicts(files)
        #expect(verdicts.count == files.count)

        let structural = ManifestSchemaFileTests.structuralCodes
        var structuralOnly = 0, semanticOnly = 0
        for file in galleryResult.files {
            let codes = Set(galleryResult.diagnostics.filter { $0.location?.file == file }.map(\.code))
            if codes.contains(where: { $0.hasPrefix("KF1") }) { continue }
            let keyformRejectsStructure = !codes.isDisjoint(with: structural)
            #expect(keyformRejectsStructure == (verdicts[file] == "invalid"), "\(file): jsonschema says \(verdicts[file] ?? "nothing")")
            if !codes.isEmpty, codes.isSubset(of: structural) {
                structuralOnly += 1
                #expect(verdicts[file] == "invalid" && galleryResult.diagnostics.contains { $0.location?.file == file && $0.severity == .error })
            }
            if !codes.isEmpty, codes.isDisjoint(with: structural) {
                semanticOnly += 1
                #expect(verdicts[file] == "valid", "\(file)")
            }
        }
        #expect(structuralOnly >= 15)
        #expect(semanticOnly >= 15)
        for file in quickstartResult.files { #expect(verdicts[file] == "valid", "\(file)") }
        #expect(quickstartResult.diagnostics == [])
    }
}
