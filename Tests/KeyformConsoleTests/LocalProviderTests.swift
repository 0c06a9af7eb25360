import KeyformTestSupport
import Foundation
import KeyformCore
import Testing
@testable import KeyformConsole

@Suite struct LocalProviderTests {
    let provider = LocalProvider(engine: ConsoleEngine(randomSource: SeededGenerator(seed: 4)))

    @Test func anIntegrationIsAProjectWorkspaceAndCredential() async throws {
        let created = try await provider.createIntegration(Fixtures.attributes("stocksearch"))
        let project = try provider.engine.project(id: created.id.projectId)
        let credential = try provider.engine.credential(id: created.id.credentialId)
        #expect(project.name == "stocksearch" && project.title == "Title stocksearch" && project.workspace.id == created.id.workspaceId)
        #expect(credential.type == .apikey && credential.name == "stocksearch" && credential.apiKey == created.apiKey)
        #expect(created == IntegrationRecord(
            id: IntegrationID(projectId: project.id, workspaceId: project.workspace.id, credentialId: credential.id),
            apiKey: credential.apiKey, attributes: Fixtures.attributes("stocksearch")))
        #expect(try await provider.integration(named: "stocksearch") == created)
        #expect(try await provider.integration(named: "other") == nil)
        #expect(try await provider.catalog() == .default)
    }

    /// In process, a failure does not pass with waiting: apply does not retry the local
    /// console (a stopped engine held every step for some 25 s of retries).
    @Test func applyLeavesItsFailuresUnretried() {
        #expect(provider.handlesTransientFailures)
    }

    @Test func listsIntegrationsSortedByName() async throws {
        for name in ["zeta", "alpha", "mid"] { _ = try await provider.createIntegration(Fixtures.attributes(name, type: .serviceAccount)) }
        _ = try provider.engine.createProject(name: "nocredential", title: "No Credential", description: "")
        #expect(try await provider.listIntegrations().map(\.name) == ["alpha", "mid", "zeta"])
    }

    @Test func aSecondCreateOfTheSameNameConflictsWithTheFirst() async throws {
        let first = try await provider.createIntegration(Fixtures.attributes("stocksearch"))
        await #expect(throws: ConsoleError.conflict(what: "project name 'stocksearch'", existingId: first.id.projectId, request: nil)) {
            try await provider.createIntegration(Fixtures.attributes("stocksearch", type: .oauth))
        }
    }

    @Test func adoptsAProjectLeftWithoutACredential() async throws {
        let created = try provider.engine.createProject(name: "halfmade", title: "Title halfmade", description: "Integration halfmade")
        let record = try await provider.createIntegration(Fixtures.attributes("halfmade", type: .oauth))
        #expect(record.id.projectId == created.projectId && record.attributes.type == .oauth)
    }

    @Test func updatesServicesAndRegistrations() async throws {
        var record = try await provider.createIntegration(Fixtures.attributes("assetsync", type: .serviceAccount))
        var attributes = Fixtures.attributes("assetsync2", type: .serviceAccount)
        attributes.title = "Asset Sync"
        try await provider.updateIntegration(record.id, to: attributes)
        try await provider.setServices(record.id, to: ["StockSDK", "CloudIntegrationSDK"])
        let spec = EventRegistrationSpec(name: "asset-sync", provider: "ccstorage", eventCodes: ["asset_created"], webhookUrl: "https://hooks.example.com/a")
        let registration = try await provider.createRegistration(record.id, spec)
        #expect(registration.spec == spec)

        record = try #require(try await provider.integration(named: "assetsync2"))
        #expect(record.attributes == attributes && record.services == ["CloudIntegrationSDK", "StockSDK"] && record.registrations == [registration])
        #expect(try await provider.integration(named: "assetsync") == nil)

        let changed = EventRegistrationSpec(name: "asset-sync", provider: "ccstorage", eventCodes: ["asset_deleted"], webhookUrl: "https://hooks.example.com/b")
        try await provider.updateRegistration(record.id, registrationId: registration.id, to: changed)
        #expect(try await provider.integration(named: "assetsync2")?.registrations == [RegistrationRecord(id: registration.id, spec: changed)])

        await #expect(throws: ConsoleError.invalid("project 'assetsync2' has 1 event registration(s) ('asset-sync'); delete them before the project", request: nil)) {
            try await provider.deleteIntegration(record.id)
        }
        try await provider.deleteRegistration(record.id, registrationId: registration.id)
        try await provider.deleteIntegration(record.id)
        #expect(try await provider.listIntegrations().isEmpty)
    }

    @Test func aStoredWebhookStatusOtherThanVerifiedIsReportedAndAnUpdateVerifies() async throws {
        let record = try await provider.createIntegration(Fixtures.attributes("hooked", type: .serviceAccount))
        let spec = EventRegistrationSpec(name: "asset-sync", provider: "ccstorage", eventCodes: ["asset_created"], webhookUrl: "https://hooks.example.com/a")
        // As a served console with --verify-webhooks leaves a webhook that did not answer.
        let stored = try provider.engine.createRegistration(
            projectId: record.id.projectId, workspaceId: record.id.workspaceId,
            ConsoleRegistrationRequest(
                name: spec.name, clientId: record.apiKey, providerId: spec.provider, eventCodes: spec.eventCodes,
                webhookUrl: spec.webhookUrl, webhookStatus: "hook_unreachable"))
        #expect(try await provider.integration(named: "hooked")?.registrations
            == [RegistrationRecord(id: stored.id, spec: spec, unverifiedWebhook: "hook_unreachable")])

        let updated = try await provider.updateRegistration(record.id, registrationId: stored.id, to: spec)
        #expect(updated == RegistrationRecord(id: stored.id, spec: spec))
        #expect(try await provider.integration(named: "hooked")?.registrations == [updated])
    }

    @Test func theTypeIsFixed() async throws {
        let record = try await provider.createIntegration(Fixtures.attributes("stocksearch"))
        await #expect(throws: ConsoleError.invalid("credential 'stocksearch' is apikey; its type cannot change to oauth_server_to_server", request: nil)) {
            try await provider.updateIntegration(record.id, to: Fixtures.attributes("stocksearch", type: .serviceAccount))
        }
    }

    @Test func refusesIdsThatDoNotBelongTogether() async throws {
        let a = try await provider.createIntegration(Fixtures.attributes("alpha"))
        let b = try await provider.createIntegration(Fixtures.attributes("bravo"))
        let mixed = IntegrationID(projectId: a.id.projectId, workspaceId: a.id.workspaceId, credentialId: b.id.credentialId)
        await #expect(throws: ConsoleError.notFound(what: "credential \(b.id.credentialId) in workspace \(a.id.workspaceId)", request: nil)) {
            try await provider.setServices(mixed, to: [])
        }
        let unknown = IntegrationID(projectId: "1", workspaceId: "2", credentialId: "3")
        await #expect(throws: ConsoleError.notFound(what: "project 1", request: nil)) {
            try await provider.deleteIntegration(unknown)
        }
    }
}
