import KeyformTestSupport
import Foundation
import KeyformCore
import Testing
@testable import KeyformConsole

@Suite struct RegistrationRulesTests {
    let engine = ConsoleEngine(randomSource: SeededGenerator(seed: 3))

    private func integration(_ name: String = "assetsync") throws -> (ConsoleProject, ConsoleCredential) {
        try Fixtures.integration(engine, Fixtures.serviceAccountRequest(name))
    }

    @Test func createsReadsUpdatesAndDeletes() throws {
        let (project, credential) = try integration()
        let created = try engine.createRegistration(
            projectId: project.id, workspaceId: project.workspace.id,
            Fixtures.registrationRequest(clientId: credential.apiKey, codes: ["asset_deleted", "asset_created", "asset_created"]))
        #expect(created.eventCodes == ["asset_created", "asset_deleted"])
        #expect(created.enabled && created.webhookStatus == "verified" && created.deliveryType == "webhook")
        #expect(created.id.count == 36 && created.id.split(separator: "-").map(\.count) == [8, 4, 4, 4, 12])
        #expect(String(created.numericId).count == 12)
        #expect(try engine.registration(projectId: project.id, workspaceId: project.workspace.id, registrationId: created.id) == created)

        let updated = try engine.updateRegistration(
            projectId: project.id, workspaceId: project.workspace.id, registrationId: created.id,
            Fixtures.registrationRequest("asset-sync-2", clientId: "ignored", provider: "aem", codes: ["asset_published"], url: "https://new.example.com"))
        #expect(updated.id == created.id && updated.numericId == created.numericId && updated.clientId == credential.apiKey)
        #expect(updated.name == "asset-sync-2" && updated.providerId == "aem" && updated.eventCodes == ["asset_published"])
        #expect(try engine.registrations(projectId: project.id, workspaceId: project.workspace.id) == [updated])

        try engine.deleteRegistration(projectId: project.id, workspaceId: project.workspace.id, registrationId: created.id)
        #expect(try engine.registrations(projectId: project.id, workspaceId: project.workspace.id) == [])
        #expect(throws: ConsoleError.notFound(what: "registration \(created.id) in workspace \(project.workspace.id)", request: nil)) {
            try engine.deleteRegistration(projectId: project.id, workspaceId: project.workspace.id, registrationId: created.id)
        }
    }

    @Test func namesAreUniqueInTheWorkspaceAndTheConflictNamesTheHolder() throws {
        let (project, credential) = try integration()
        let first = try engine.createRegistration(projectId: project.id, workspaceId: project.workspace.id, Fixtures.registrationRequest(clientId: credential.apiKey))
        #expect(throws: ConsoleError.conflict(what: "registration name 'asset-sync' in workspace \(project.workspace.id)", existingId: first.id, request: nil)) {
            try engine.createRegistration(projectId: project.id, workspaceId: project.workspace.id, Fixtures.registrationRequest(clientId: credential.apiKey))
        }
        let second = try engine.createRegistration(
            projectId: project.id, workspaceId: project.workspace.id, Fixtures.registrationRequest("second", clientId: credential.apiKey))
        #expect(throws: ConsoleError.conflict(what: "registration name 'asset-sync' in workspace \(project.workspace.id)", existingId: first.id, request: nil)) {
            try engine.updateRegistration(
                projectId: project.id, workspaceId: project.workspace.id, registrationId: second.id, Fixtures.registrationRequest(clientId: credential.apiKey))
        }
        // The same name in another workspace is fine.
        let (other, otherCredential) = try integration("othersync")
        _ = try engine.createRegistration(projectId: other.id, workspaceId: other.workspace.id, Fixtures.registrationRequest(clientId: otherCredential.apiKey))
    }

    @Test func refusesUnknownProvidersEventCodesAndBadWebhooks() throws {
        let (project, credential) = try integration()
        let create = { (request: ConsoleRegistrationRequest) in
            try engine.createRegistration(projectId: project.id, workspaceId: project.workspace.id, request)
        }
        #expect(throws: ConsoleError.invalid("unknown event provider 'ccstorag'; did you mean 'ccstorage'?", request: nil)) {
            try create(Fixtures.registrationRequest(clientId: credential.apiKey, provider: "ccstorag"))
        }
        #expect(throws: ConsoleError.invalid("unknown event code 'asset_moved' for provider 'ccstorage' (known: asset_created, asset_deleted, asset_updated)", request: nil)) {
            try create(Fixtures.registrationRequest(clientId: credential.apiKey, codes: ["asset_created", "asset_moved"]))
        }
        #expect(throws: ConsoleError.invalid("registration 'asset-sync' has no event codes; name at least one of ccstorage's", request: nil)) {
            try create(Fixtures.registrationRequest(clientId: credential.apiKey, codes: []))
        }
        #expect(throws: ConsoleError.invalid("webhook URL 'http://hooks.example.com' must be an https URL of at most 4000 characters (http only for localhost or 127.0.0.1)", request: nil)) {
            try create(Fixtures.registrationRequest(clientId: credential.apiKey, url: "http://hooks.example.com"))
        }
        #expect(throws: ConsoleError.invalid("registration name 'ab' must have 3 to 255 characters", request: nil)) {
            try create(Fixtures.registrationRequest("ab", clientId: credential.apiKey))
        }
        #expect(throws: ConsoleError.invalid("client_id 'abc' is not the API key of the credential of workspace \(project.workspace.id)", request: nil)) {
            try create(Fixtures.registrationRequest(clientId: "abc"))
        }
        _ = try create(Fixtures.registrationRequest(clientId: credential.apiKey, url: "http://127.0.0.1:9000/hook"))
        #expect(try engine.registrations(projectId: project.id, workspaceId: project.workspace.id).count == 1)
    }

    @Test func atMost30RegistrationsPerCredential() throws {
        let (project, credential) = try integration()
        for index in 0..<30 {
            _ = try engine.createRegistration(
                projectId: project.id, workspaceId: project.workspace.id, Fixtures.registrationRequest("hook\(index)", clientId: credential.apiKey))
        }
        #expect(throws: ConsoleError.quotaExceeded(
            "credential 'assetsync' has 30 event registrations, the most one credential may have; delete one first", request: nil)
        ) {
            try engine.createRegistration(projectId: project.id, workspaceId: project.workspace.id, Fixtures.registrationRequest("hook30", clientId: credential.apiKey))
        }
    }

    @Test func atMost2500RegistrationsPerOrganization() throws {
        var last: (ConsoleProject, ConsoleCredential)?
        for index in 0..<84 {
            let (project, credential) = try integration("app\(index)")
            for hook in 0..<(index < 83 ? 30 : 10) {
                _ = try engine.createRegistration(
                    projectId: project.id, workspaceId: project.workspace.id, Fixtures.registrationRequest("hook\(hook)", clientId: credential.apiKey))
            }
            last = (project, credential)
        }
        let (project, credential) = try #require(last)
        #expect(throws: ConsoleError.quotaExceeded(
            "the organization has 2500 event registrations, the most it may have; delete one first", request: nil)
        ) {
            try engine.createRegistration(projectId: project.id, workspaceId: project.workspace.id, Fixtures.registrationRequest("one-more", clientId: credential.apiKey))
        }
    }

    @Test func anEngineMayHaveOtherQuotas() throws {
        let engine = ConsoleEngine(quotas: ConsoleQuotas(registrationsPerCredential: 2, registrationsPerOrganization: 3), randomSource: SeededGenerator(seed: 5))
        let (a, aCredential) = try Fixtures.integration(engine, Fixtures.serviceAccountRequest("first"))
        let (b, bCredential) = try Fixtures.integration(engine, Fixtures.serviceAccountRequest("second"))
        for name in ["one", "two"] {
            _ = try engine.createRegistration(projectId: a.id, workspaceId: a.workspace.id, Fixtures.registrationRequest(name, clientId: aCredential.apiKey))
        }
        #expect(throws: ConsoleError.quotaExceeded("credential 'first' has 2 event registrations, the most one credential may have; delete one first", request: nil)) {
            try engine.createRegistration(projectId: a.id, workspaceId: a.workspace.id, Fixtures.registrationRequest("three", clientId: aCredential.apiKey))
        }
        _ = try engine.createRegistration(projectId: b.id, workspaceId: b.workspace.id, Fixtures.registrationRequest("one", clientId: bCredential.apiKey))
        #expect(throws: ConsoleError.quotaExceeded("the organization has 3 event registrations, the most it may have; delete one first", request: nil)) {
            try engine.createRegistration(projectId: b.id, workspaceId: b.workspace.id, Fixtures.registrationRequest("two", clientId: bCredential.apiKey))
        }
    }
}
