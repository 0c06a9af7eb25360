import KeyformCore
import KeyformJSON
import Testing

/// Which files are manifests, in which order, and what happens when there are none.
@Suite struct ManifestDiscoveryTests {
    static let valid = #"{"integrations": []}"#

    @Test func everyJSONFileUnderThePathIsReadRecursivelyInSortedPathOrder() {
        let result = ManifestFixtures.load([
            "m/b.json": Self.valid, "m/a/z.json": Self.valid, "m/a.json": Self.valid, "m/a/b/c.json": Self.valid,
            "m/README.md": "not json", "m/notes.json.txt": "x",
            "m/.keyform/console.json": "{}", "m/.hidden.json": "{}", "m/keyform.json": "{}", "m/keyform.state.json": "{}",
        ])
        #expect(result.files == ["m/a.json", "m/a/b/c.json", "m/a/z.json", "m/b.json"])
        #expect(result.diagnostics == [])
    }

    @Test func aPathNamingAFileReadsThatFile() {
        let result = ManifestFixtures.load(["m/one.json": Self.valid, "m/two.json": "{"], path: "m/one.json")
        #expect(result.files == ["m/one.json"])
        #expect(result.diagnostics == [])
    }

    @Test func aMissingPathIsAnError() {
        let result = ManifestFixtures.load(["m/one.json": Self.valid], path: "nowhere")
        #expect(result.diagnostics.map(\.code) == ["KF300"])
        #expect(result.diagnostics.first?.message == "cannot read 'nowhere': no such file or directory")
    }

    @Test func aDirectoryWithoutManifestsIsAnError() {
        var fileSystem = InMemoryFileSystem()
        fileSystem.addDirectory("empty")
        let result = ManifestLoader.load(path: "empty", fileSystem: fileSystem, environment: [:], catalog: .default)
        #expect(result.diagnostics.map(\.code) == ["KF317"])
        #expect(result.diagnostics.first?.message == "no manifest files (*.json) under 'empty'")
        #expect(result.files == [])
    }

    @Test func anUnreadableFileIsReportedAndTheOthersAreStillRead() {
        var fileSystem = InMemoryFileSystem(textFiles: ["m/a.json": "{\"integrations\": 1}", "m/b.json": Self.valid])
        fileSystem.makeUnreadable("m/b.json")
        let result = ManifestLoader.load(path: "m", fileSystem: fileSystem, environment: [:], catalog: .default)
        #expect(result.diagnostics.map(\.message) == [
            "\"integrations\" must be an array, not a number", "cannot read 'm/b.json': permission denied",
        ])
        #expect(result.files == ["m/a.json"])
    }

    @Test func everyFileIsCheckedEvenAfterOneFailsToParse() {
        let result = ManifestFixtures.load(["m/a.json": "{\"integrations\": [,]}", "m/b.json": "{\"integration\": []}"])
        #expect(ManifestFixtures.places(result) == ["1:19 KF104", "1:1 KF202", "1:2 KF201"])
    }

    @Test func secretsAreMaskedInTheSourceShownUnderDiagnostics() throws {
        let text = #"{"integrations": [{"name": "abc", "description": "p8e-Xk2mR9vQ7wLpT4nB6yH1cJ8dF3", "type": "apiKey"}]}"#
        let result = ManifestFixtures.load(["m/a.json": text])
        let masked = try #require(result.redactedSource("m/a.json"))
        #expect(masked.count == text.utf8.count)
        #expect(String(decoding: masked, as: UTF8.self)
            == #"{"integrations": [{"name": "abc", "description": ""# + String(repeating: "*", count: 30) + #"", "type": "apiKey"}]}"#)
    }
}
