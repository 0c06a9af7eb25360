import KeyformTestSupport
import Foundation
import KeyformCore
import Testing
@testable import KeyformConsole

@Suite struct CredentialRulesTests {
    let engine = ConsoleEngine(randomSource: SeededGenerator(seed: 2))

    @Test func anAPIKeyIs32HexCharactersAndUnique() throws {
        var keys = Set<String>()
        for index in 0..<50 {
            let (_, credential) = try Fixtures.integration(engine, Fixtures.apiKeyRequest("app\(index)"))
            #expect(credential.apiKey.count == 32)
            #expect(credential.apiKey.allSatisfy { $0.isHexDigit && !$0.isUppercase })
            keys.insert(credential.apiKey)
        }
        #expect(keys.count == 50)
    }

    @Test func createsTheCredentialOfAWorkspace() throws {
        let created = try engine.createProject(name: "stocksearch", title: "Stock Search", description: "")
        let credential = try engine.createCredential(projectId: created.projectId, workspaceId: created.workspaceId, Fixtures.apiKeyRequest())
        #expect(credential.type == .apikey && credential.type.flowType == "adobeid")
        #expect(credential.domains == ["www.example.com"] && credential.projectId == created.projectId)
        #expect(try engine.credentials(projectId: created.projectId, workspaceId: created.workspaceId) == [credential])
        #expect(try engine.credential(id: credential.id) == credential)
        #expect(try engine.credential(apiKey: credential.apiKey) == credential)
        #expect(throws: ConsoleError.conflict(
            what: "credential of workspace \(created.workspaceId) (a workspace has one credential)", existingId: credential.id, request: nil)
        ) {
            try engine.createCredential(projectId: created.projectId, workspaceId: created.workspaceId, Fixtures.oauthRequest())
        }
        #expect(throws: ConsoleError.notFound(what: "workspace 42 of project \(created.projectId)", request: nil)) {
            try engine.createCredential(projectId: created.projectId, workspaceId: "42", Fixtures.apiKeyRequest())
        }
    }

    @Test func domainsAndRedirectURIsBelongToTheirTypes() throws {
        let created = try engine.createProject(name: "portal", title: "Portal", description: "")
        let create = { (request: ConsoleCredentialRequest) in
            try engine.createCredential(projectId: created.projectId, workspaceId: created.workspaceId, request)
        }
        #expect(throws: ConsoleError.invalid("an OAuth web app credential needs at least one redirect URI", request: nil)) {
            try create(Fixtures.oauthRequest(redirectUris: []))
        }
        #expect(throws: ConsoleError.invalid("redirect URI 'http://portal.example.com/cb' must be an https URL (http only for localhost or 127.0.0.1)", request: nil)) {
            try create(Fixtures.oauthRequest(redirectUris: ["http://portal.example.com/cb"]))
        }
        #expect(throws: ConsoleError.invalid("allowed domains apply to API key credentials only, not to oauth_server_to_server", request: nil)) {
            try create(ConsoleCredentialRequest(type: .oauthServerToServer, name: "portal", description: "", domains: ["example.com"]))
        }
        #expect(throws: ConsoleError.invalid("redirect URIs apply to OAuth web app credentials only, not to apikey", request: nil)) {
            try create(ConsoleCredentialRequest(type: .apikey, name: "portal", description: "", redirectUris: ["https://example.com"]))
        }
        #expect(throws: ConsoleError.invalid("allowed domain 'example.com/path' is not a host name", request: nil)) {
            try create(Fixtures.apiKeyRequest("portal", domains: ["example.com/path"]))
        }
        let local = try create(Fixtures.oauthRequest("portal", redirectUris: ["http://localhost:8080/cb", "https://portal.example.com/cb"]))
        #expect(local.redirectUris == ["http://localhost:8080/cb", "https://portal.example.com/cb"])
    }

    @Test func servicesAreSetAsAWholeList() throws {
        let (_, credential) = try Fixtures.integration(engine, Fixtures.serviceAccountRequest())
        #expect(try engine.setServices(credentialId: credential.id, ["StockSDK", "PhotoshopSDK", "StockSDK"]) == ["PhotoshopSDK", "StockSDK"])
        #expect(try engine.setServices(credentialId: credential.id, ["UserMgmtSDK"]) == ["UserMgmtSDK"])
        #expect(try engine.credential(id: credential.id).services == ["UserMgmtSDK"])
        #expect(try engine.setServices(credentialId: credential.id, []) == [])
    }

    @Test func refusesServicesTheOrganizationOrTheTypeCannotHave() throws {
        let (_, apiKey) = try Fixtures.integration(engine, Fixtures.apiKeyRequest())
        try engine.setServices(credentialId: apiKey.id, ["ViewSDK"])
        #expect(throws: ConsoleError.notEntitled(service: "TypekitSDK", request: nil)) {
            try engine.setServices(credentialId: apiKey.id, ["StockSDK", "TypekitSDK"])
        }
        #expect(throws: ConsoleError.unsupportedCredentialType(service: "PhotoshopSDK", type: .apiKey, supported: [.oauth, .serviceAccount], request: nil)) {
            try engine.setServices(credentialId: apiKey.id, ["PhotoshopSDK"])
        }
        #expect(throws: ConsoleError.invalid("unknown service 'StokSDK'; did you mean 'StockSDK'?", request: nil)) {
            try engine.setServices(credentialId: apiKey.id, ["StokSDK"])
        }
        #expect(throws: ConsoleError.invalid("unknown service 'Nothing'", request: nil)) {
            try engine.setServices(credentialId: apiKey.id, ["Nothing"])
        }
        // A refused list changes nothing.
        #expect(try engine.credential(id: apiKey.id).services == ["ViewSDK"])
        #expect(throws: ConsoleError.notFound(what: "credential 99", request: nil)) { try engine.setServices(credentialId: "99", []) }
        // Service accounts may take services in the create body, checked the same way.
        #expect(throws: ConsoleError.unsupportedCredentialType(service: "ViewSDK", type: .serviceAccount, supported: [.apiKey], request: nil)) {
            try Fixtures.integration(engine, Fixtures.serviceAccountRequest(services: ["ViewSDK"]))
        }
        #expect(try engine.project(named: "assetsync") == nil)
    }

    @Test func theTypeOfACredentialCannotChange() throws {
        let (_, credential) = try Fixtures.integration(engine, Fixtures.apiKeyRequest())
        #expect(throws: ConsoleError.invalid("credential 'stocksearch' is apikey; its type cannot change to oauthwebapp", request: nil)) {
            try engine.updateCredential(id: credential.id, Fixtures.oauthRequest("stocksearch"))
        }
        let updated = try engine.updateCredential(id: credential.id, Fixtures.apiKeyRequest(domains: ["b.example.com", "a.example.com"]))
        #expect(updated.domains == ["a.example.com", "b.example.com"] && updated.apiKey == credential.apiKey)
    }

    @Test func aCredentialWithRegistrationsCannotBeDeleted() throws {
        let (project, credential) = try Fixtures.integration(engine, Fixtures.serviceAccountRequest())
        _ = try engine.createRegistration(projectId: project.id, workspaceId: project.workspace.id, Fixtures.registrationRequest(clientId: credential.apiKey))
        #expect(throws: ConsoleError.invalid("credential 'assetsync' has 1 event registration(s); delete them before the credential", request: nil)) {
            try engine.deleteCredential(id: credential.id)
        }
    }

    @Test func updatesAProjectAndItsCredentialTogether() throws {
        let (project, credential) = try Fixtures.integration(engine, Fixtures.oauthRequest())
        let (newProject, newCredential) = try engine.updateProjectAndCredential(
            projectId: project.id, name: "webportal2", title: "New Portal", description: "New",
            credential: Fixtures.oauthRequest("webportal2", redirectUris: ["https://new.example.com/cb"]))
        #expect(newProject.name == "webportal2" && newProject.title == "New Portal" && newProject.workspace == project.workspace)
        #expect(newCredential.id == credential.id && newCredential.redirectUris == ["https://new.example.com/cb"])
        // A refused credential edit leaves the project unchanged too.
        #expect(throws: ConsoleError.invalid("an OAuth web app credential needs at least one redirect URI", request: nil)) {
            try engine.updateProjectAndCredential(
                projectId: project.id, name: "webportal3", title: "Third", description: "", credential: Fixtures.oauthRequest("webportal3", redirectUris: []))
        }
        #expect(try engine.project(id: project.id).name == "webportal2")
    }
}
