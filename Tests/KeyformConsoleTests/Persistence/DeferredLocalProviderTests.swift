import Foundation
import KeyformCore
import KeyformJSON
import Testing
@testable import KeyformConsole

/// `DeferredLocalProvider`: the catalog from the header, everything else loaded when asked.
@Suite struct DeferredLocalProviderTests {
    let directory = TestDirectory()
    var path: String { directory.path + "/.keyform/console.json" }

    /// A closed console with two integrations, one with a registration.
    private func populate() async throws -> [IntegrationRecord] {
        let provider = try LocalProvider.open(path: path)
        let a = try await provider.createIntegration(Fixtures.attributes("stocksearch"))
        try await provider.setServices(a.id, to: ["StockSDK", "ViewSDK"])
        let b = try await provider.createIntegration(Fixtures.attributes("assetsync", type: .serviceAccount))
        _ = try await provider.createRegistration(
            b.id, EventRegistrationSpec(name: "asset-sync", provider: "ccstorage", eventCodes: ["asset_created"], webhookUrl: "https://h.example.com/a"))
        let all = try await provider.listIntegrations()
        try provider.close()
        return all
    }

    private func replace(_ target: String, with replacement: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains(target))
        try text.replacingOccurrences(of: target, with: replacement).write(toFile: path, atomically: false, encoding: .utf8)
    }

    @Test func readsTheCatalogAndLoadsTheRestWhenAsked() async throws {
        let before = try await populate()
        let provider = try DeferredLocalProvider.open(path: path)
        #expect(try await provider.catalog() == Catalog.default)
        #expect(try await provider.listIntegrations() == before)
        #expect(try await provider.integration(named: "assetsync") == before.first { $0.name == "assetsync" })
        try provider.close()
    }

    @Test func aMissingConsoleHasTheDefaultCatalogAndCreatesNothing() async throws {
        let provider = try DeferredLocalProvider.open(path: path)
        #expect(try await provider.catalog() == Catalog.default)
        #expect(try await provider.listIntegrations().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/.keyform"))
    }

    @Test func damageInTheHeaderIsReportedAsLocalProviderReportsIt() async throws {
        _ = try await populate()
        try replace("\"entitled\": true", with: "\"entitled\": \"yes\"")
        let expected = ConsoleStoreError.invalidContent(path: path, line: nil, pointer: "/catalog/services/1/entitled", message: "expected true or false")
        #expect(throws: expected) { try LocalProvider.open(path: path, readOnly: true) }
        #expect(throws: expected) { try DeferredLocalProvider.open(path: path) }

        try replace("\"version\": 1", with: "\"version\": ?")
        let syntax = try #require(throws: ConsoleStoreError.self) { try LocalProvider.open(path: path, readOnly: true) }
        guard case .syntax(_, let line, let column, _, _) = syntax else {
            Issue.record("expected a syntax error, got \(syntax)")
            return
        }
        #expect(line == 3 && column == 14)
        #expect(throws: syntax) { try DeferredLocalProvider.open(path: path) }
    }

    @Test func damageAfterTheHeaderIsReportedWhenTheIntegrationsAreLoaded() async throws {
        _ = try await populate()
        try replace("\"name\":\"stocksearch\"", with: "\"name\":12")
        let expected = try #require(throws: ConsoleStoreError.self) { try LocalProvider.open(path: path, readOnly: true) }
        let provider = try DeferredLocalProvider.open(path: path)
        #expect(try await provider.catalog() == Catalog.default)
        await #expect(throws: expected) { try await provider.listIntegrations() }
    }

    @Test func aReformattedConsoleFileIsReadWhole() async throws {
        _ = try await populate()
        // No longer one entity per line after the header: the whole file is read instead.
        let reformatted = try JSON.parse(Array(try String(contentsOfFile: path, encoding: .utf8).utf8)).compactText()
        try reformatted.write(toFile: path, atomically: false, encoding: .utf8)
        #expect(ConsoleSnapshot.catalogFromHeader(Array(reformatted.utf8), path: path) == nil)
        #expect(try await DeferredLocalProvider.open(path: path).catalog() == Catalog.default)
    }

    @Test func seesWhatAWriterLoggedWithoutCompacting() async throws {
        let before = try await populate()
        let writer = try LocalProvider.open(path: path)
        let created = try await writer.createIntegration(Fixtures.attributes("webportal", type: .oauth))
        let reader = try DeferredLocalProvider.open(path: path)
        #expect(try await reader.listIntegrations() == (before + [created]).sorted { $0.name < $1.name })
        await #expect(throws: ConsoleError.invalid("the console (\(path)) was opened read-only", request: nil)) {
            try await reader.deleteIntegration(created.id)
        }
        try writer.close()
    }
}
