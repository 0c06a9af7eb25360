import KeyformCore
import KeyformJSON
import Testing

/// The decoded model and the semantic rules, on in-memory manifests.
@Suite struct ManifestRulesTests {
    /// A manifest holding `integrations` (JSON object texts), one per line from line 2.
    static func manifest(_ integrations: [String]) -> String {
        "{\"integrations\": [\n" + integrations.joined(separator: ",\n") + "\n]}\n"
    }

    static func apiKey(_ name: String, services: String = #"["StockSDK"]"#, extra: String = "") -> String {
        #"{"name": "\#(name)", "description": "Stock search for the web shop.", "type": "apiKey", "services": \#(services)\#(extra)}"#
    }

    static func oauth(_ name: String, events: [String]) -> String {
        #"{"name": "\#(name)", "description": "Asset hooks for the portal.", "type": "oauth", "redirectUris": ["https://p.example.com/cb"], "services": ["CCStorageSdk"], "events": [\#(events.joined(separator: ", "))]}"#
    }

    static func event(_ name: String, codes: String = #"["asset_created"]"#, provider: String = "ccstorage") -> String {
        #"{"name": "\#(name)", "provider": "\#(provider)", "eventCodes": \#(codes), "webhookUrl": "https://hooks.example.com/a"}"#
    }

    @Test func theModelHoldsNormalisedSpecsSortedByNameWithTheirLocations() throws {
        let result = ManifestFixtures.load([
            "m/b.json": Self.manifest([Self.apiKey("zebrasearch", services: #"["ViewSDK", "StockSDK", "ViewSDK"]"#)]),
            "m/a.json": Self.manifest([Self.oauth("assethooks", events: [Self.event("sync", codes: #"["asset_updated", "asset_created"]"#)])]),
        ])
        #expect(result.diagnostics == [])
        #expect(result.files == ["m/a.json", "m/b.json"])
        #expect(result.model.specs.map(\.name) == ["assethooks", "zebrasearch"])
        let zebra = try #require(result.model.spec(named: "zebrasearch"))
        #expect(zebra.services == ["StockSDK", "ViewSDK"])
        #expect(zebra.title == "zebrasearch")
        #expect(zebra.isProtected == false)
        #expect(result.model.spec(named: "assethooks")?.events.first?.eventCodes == ["asset_created", "asset_updated"])
        let locations = try #require(result.model.locations["zebrasearch"])
        #expect(locations.file == "m/b.json")
        #expect((locations.integration.line, locations.integration.column) == (2, 1))
        #expect((locations.name.line, locations.name.column) == (2, 10))
        #expect(locations.services["ViewSDK"]?.column == 105)
        #expect(result.model.locations["assethooks"]?.events["sync"]?.name.line == 2)
    }

    @Test func aDuplicateNameIsReportedAtTheSecondWithANoteAtTheFirst() throws {
        let result = ManifestFixtures.load([
            "m/a.json": Self.manifest([Self.apiKey("stocksearch")]),
            "m/b.json": Self.manifest([Self.apiKey("other"), Self.apiKey("stocksearch")]),
        ])
        let diagnostic = try #require(result.diagnostics.first)
        #expect(result.diagnostics.count == 1)
        #expect(diagnostic.code == "KF301")
        #expect(diagnostic.location.map { "\($0.file):\($0.line):\($0.column)" } == "m/b.json:3:10")
        #expect(diagnostic.notes.first?.location.map { "\($0.file):\($0.line):\($0.column)" } == "m/a.json:2:10")
        #expect(result.model.specs.map(\.name) == ["other", "stocksearch"])
    }

    @Test func offlineSkipsCatalogRulesAndSaysSoInExactlyOneNote() {
        let files = [
            "m/a.json": Self.manifest([
                Self.apiKey("one", services: #"["NoSuchSDK", "PhotoshopSDK"]"#),
                Self.oauth("two", events: [Self.event("hook", codes: #"["nope"]"#, provider: "nowhere")]),
            ])
        ]
        let online = ManifestFixtures.load(files)
        #expect(online.diagnostics.map(\.code) == ["KF302", "KF304", "KF305"])
        let offline = ManifestFixtures.load(files, catalog: nil)
        #expect(offline.diagnostics.map(\.code) == ["KF390"])
        #expect(offline.diagnostics.first?.severity == .note)
        #expect(offline.diagnostics.first?.location == nil)
        #expect(!offline.hasErrors)
    }

    @Test func aCustomCatalogDecidesWhatExists() {
        let catalog = Catalog(
            services: [.init(code: "OnlySDK", name: "Only", credentialTypes: [.serviceAccount], isEntitled: true)],
            eventProviders: [])
        let result = ManifestFixtures.load(
            ["m/a.json": Self.manifest([Self.apiKey("stocksearch", services: #"["OnlySDK", "StockSDK"]"#)])], catalog: catalog)
        #expect(ManifestFixtures.places(result) == ["2:105 KF304", "2:116 KF302"])
        #expect(result.diagnostics.first?.message
            == "service 'OnlySDK' (Only) does not support apiKey credentials; it works with serviceAccount only")
    }

    @Test func theOrganizationQuotaIsReportedOnceAtTheFirstRegistrationTooMany() throws {
        // 84 integrations of 30 registrations in three files: the 2501st is integration 84's 11th.
        var files: [String: String] = [:]
        for file in 0..<3 {
            let integrations = (0..<28).map { i in
                Self.oauth("hooks\(file)x\(i)", events: (0..<30).map { Self.event("hook-\($0)") })
            }
            files["m/\(file).json"] = Self.manifest(integrations)
        }
        let result = ManifestFixtures.load(files)
        #expect(result.diagnostics.map(\.code) == ["KF311"])
        let location = try #require(result.diagnostics.first?.location)
        #expect(location.file == "m/2.json")
        #expect(location.line == 29)
        #expect(result.diagnostics.first?.message
            == "the manifests declare 2520 event registrations; the console allows at most 2500 per organization")
    }

    @Test func thirtyRegistrationsAreAllowedAndThirtyOneAreNot() {
        let thirty = ManifestFixtures.load(["m/a.json": Self.manifest([Self.oauth("hooks", events: (1...30).map { Self.event("hook\($0)") })])])
        #expect(thirty.diagnostics == [])
        let more = ManifestFixtures.load(["m/a.json": Self.manifest([Self.oauth("hooks", events: (1...31).map { Self.event("hook\($0)") })])])
        #expect(more.diagnostics.map(\.code) == ["KF310"])
    }

    @Test func formerNamesMustNotCollide() {
        let result = ManifestFixtures.load([
            "m/a.json": Self.manifest([
                Self.apiKey("firstsearch", extra: #", "formerNames": ["old", "second"]"#),
                Self.apiKey("second", extra: #", "formerNames": ["old", "second", "older"]"#),
                Self.apiKey("third", extra: #", "formerNames": ["older"]"#),
            ])
        ])
        #expect(result.diagnostics.map(\.code) == ["KF312", "KF312", "KF312", "KF312"])
        #expect(result.diagnostics.map(\.message) == [
            "former name 'second' is the name of another integration",
            "former name 'old' is also listed by integration 'firstsearch'",
            "former name 'second' is this integration's own name",
            "former name 'older' is also listed by integration 'second'",
        ])
    }

    @Test(arguments: [
        ("https://hooks.example.com/a", nil),
        ("HTTPS://hooks.example.com", nil),
        ("http://localhost:8080/hook", nil),
        ("http://127.0.0.1/hook", nil),
        ("http://[::1]:9000/hook", nil),
        ("http://user@localhost/hook", nil),
        ("http://localhost.example.com/hook", "webhookUrl must be an https URL, not http"),
        ("http://hooks.example.com", "webhookUrl must be an https URL, not http"),
        ("ftp://files.example.com", "webhookUrl must be an https URL, not ftp"),
        ("hooks.example.com/a", "webhookUrl is not an absolute URL"),
        ("https:///a", "webhookUrl is not an absolute URL"),
    ] as [(String, String?)])
    func webhooksMustBeHTTPSExceptOnThisMachine(_ url: String, _ message: String?) {
        let manifest = Self.manifest([
            Self.oauth("hooks", events: [#"{"name": "hook", "provider": "ccstorage", "eventCodes": ["asset_created"], "webhookUrl": "\#(url)"}"#])
        ])
        let result = ManifestFixtures.load(["m/a.json": manifest])
        #expect(result.diagnostics.map(\.message) == (message.map { [$0] } ?? []))
    }
}
