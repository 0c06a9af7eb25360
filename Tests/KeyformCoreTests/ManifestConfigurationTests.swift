import KeyformCore
import KeyformJSON
import Testing

/// `keyform.json`: found in the directory or above, validated against the configuration
/// schema, defaults exactly as DESIGN.md.
@Suite struct ManifestConfigurationTests {
    @Test func withoutAFileTheDefaultsAreThoseOfTheDesign() {
        let (configuration, diagnostics) = Configuration.load(from: "/repo/app", fileSystem: InMemoryFileSystem())
        #expect(diagnostics == [])
        #expect(configuration.file == nil)
        #expect(configuration.manifests == "integrations")
        #expect(configuration.state == .init(backend: .file, path: "keyform.state.json"))
        #expect(configuration.console == .init(provider: .local, path: ".keyform/console.json"))
        #expect(configuration.console.consoleUrl == "https://developers.adobe.io")
        #expect(configuration.console.eventsUrl == "https://api.adobe.io")
        #expect(configuration.console.org == nil)
        #expect(configuration.allowDelete == false)
        #expect(configuration.directory == "/repo/app")
    }

    @Test func anEmptyFileGivesTheDefaultsToo() {
        let files = InMemoryFileSystem(textFiles: ["/repo/keyform.json": "{}"])
        let (configuration, diagnostics) = Configuration.load(from: "/repo", fileSystem: files)
        #expect(diagnostics == [])
        var expected = Configuration(directory: "/repo")
        expected.file = "/repo/keyform.json"
        #expect(configuration == expected)
    }

    @Test func theNearestFileAboveIsUsedAndPathsAreRelativeToIt() {
        let files = InMemoryFileSystem(textFiles: [
            "/repo/keyform.json": """
                {"$schema": "schemas/config.schema.json", "manifests": "infra/integrations",
                 "state": {"backend": "http", "path": "https://gitlab.example.com/api/v4/projects/1/terraform/state/keyform"},
                 "console": {"provider": "http", "consoleUrl": "http://127.0.0.1:8080", "eventsUrl": "http://127.0.0.1:8080",
                             "org": "1234@AdobeOrg"},
                 "allowDelete": true}
                """,
            "/keyform.json": "{\"manifests\": \"elsewhere\"}",
        ])
        let (configuration, diagnostics) = Configuration.load(from: "/repo/app/src", fileSystem: files)
        #expect(diagnostics == [])
        #expect(configuration.file == "/repo/keyform.json")
        #expect(configuration.resolve(configuration.manifests) == "/repo/infra/integrations")
        #expect(configuration.state.backend == .http)
        #expect(configuration.console.provider == .http)
        #expect(configuration.console.consoleUrl == "http://127.0.0.1:8080")
        #expect(configuration.console.org == "1234@AdobeOrg")
        #expect(configuration.allowDelete)
    }

    @Test func aRelativeFileResolvesRelativeToItsDirectory() {
        let files = InMemoryFileSystem(textFiles: ["../keyform.json": #"{"manifests": "integrations"}"#])
        let (configuration, _) = Configuration.load(file: "../keyform.json", fileSystem: files)
        #expect(configuration.resolve(configuration.manifests) == "../integrations")
        let (here, _) = Configuration.load(file: "keyform.json", fileSystem: InMemoryFileSystem(textFiles: ["keyform.json": "{}"]))
        #expect(here.resolve(here.manifests) == "integrations")
    }

    @Test func schemaProblemsAreDiagnosticsAtTheirPlace() {
        let text = """
            {
              "manifest": "integrations",
              "state": {"backend": "s3"},
              "console": {"provider": "http"},
              "allowDelete": "yes"
            }
            """
        let (configuration, diagnostics) = Configuration.decode(Array(text.utf8), file: "keyform.json", directory: ".")
        #expect(diagnostics.map { "\($0.location?.line ?? 0):\($0.location?.column ?? 0) \($0.code) \($0.message)" } == [
            "2:3 KF201 unknown property 'manifest' in keyform.json",
            "3:24 KF204 \"backend\" of \"state\" must be 'file', 'postgres' or 'http', not 's3'",
            "4:14 KF202 \"console\" is missing \"org\"",
            "5:18 KF203 \"allowDelete\" must be true or false, not a string",
        ])
        #expect(diagnostics.first?.suggestion == "did you mean 'manifests'?")
        #expect(configuration.console.provider == .http)
        #expect(configuration.state.backend == .file)
    }

    @Test func duplicateKeysAndSyntaxErrorsAreReported() {
        let (_, duplicate) = Configuration.decode(Array(#"{"manifests": "a", "manifests": "b"}"#.utf8), file: "keyform.json", directory: ".")
        #expect(duplicate.map(\.code) == ["KF109"])
        let (_, broken) = Configuration.decode(Array(#"{"manifests": }"#.utf8), file: "keyform.json", directory: ".")
        #expect(broken.map(\.code) == ["KF104"])
    }

    @Test func anUnreadableFileIsKF401() {
        let (_, diagnostics) = Configuration.load(file: "missing/keyform.json", fileSystem: InMemoryFileSystem())
        #expect(diagnostics.map(\.code) == ["KF401"])
        #expect(diagnostics.first?.message == "cannot read configuration 'missing/keyform.json': no such file or directory")
    }
}
