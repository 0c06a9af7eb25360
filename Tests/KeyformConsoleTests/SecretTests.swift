import Foundation
import KeyformCore
import Testing
@testable import KeyformConsole

/// The client secret is generated, stored in the data files, and never handed out.
@Suite struct SecretTests {
    let directory = TestDirectory()
    var path: String { directory.path + "/console.json" }

    @Test func secretsAreStoredOnlyInTheDataFiles() async throws {
        let provider = try LocalProvider.open(path: path)
        var returned: [String] = []
        func keep(_ value: Any) { returned.append(String(reflecting: value)) }

        let service = try await provider.createIntegration(Fixtures.attributes("assetsync", type: .serviceAccount))
        let oauth = try await provider.createIntegration(Fixtures.attributes("webportal", type: .oauth))
        let apiKey = try await provider.createIntegration(Fixtures.attributes("stocksearch"))
        keep(service); keep(oauth); keep(apiKey)
        try await provider.setServices(service.id, to: ["StockSDK"])
        keep(try await provider.createRegistration(
            service.id, EventRegistrationSpec(name: "hook", provider: "aem", eventCodes: ["asset_published"], webhookUrl: "https://h.example.com")))
        keep(try await provider.listIntegrations())
        keep(try await provider.integration(named: "assetsync") as Any)
        for record in [service, oauth, apiKey] {
            let credential = try provider.engine.credential(id: record.id.credentialId)
            keep(credential)
            keep(try provider.engine.credentials(projectId: record.id.projectId, workspaceId: record.id.workspaceId))
            keep(try provider.engine.credential(apiKey: record.apiKey) as Any)
            keep(try provider.engine.project(id: record.id.projectId))
            keep(try provider.engine.registrations(projectId: record.id.projectId, workspaceId: record.id.workspaceId))
        }
        keep(try provider.engine.projects())
        // Errors about credentials, too.
        for attempt in [
            { try provider.engine.createCredential(projectId: service.id.projectId, workspaceId: service.id.workspaceId, Fixtures.serviceAccountRequest()) },
            { try provider.engine.updateCredential(id: service.id.credentialId, Fixtures.apiKeyRequest()) },
            { try provider.engine.deleteCredential(id: service.id.credentialId) },
        ] as [() throws -> Any] {
            do { _ = try attempt() } catch { keep(error); returned.append("\(error)") }
        }

        // Before compaction the secrets are in the log; afterwards in the snapshot.
        let logged = Fixtures.storedSecrets(in: path + ".log")
        try provider.close()
        let stored = Fixtures.storedSecrets(in: path)
        #expect(Set(logged) == Set(stored))
        #expect(stored.count == 2)
        for secret in stored {
            #expect(secret.hasPrefix("p8e-") && secret.count == 36)
            for text in returned { #expect(!text.contains(secret)) }
            #expect(!returned.joined().contains(secret.dropFirst(4)))
        }
        #expect(returned.count > 20)
    }

    @Test func secretsSurviveReopeningAndStayPut() async throws {
        let provider = try LocalProvider.open(path: path)
        let record = try await provider.createIntegration(Fixtures.attributes("assetsync", type: .serviceAccount))
        try provider.close()
        let secret = try #require(Fixtures.storedSecrets(in: path).first)
        let reopened = try LocalProvider.open(path: path)
        try await reopened.updateIntegration(record.id, to: Fixtures.attributes("assetsync2", type: .serviceAccount))
        try await reopened.setServices(record.id, to: ["UserMgmtSDK"])
        try reopened.close()
        #expect(Fixtures.storedSecrets(in: path) == [secret])
    }

    @Test func theStoreErrorsQuoteNoValue() throws {
        let engine = try ConsoleEngine.open(path: path)
        _ = try Fixtures.integration(engine, Fixtures.serviceAccountRequest())
        try engine.close()
        let secret = try #require(Fixtures.storedSecrets(in: path).first)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        // Break the secret's string so that the parser stops inside it.
        try text.replacingOccurrences(of: "\"\(secret)\"", with: "\"\(secret)\n\"").write(toFile: path, atomically: false, encoding: .utf8)
        let error = try #require(throws: ConsoleStoreError.self) { try ConsoleEngine.open(path: path) }
        #expect(!error.description.contains(secret.dropFirst(4)))
        try text.replacingOccurrences(of: "\"clientSecret\":\"\(secret)\"", with: "\"clientSecret\":12").write(toFile: path, atomically: false, encoding: .utf8)
        #expect(throws: ConsoleStoreError.invalidContent(path: path, line: nil, pointer: "/credentials/0/clientSecret", message: "expected a string")) {
            try ConsoleEngine.open(path: path)
        }
    }
}
