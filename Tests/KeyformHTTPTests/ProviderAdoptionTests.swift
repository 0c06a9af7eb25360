import Foundation
import KeyformCore
import Testing
@testable import KeyformHTTP

/// What an interrupted apply leaves behind is adopted, never created twice.
@Suite struct ProviderAdoptionTests {
    static let attributes = IntegrationAttributes(name: "pdfworker", title: "PDF Worker", description: "Renders PDFs.", type: .serviceAccount)
    static let page = "GET /console/organizations/1234/projects?page=1&size=100"
    static let halfMade = #"[{"id":"p1","name":"pdfworker","title":"PDF Worker","description":"Renders PDFs.","metadata":{"workspaces":[{"id":"w1","name":"Production"}]}}]"#
    static let createCredential = "POST \(Fixture.workspacePath)/credentials/oauth-server-to-server"

    @Test func aProjectWithoutCredentialIsAdoptedAndGetsOne() async throws {
        let transport = ScriptedTransport([
            Fixture.organizations,
            (Self.page, [.json(Self.halfMade)]),
            ("GET \(Fixture.projectPath)", [.json(#"{"id":"p1","name":"pdfworker","title":"PDF Worker","description":"Renders PDFs."}"#)]),
            ("GET \(Fixture.workspacePath)/credentials", [.json("[]")]),
            (Self.createCredential, [.json(#"{"id":"c1","apiKey":"ak-1","orgId":"1234"}"#)]),
        ])
        let provider = try Fixture.provider(transport)
        #expect(try await provider.integration(named: "pdfworker") == nil)
        let record = try await provider.createIntegration(Self.attributes)
        #expect(record == IntegrationRecord(id: Fixture.id, apiKey: "ak-1", attributes: Self.attributes))
        #expect(await transport.requests("POST /console/organizations/1234/projects").isEmpty)
        #expect(await transport.requests(Self.page).count == 1)
        #expect(await transport.unscripted == [])
    }

    @Test func aProjectHoldingACredentialOfAnotherTypeIsAConflict() async throws {
        let transport = ScriptedTransport([
            Fixture.organizations,
            (Self.page, [.json(Self.halfMade)]),
            ("GET \(Fixture.workspacePath)/credentials", [.json(
                #"[{"id_workspace":"w1","id_integration":"c1","flow_type":"adobeid","credential_type":"apikey"}]"#)]),
        ])
        await #expect(throws: ConsoleError.conflict(what: "project pdfworker, whose credential is of type apiKey,", existingId: "p1", request: nil)) {
            try await Fixture.provider(transport).createIntegration(Self.attributes)
        }
        #expect(await transport.requests(Self.createCredential).isEmpty)
    }

    @Test func aCreatedIntegrationIsFoundByNameWithoutListingAgain() async throws {
        let transport = ScriptedTransport([
            Fixture.organizations,
            (Self.page, [.json("[]")]),
            ("POST /console/organizations/1234/projects", [.json(201, #"{"projectId":"p1","workspaceId":"w1"}"#)]),
            (Self.createCredential, [.json(#"{"id":"c1","apiKey":"ak-1"}"#)]),
            ("GET \(Fixture.projectPath)", [.json(#"{"id":"p1","name":"pdfworker","title":"PDF Worker","description":"Renders PDFs."}"#)]),
            ("GET \(Fixture.workspacePath)/credentials", [.json(
                #"[{"id_workspace":"w1","id_integration":"c1","flow_type":"entp","credential_type":"oauth_server_to_server"}]"#)]),
            ("GET /console/organizations/1234/integrations/c1", [.json(#"{"id":"c1","apikey":"ak-1","sdkList":[]}"#)]),
            ("GET \(Fixture.registrationsPath)", [.json(#"{"_embedded":{"registrations":[]}}"#)]),
        ])
        let provider = try Fixture.provider(transport)
        let created = try await provider.createIntegration(Self.attributes)
        #expect(try await provider.integration(named: "pdfworker") == created)
        #expect(await transport.requests(Self.page).count == 1)
        #expect(await transport.unscripted == [])
    }

    @Test func aRenameMovesTheIndexEntry() async throws {
        let transport = ScriptedTransport([
            Fixture.organizations,
            (Self.page, [.json(Self.halfMade)]),
            ("PATCH \(Fixture.projectPath)", [.status(200)]),
        ])
        let provider = try Fixture.provider(transport)
        _ = try await provider.projectIndex(org: "1234")
        var renamed = Self.attributes
        renamed.name = "pdfrenderer"
        try await provider.updateIntegration(Fixture.id, to: renamed)
        let index = try await provider.projectIndex(org: "1234")
        #expect(index.keys.sorted() == ["pdfrenderer"])
        #expect(index["pdfrenderer"]?.id == "p1")
    }
}
