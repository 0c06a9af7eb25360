import Foundation
import KeyformCore
import KeyformJSON
import KeyformTestSupport
import Testing

/// `examples/invalid/`: every broken manifest (a file, or a directory for rules that span
/// files) with its expected diagnostics beside it in `<case>.expected` (code, line:column,
/// message, notes, help). Re-record with RECORD_GOLDEN=1.
@Suite struct ManifestGalleryTests {
    static let directory = "examples/invalid"
    static let fileSystem = ManifestFixtures.repositoryFiles(under: directory)

    /// The cases: each `*.json` file and each directory directly under the gallery.
    static let cases: [String] = {
        let root = TestPaths.packageRoot.appendingPathComponent(directory)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: root.appendingPathComponent(name).path, isDirectory: &isDirectory)
            return exists && (isDirectory.boolValue || name.hasSuffix(".json"))
        }.sorted()
    }()

    static func expectedName(_ galleryCase: String) -> String {
        let stem = galleryCase.hasSuffix(".json") ? String(galleryCase.dropLast(5)) : galleryCase
        return "\(stem).expected"
    }

    static func diagnostics(_ galleryCase: String) -> [Diagnostic] {
        ManifestLoader.load(
            path: "\(directory)/\(galleryCase)", fileSystem: fileSystem, environment: [:], catalog: .default
        ).diagnostics
    }

    @Test(arguments: cases)
    func matchesItsExpectedDiagnostics(_ galleryCase: String) {
        let actual = ManifestFixtures.brief(Self.diagnostics(galleryCase))
        // Golden paths are relative to Tests/Golden; the gallery keeps its own beside the cases.
        let failure = Golden.check(actual, against: "../../\(Self.directory)/\(Self.expectedName(galleryCase))")
        #expect(failure == nil, "\(failure ?? "")")
    }

    @Test(arguments: cases)
    func everyCaseFailsWithAnErrorOrWarning(_ galleryCase: String) {
        let diagnostics = Self.diagnostics(galleryCase)
        #expect(diagnostics.contains { $0.severity != .note }, "\(galleryCase) is not broken")
        #expect(diagnostics.allSatisfy { $0.location != nil || $0.code == DiagnosticCodes.noManifests })
    }

    @Test func thereAreAtLeastThirtyCases() {
        #expect(Self.cases.count >= 30, "\(Self.cases)")
    }

    /// Every manifest code that a manifest can trigger occurs in the gallery. The others are
    /// covered by unit tests: KF208 (a schema keyword the manifest schema does not use),
    /// KF300 (an unreadable path), KF390 (the --offline note) and KF401 (configuration).
    @Test func theGalleryCoversEveryCode() {
        let found = Set(Self.cases.flatMap { Self.diagnostics($0).map(\.code) })
        let covered = Set(DiagnosticCodes.summaries.keys).subtracting(["KF208", "KF300", "KF390", "KF401"])
        #expect(covered.subtracting(found).sorted() == [])
        #expect(found.filter { $0.hasPrefix("KF1") }.count >= 6, "\(found.sorted())")
    }
}
