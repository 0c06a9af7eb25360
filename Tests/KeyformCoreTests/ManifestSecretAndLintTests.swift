@testable import KeyformCore
import KeyformTestSupport
import Testing

/// The secret detector and the generic-name lint, value by value.
@Suite struct ManifestSecretAndLintTests {
    @Test(arguments: [
        ("p8e-Xk2mR9vQ7wLpT4nB6yH1cJ8dF3sG5aZ0", "description", SecretDetector.Kind.clientSecret),
        ("secret: p8e-Xk2mR9vQ7wLpT4nB6yH1cJ8dF3sG", "title", .clientSecret),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIEow", "description", .privateKey),
        ("-----BEGIN PRIVATE KEY-----", "description", .privateKey),
        ("Authorization: Bearer abcdefghijklmnop1234", "description", .bearerToken),
        ("bearer 0123456789abcdef0123", "name", .bearerToken),
        ("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJrZXlmb3JtIn0.c2ln", "webhookUrl", .jsonWebToken),
        ("https://h.example.com/a?k=9f86d081884c7d659a2feaa0c55ad015", "webhookUrl", .randomToken),
        ("token Zm9vYmFyQmF6UXV4MTIzNDU2Nzg5MGFiY2RlZkdI", "description", .randomToken),
        ("-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBGXabc\n-----END PGP PRIVATE KEY BLOCK-----", "description", .privateKey),
        ("Bearer ab~cd~ef~gh~ij~kl~mn~op", "description", .bearerToken),
    ] as [(String, String, SecretDetector.Kind)])
    func secretsAreRecognised(_ value: String, _ field: String, _ kind: SecretDetector.Kind) {
        #expect(SecretDetector.inspect(value, field: field) == kind)
        var text = value
        let passes = text.withUTF8 { SecretDetector.mayHoldSecret($0) }
        #expect(passes, "the prefilter would skip it")
    }

    /// The prefilter never rules out a value the detector flags, on values made of secret-like
    /// fragments, prose and punctuation.
    @Test func thePrefilterNeverSkipsASecret() {
        var random = SeededGenerator(seed: 17)
        let pieces = [
            "p8e-", "Xk2mR9vQ7wLpT4nB6yH1", "cJ8dF3sG5aZ0", "Bearer ", "bearer\t", "eyJhbGciOiJ", ".eyJzdWIi", "~", "-----BEGIN ",
            "PRIVATE KEY", " BLOCK", "-----", " ", "the ", "é", "/", "=", "+", "_", ".", "0123456789abcdef", "ZZZZ", "https://h/",
        ]
        for _ in 0..<20_000 {
            var text = (0..<Int.random(in: 1...8, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            guard SecretDetector.inspect(text, field: "description") != nil else { continue }
            if !text.withUTF8({ SecretDetector.mayHoldSecret($0) }) {
                Issue.record("the prefilter skips \(text.debugDescription)")
                return
            }
        }
    }

    @Test(arguments: [
        ("Adobe Stock search for the marketing site's image picker.", "description"),
        ("https://hooks.example.com/adobe/assets", "webhookUrl"),
        // A UUID is an identifier, not a secret: its dashes keep the runs short and mixed.
        ("https://hooks.example.com/9f86d081-884c-7d65-9a2f-eaa0c55ad015", "webhookUrl"),
        ("internationalization_and_localization_of_the_portal", "description"),
        // A 32-digit hex name is a public id (names are exempt from the random-token check).
        ("9f86d081884c7d659a2feaa0c55ad015", "name"),
        ("9f86d081884c7d659a2feaa0c55ad015", "formerNames"),
        ("00000000000000000000000000000000", "description"),
        ("p8e-short", "description"),
        ("The bearer of this integration is the web team.", "description"),
    ])
    func ordinaryValuesAreNotSecrets(_ value: String, _ field: String) {
        #expect(SecretDetector.inspect(value, field: field) == nil)
    }

    @Test(arguments: [
        "My Test App", "MyTestApp", "test", "Test 2", "demo", "demo1", "Sample", "untitled", "Untitled Project",
        "example", "New Project", "myapp", "hello world", "123", "API Key",
    ])
    func genericNamesAreRecognised(_ value: String) {
        #expect(GenericNameLint.isGeneric(value))
    }

    @Test(arguments: [
        "stocksearchweb", "Stock Search Web", "Demonstration Portal", "Template Renderer", "assethooks", "Testimonials Feed",
        "creativeassetsync", "",
    ])
    func specificNamesAreNotGeneric(_ value: String) {
        #expect(!GenericNameLint.isGeneric(value))
    }

    /// A value that looks like a secret has one finding, KF313: rules that would quote it
    /// (an invalid title, an unknown service, their "did you mean") stay silent about it, so
    /// the secret (here arriving from the environment) is printed nowhere.
    @Test func aSecretIsReportedOnceAndQuotedNowhere() {
        let secret = "p8e-Zq9mR9vQ7wLpT4nB6yH1cJ8dF3sG5aZ1"
        let result = ManifestFixtures.load(
            ["m/a.json": #"{"integrations": [{"name": "nightlyreport", "title": "${env:T}", "description": "Nightly report job.", "type": "serviceAccount", "services": ["${env:T}"]}]}"#],
            environment: ["T": secret])
        #expect(result.diagnostics.map(\.code) == ["KF313", "KF313"])
        let text = result.diagnostics.map { ([$0.message, $0.suggestion ?? ""] + $0.notes.map(\.message)).joined() }.joined()
        #expect(!text.contains("Zq9m"))
    }

    /// A secret pasted as a member's name is found too (the unknown-property finding quoted
    /// it), masked, and reported alone; the straightforward pipeline agrees.
    @Test func aSecretAsAMemberNameIsReportedOnceAndMasked() throws {
        let files = ["m/a.json": #"""
            {"integrations": [{"name": "nightlyreport", "description": "Nightly report job.", "type": "serviceAccount",
              "services": ["UserMgmtSDK"], "p8e-Xk2mR9vQ7wLpT4nB6yH1cJ8dF3sG5aZ0": true}]}
            """#]
        let result = ManifestFixtures.load(files)
        #expect(ManifestFixtures.places(result) == ["2:32 KF313"])
        #expect(result.diagnostics.first?.message.hasPrefix("this member name looks like it holds an Adobe client secret") == true)
        let shown = String(decoding: try #require(result.redactedSource("m/a.json")), as: UTF8.self)
        #expect(!shown.contains("Xk2m"))
        let reference = ManifestLoader.load(
            path: "m", fileSystem: InMemoryFileSystem(textFiles: files), environment: [:], catalog: .default,
            parallel: false, reference: true)
        #expect(reference.diagnostics == result.diagnostics)
        #expect(reference.redactions == result.redactions)

        // A secret key over a secret value: the value's finding does not name its field (the
        // key), parsed or not.
        let pair = #"{"integrations": [], "p8e-Xk2mR9vQ7wLpT4nB6yH1cJ8dF3sG5aZ0": "p8e-Qw3mR9vQ7wLpT4nB6yH1cJ8dF3sG5aZ9"}"#
        for text in [pair, pair.replacingOccurrences(of: "[]", with: "[,]")] {
            let both = ManifestFixtures.load(["m/a.json": text])
            #expect(both.diagnostics.filter { $0.code == "KF313" }.count == 2, "\(text)")
            let words = both.diagnostics.map { ([$0.message, $0.suggestion ?? ""] + $0.notes.map(\.message)).joined() }.joined()
            #expect(!words.contains("Xk2m") && !words.contains("Qw3m"), "\(words)")
        }
    }

    /// A file that does not parse still has its secrets found, and masked in the lines shown.
    @Test func aFileThatDoesNotParseHasItsSecretsMasked() throws {
        let result = ManifestFixtures.load(
            ["m/a.json": #"{"integrations": [{"name": "nightlyreport", "description": "p8e-Xk2mR9vQ7wLpT4nB6yH1cJ8dF3sG5aZ0",}]}"#])
        #expect(result.diagnostics.map(\.code) == ["KF313", "KF114"])
        let shown = try #require(result.redactedSource("m/a.json"))
        #expect(!String(decoding: shown, as: UTF8.self).contains("Xk2m"))
        #expect(String(decoding: shown, as: UTF8.self).contains(#""name": "nightlyreport""#))
    }

    /// Small things a reader would trip on: an accented title gets a readable suggestion, a
    /// description of Unicode white space is empty, and a value of the wrong type is reported
    /// once (not also as an unknown provider '' or a URL that is not absolute).
    @Test func accentsUnicodeSpacesAndWrongTypesAreReadAsAPersonWould() {
        let result = ManifestFixtures.load(["m/a.json": #"""
            {"integrations": [{"name": "assetsync", "title": "Ünïcödé Tëst", "description": "　 ", "type": "oauth",
              "redirectUris": ["https://a.example.com/cb"], "services": ["CCStorageSdk"],
              "events": [{"name": "hook-a", "provider": 5, "eventCodes": ["asset_created"], "webhookUrl": 7}]}]}
            """#])
        #expect(result.diagnostics.map(\.code) == ["KF205", "KF351", "KF203", "KF203"])
        #expect(result.diagnostics.first?.suggestion == "did you mean 'Unicode Test'?")
        #expect(result.diagnostics[1].message == "the description of 'assetsync' is empty")
        #expect(ManifestRules.wordCount("two\u{2003}words", upTo: 5) == 2)
    }
}
