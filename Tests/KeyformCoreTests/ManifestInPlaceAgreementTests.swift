import Foundation
@testable import KeyformCore
import KeyformJSON
import Testing

/// The loader checks manifests in place on the parser's tape, comparing bytes and skipping
/// what cannot matter; `ManifestLoader.load(…, reference: true)` runs the straightforward
/// pipeline (every string decoded, the schema on an owned tree, the rules on drafts of every
/// integration). Both must report exactly the same: same diagnostics in the same order (with
/// notes and help), same redactions, same model, one thread or several.
@Suite struct ManifestInPlaceAgreementTests {
    static let environment = ["HOOKS_HOST": "hooks.example.com", "TYPE": "oauth", "NAME": "envnamed", "EMPTY": ""]

    static func expectAgreement(
        _ fileSystem: InMemoryFileSystem, path: String, catalog: Catalog? = .default, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        let reference = ManifestLoader.load(
            path: path, fileSystem: fileSystem, environment: environment, catalog: catalog, parallel: false, reference: true)
        for parallel in [false, true] {
            let inPlace = ManifestLoader.load(
                path: path, fileSystem: fileSystem, environment: environment, catalog: catalog, parallel: parallel, reference: false)
            #expect(inPlace.diagnostics == reference.diagnostics, "\(path)", sourceLocation: sourceLocation)
            #expect(inPlace.redactions == reference.redactions, "\(path)", sourceLocation: sourceLocation)
            #expect(inPlace.files == reference.files, "\(path)", sourceLocation: sourceLocation)
            #expect(inPlace.model == reference.model, "\(path)", sourceLocation: sourceLocation)
            #expect(inPlace.specs == reference.model.specs, "\(path)", sourceLocation: sourceLocation)
            #expect(
                ManifestSpecDecoder.specs(inPlace.loaded, parallel: parallel) == reference.model.specs, "\(path)",
                sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: ["examples/invalid", "examples/quickstart"])
    func theExamplesAgree(_ directory: String) {
        let fileSystem = ManifestFixtures.repositoryFiles(under: directory)
        Self.expectAgreement(fileSystem, path: directory)
        Self.expectAgreement(fileSystem, path: directory, catalog: nil)
    }

    /// Manifests that take every side path: escapes, substitutions, non-ASCII and canonically
    /// equivalent names, repeated codes, values of the wrong type, secrets of each kind.
    static let tricky: [String: String] = [
        "a/names.json": #"""
            {"integrations": [
              {"name": "caf\u00e9", "type": "apiKey", "description": "Caf\u00e9 listing service for the shop"},
              {"name": "cafe\u0301", "type": "apiKey", "description": "Same name, other code points"},
              {"name": "\u212Aelvin", "type": "oauth", "redirectUris": ["https://a.example.com/cb"], "description": "x"},
              {"name": "Kelvin", "type": "serviceAccount", "formerNames": ["\u212Aelvin", "Kelvin", "old1", "old1"], "description": "Two words"},
              {"name": "${env:NAME}", "type": "${env:TYPE}", "redirectUris": ["http://${env:HOOKS_HOST}/cb"], "description": "Substituted name"},
              {"name": "envnamed", "type": "apiKey", "title": 12, "description": 7}
            ]}
            """#,
        "a/services.json": #"""
            {"integrations": [
              {"name": "svc1", "type": "apiKey", "services": ["StockSDK", "StockSDK", "Stock\u0053DK", "ViewSD\u212A", 4, "PhotoshopSDK", "TypekitSDK", "Nope"], "description": "Services of all kinds"},
              {"name": "svc2", "type": "oauth", "services": "StockSDK", "redirectUris": [], "description": "Not an array"},
              {"name": "svc3", "type": "serviceAccount", "services": ["CampaignSDK", "${env:MISSING}"], "description": "Entitlement and a variable"},
              {"name": "svc4", "type": "nonsense", "services": ["StockSDK"], "description": "Bad type, skipped by the rules"},
              {"type": "apiKey", "description": "No name"},
              "not an object",
              {"name": "svc5", "type": "apiKey", "allowedDomains": ["*.example.com", "bad domain"], "protected": "yes", "description": "Domains"}
            ]}
            """#,
        "b/events.json": #"""
            {"integrations": [
              {"name": "ev1", "type": "oauth", "redirectUris": ["https://x.example.com/cb", "ftp://x", "notaurl"], "description": "Events galore",
               "events": [
                 {"name": "one", "provider": "ccstorage", "eventCodes": ["asset_created", "asset_created", "asset_gone", 5], "webhookUrl": "https://${env:HOOKS_HOST}/a"},
                 {"name": "one", "provider": "aem", "eventCodes": ["asset_published"], "webhookUrl": "http://localhost:8080/x"},
                 {"name": "tw\u006f", "provider": 3, "eventCodes": [], "webhookUrl": 9},
                 {"name": "three", "eventCodes": ["x"], "webhookUrl": "http://evil.example.com"},
                 {"name": "four", "provider": "ccstor\u0061ge", "eventCodes": ["asset_updated"], "webhookUrl": "https://h/"},
                 {"provider": "aem"},
                 {"name": "five", "provider": "nope", "eventCodes": ["asset_created"], "webhookUrl": "https://[::1]/"}
               ]},
              {"name": "ev2", "type": "serviceAccount", "events": {"name": "x"}, "formerNames": ["ev1", "svc1", "gone"], "description": "Former names"},
              {"name": "ev3", "type": "serviceAccount", "formerNames": ["gone", "ev3"], "description": "Claims gone too"}
            ]}
            """#,
        "b/secrets.json": #"""
            {"$schema": "x", "integrations": [
              {"name": "sec1", "type": "apiKey", "description": "p8e-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123 is a secret"},
              {"name": "sec2", "type": "apiKey", "description": "-----BEGIN RSA PRIVATE KEY-----\nMIIEow-----END"},
              {"name": "sec3", "type": "apiKey", "description": "Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345"},
              {"name": "sec4", "type": "apiKey", "description": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc"},
              {"name": "sec5", "type": "apiKey", "description": "token 9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddcc here"},
              {"name": "0123456789abcdef0123456789abcdef", "type": "apiKey", "description": "A public field with a hex name"},
              {"name": "sec6", "type": "apiKey", "description": "Xy7Kq2Lm9Pz4Rt6Vb8Nc1Wd3Fg5Hj0SaQeUiOo twelve", "extra": "AbCdEfGh1234IjKlMnOp5678QrStUvWx90Yz"},
              {"name": "sec7", "type": "apiKey", "description": "${env:SECRET} $${env:LITERAL} ${notenv} ${env:} ${env:1x} ${env:OPEN", "title": "p8e-\u0041BCDEFGHIJKLMNOPQRSTUVWX"},
              {"name": "demo", "type": "apiKey", "title": "My Test App", "description": "Sample"},
              {"name": "untitled2", "type": "apiKey", "title": "Untitled Project", "description": ""}
            ]}
            """#,
        "a/keys.json": #"""
            {"integr\u0061tions": [
              {"n\u0061me": "esc1", "type": "apiKey", "protected": true, "description": "Escaped keys", "\u0074itle": "Escaped title"},
              {"name": "esc2", "type": "oauth", "t\u0069tle": "First", "redirectUris": ["https://e.example.com/cb"], "description": "Escaped keys in events",
               "events": [{"n\u0061me": "e1", "provider": "ccstorage", "eventCodes": ["asset_created"], "webhookUrl": "https://e.example.com/h"}]}
            ]}
            """#,
        "c/broken.json": #"{"integrations": [{"name": "x",}]}"#,
        "c/duplicate-key.json": #"{"integrations": [], "integrations": []}"#,
        "c/not-an-object.json": #"[1, 2]"#,
        "c/unknown.json": #"{"integration": [{"name": "typo"}], "integrations": [{"name": "ab", "tpye": "apiKey"}]}"#,
    ]

    @Test func trickyManifestsAgree() {
        var fileSystem = InMemoryFileSystem()
        for (path, text) in Self.tricky { fileSystem.addFile("m/" + path, Array(text.utf8)) }
        Self.expectAgreement(fileSystem, path: "m")
        Self.expectAgreement(fileSystem, path: "m", catalog: nil)
        for path in Self.tricky.keys { Self.expectAgreement(fileSystem, path: "m/" + path) }
    }

    /// The specs alone (what the plan reads) come off the tape with escaped keys and
    /// substitutions applied (a repeated key is a syntax error, so never reaches them).
    @Test func specsReadEscapedKeysAndSubstitutions() {
        var fileSystem = InMemoryFileSystem()
        for (path, text) in Self.tricky where path.hasPrefix("a/") { fileSystem.addFile("m/" + path, Array(text.utf8)) }
        let loaded = ManifestLoader.load(path: "m", fileSystem: fileSystem, environment: Self.environment, catalog: .default)
        let specs = Dictionary(uniqueKeysWithValues: loaded.specs.map { ($0.name, $0) })
        #expect(specs["esc1"]?.title == "Escaped title")
        #expect(specs["esc1"]?.isProtected == true)
        #expect(specs["esc2"]?.title == "First")
        #expect(specs["esc2"]?.events.map(\.name) == ["e1"])
        #expect(specs["envnamed"]?.type == .oauth)
        #expect(specs["envnamed"]?.redirectUris == ["http://hooks.example.com/cb"])
        #expect(loaded.specs == loaded.model.specs)
    }

    /// Over the quotas: 31 registrations on one integration, and over 2,500 in all, spread
    /// over files big enough to be checked in parallel.
    @Test func quotasAgreeAcrossFilesCheckedInParallel() {
        var fileSystem = InMemoryFileSystem()
        let event = #"{"name": "event%d", "provider": "ccstorage", "eventCodes": ["asset_created"], "webhookUrl": "https://h.example.com/%d"}"#
        for file in 0..<4 {
            var integrations: [String] = []
            for n in 0..<30 {
                let count = file == 0 && n == 0 ? 31 : 22
                let events = (0..<count).map { event.replacingOccurrences(of: "%d", with: "\($0)") }
                integrations.append(
                    #"{"name": "quota\#(file)x\#(n)", "type": "oauth", "redirectUris": ["https://q.example.com/cb"], "description": "Quota check \#(n)", "events": [\#(events.joined(separator: ","))]}"#)
            }
            fileSystem.addFile("q/f\(file).json", Array(#"{"integrations": [\#(integrations.joined(separator: ",\n"))]}"#.utf8))
        }
        let total = fileSystem.totalBytes(under: "q")
        #expect(total >= ManifestLoader.parallelThreshold)
        Self.expectAgreement(fileSystem, path: "q")
        let codes = ManifestLoader.load(path: "q", fileSystem: fileSystem, environment: [:], catalog: .default).diagnostics.map(\.code)
        #expect(codes == [DiagnosticCodes.registrationsPerCredential, DiagnosticCodes.registrationsPerOrganization])
    }
}

extension InMemoryFileSystem {
    fileprivate func totalBytes(under directory: String) -> Int {
        ((try? directoryEntries(at: directory)) ?? []).reduce(0) { sum, name in
            sum + ((try? readFile(at: "\(directory)/\(name)").count) ?? 0)
        }
    }
}

