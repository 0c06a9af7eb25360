import KeyformCore
import KeyformJSON
import Testing

/// `${env:NAME}` substitution: values, the `$${` escape, and problems at the exact place.
@Suite struct ManifestEnvironmentTests {
    /// An oauth integration whose webhook URL (line 12, the string at column 21) is `url`
    /// and whose name (line 3, the string at column 13) is `name`.
    static func manifest(url: String, name: String = "assetsync") -> String {
        """
        {"integrations": [
          {
            "name": "\(name)",
            "title": "Asset Sync",
            "description": "Syncs Creative Cloud assets to the brand portal.",
            "type": "oauth",
            "redirectUris": ["https://brand.example.com/callback"],
            "services": ["CCStorageSdk"],
            "events": [{
              "name": "asset-sync", "provider": "ccstorage",
              "eventCodes": ["asset_created"],
              "webhookUrl": "\(url)"
            }]
          }
        ]}
        """
    }

    static func load(_ text: String, environment: [String: String]) -> ManifestLoadResult {
        ManifestFixtures.load(["m/a.json": text], environment: environment)
    }

    @Test func variablesAreSubstitutedInAnyString() throws {
        let result = Self.load(
            Self.manifest(url: "https://${env:HOOKS_HOST}/adobe/${env:STAGE}/assets", name: "assetsync${env:STAGE}"),
            environment: ["HOOKS_HOST": "hooks.example.com", "STAGE": "prod"])
        #expect(result.diagnostics == [])
        let spec = try #require(result.model.specs.first)
        #expect(spec.name == "assetsyncprod")
        #expect(spec.events.map(\.webhookUrl) == ["https://hooks.example.com/adobe/prod/assets"])
        #expect(result.model.locations["assetsyncprod"]?.name.line == 3)
    }

    @Test func anUndefinedVariableIsReportedAtItsReference() {
        let result = Self.load(Self.manifest(url: "https://hooks.example.com/${env:STAGE}/assets"), environment: [:])
        #expect(ManifestFixtures.places(result) == ["12:48 KF314"])
        #expect(result.diagnostics.first?.message == "environment variable 'STAGE' is not defined")
        #expect(result.diagnostics.first?.location?.length == "${env:STAGE}".utf8.count)
    }

    @Test func anUndefinedVariableInANameGivesNoSchemaErrorForTheRawText() {
        let result = Self.load(Self.manifest(url: "https://hooks.example.com/a", name: "sync${env:STAGE}"), environment: [:])
        #expect(ManifestFixtures.places(result) == ["3:18 KF314"])
    }

    /// A value whose variable is undefined is reported once, as KF314: not also as an unknown
    /// service or provider, nor as a URL that is not absolute, for the text left as written.
    @Test func anUndefinedVariableIsTheOnlyFindingAboutItsValue() {
        let text = Self.manifest(url: "${env:HOOK_URL}")
            .replacingOccurrences(of: #""services": ["CCStorageSdk"]"#, with: #""services": ["${env:SVC}"]"#)
            .replacingOccurrences(of: #""provider": "ccstorage""#, with: #""provider": "${env:PROVIDER}""#)
        let result = Self.load(text, environment: [:])
        #expect(result.diagnostics.map(\.code) == ["KF314", "KF314", "KF314"])
        #expect(result.diagnostics.map(\.message) == [
            "environment variable 'SVC' is not defined", "environment variable 'PROVIDER' is not defined",
            "environment variable 'HOOK_URL' is not defined",
        ])
    }

    @Test func doubleDollarEscapesALiteralReference() throws {
        let result = Self.load(Self.manifest(url: "https://hooks.example.com/$${env:STAGE}/a"), environment: [:])
        #expect(result.diagnostics == [])
        #expect(result.model.specs.first?.events.first?.webhookUrl == "https://hooks.example.com/${env:STAGE}/a")
    }

    @Test func aDollarBraceThatIsNotEnvIsLeftAlone() {
        let result = Self.load(Self.manifest(url: "https://hooks.example.com/${stage}/$x"), environment: [:])
        #expect(result.diagnostics == [])
        #expect(result.model.specs.first?.events.first?.webhookUrl == "https://hooks.example.com/${stage}/$x")
    }

    @Test(arguments: [
        ("https://h.example.com/${env:STAGE", "12:44 KF315", "'${env:STAGE' has no closing '}'"),
        ("https://h.example.com/${env:}/a", "12:44 KF315", "'${env:}' names no environment variable"),
        ("https://h.example.com/${env:9LIVES}", "12:44 KF315",
         "'9LIVES' is not an environment variable name (letters, digits and underscores, not starting with a digit)"),
    ])
    func malformedReferencesAreErrors(_ url: String, _ place: String, _ message: String) {
        let result = Self.load(Self.manifest(url: url), environment: ["STAGE": "prod"])
        #expect(ManifestFixtures.places(result) == [place])
        #expect(result.diagnostics.first?.message == message)
    }

    @Test func withEscapesInTheLiteralTheWholeStringIsPointedAt() {
        // `\u0068` is 'h': the literal's bytes no longer match the string's, so the string is the place.
        let result = Self.load(Self.manifest(url: "\\u0068ttps://hooks.example.com/${env:STAGE}"), environment: [:])
        #expect(ManifestFixtures.places(result) == ["12:21 KF314"])
    }

    @Test func aSecretArrivingThroughAVariableIsStillASecret() {
        let result = Self.load(
            Self.manifest(url: "https://hooks.example.com/a?auth=${env:TOKEN}"),
            environment: ["TOKEN": "Bearer 4f9a8c2e71b04d3a9e5f6c7d8b1a2e3f"])
        #expect(ManifestFixtures.places(result) == ["12:21 KF313"])
        #expect(result.diagnostics.first?.message == "'webhookUrl' looks like it holds a bearer token; secrets never belong in manifests")
        #expect(!result.diagnostics.contains { $0.message.contains("4f9a8c2e") })
    }
}
