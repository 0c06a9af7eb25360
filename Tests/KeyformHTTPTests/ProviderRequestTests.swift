import Foundation
import KeyformCore
import Testing
@testable import KeyformHTTP

/// Every provider operation sends exactly the documented requests: method, URL, headers and
/// body, byte for byte.
@Suite struct ProviderRequestTests {
    static let description = "Adobe Stock search for the marketing site's image picker."

    static func attributes(_ type: CredentialType) -> IntegrationAttributes {
        IntegrationAttributes(
            name: "stocksearchweb", title: "Stock Search Web", description: description, type: type,
            allowedDomains: type == .apiKey ? ["a.example.com", "www.example.com"] : [],
            redirectUris: type == .oauth ? ["https://app.example.com/callback", "https://app.example.com/cb2"] : [])
    }

    static let credentialBodies: [CredentialType: (String, String)] = [
        .apiKey: ("POST \(Fixture.workspacePath)/credentials/adobeId",
                  #"{"name":"stocksearchweb","description":"\#(description)","platform":"apiKey","domain":"a.example.com,www.example.com"}"#),
        .oauth: ("POST \(Fixture.workspacePath)/credentials/adobeId",
                 #"{"name":"stocksearchweb","description":"\#(description)","platform":"WebApp","redirectUriList":["https://app.example.com/callback","https://app.example.com/cb2"],"defaultRedirectUri":"https://app.example.com/callback"}"#),
        .serviceAccount: ("POST \(Fixture.workspacePath)/credentials/oauth-server-to-server",
                          #"{"name":"stocksearchweb","description":"\#(description)"}"#),
    ]

    @Test(arguments: CredentialType.allCases)
    func createIntegrationSendsProjectThenCredential(type: CredentialType) async throws {
        let (credentialKey, credentialBody) = try #require(Self.credentialBodies[type])
        let credentialAnswer: ScriptedTransport.Answer = type == .serviceAccount
            ? .json(#"{"id":"c1","apiKey":"ak-1","orgId":"1234"}"#)
            : .json(#"[{"id":"c1","apiKey":"ak-1","orgId":"1234"}]"#)
        let transport = ScriptedTransport([
            Fixture.organizations,
            ("GET /console/organizations/1234/projects?page=1&size=100", [.json("[]")]),
            ("POST /console/organizations/1234/projects", [.json(201, #"{"projectId":"p1","projectType":"jaeger","workspaceId":"w1"}"#)]),
            (credentialKey, [credentialAnswer]),
        ])
        let record = try await Fixture.provider(transport).createIntegration(Self.attributes(type))

        #expect(record == IntegrationRecord(id: Fixture.id, apiKey: "ak-1", attributes: Self.attributes(type)))
        #expect(await transport.keys == [
            "GET /console/organizations", "GET /console/organizations/1234/projects?page=1&size=100",
            "POST /console/organizations/1234/projects", credentialKey,
        ])
        let project = try #require(await transport.requests("POST /console/organizations/1234/projects").first)
        #expect(project.url.absoluteString == "https://console.test/console/organizations/1234/projects")
        #expect(project.bodyText == #"{"name":"stocksearchweb","title":"Stock Search Web","description":"\#(Self.description)","type":"jaeger"}"#)
        #expect(project.headers == [
            "Authorization": "Bearer \(Fixture.token)", "x-api-key": Fixture.apiKey,
            "Accept": "application/json", "Content-Type": "application/json",
        ])
        let credential = try #require(await transport.requests(credentialKey).first)
        #expect(credential.bodyText == credentialBody)
        #expect(credential.isAuthenticated)
        #expect(await transport.unscripted == [])
    }

    @Test(arguments: CredentialType.allCases)
    func updateIntegrationPatchesProjectAndPutsAdobeIdCredential(type: CredentialType) async throws {
        let transport = ScriptedTransport([
            Fixture.organizations,
            ("PATCH \(Fixture.projectPath)", [.status(200)]),
            ("PUT /console/organizations/1234/integrations/adobeid/c1", [.json(#"{"id":"c1","apikey":"ak-1"}"#)]),
        ])
        var attributes = Self.attributes(type)
        attributes.name = "stocksearch2"
        try await Fixture.provider(transport).updateIntegration(Fixture.id, to: attributes)

        let patch = try #require(await transport.requests("PATCH \(Fixture.projectPath)").first)
        #expect(patch.bodyText == #"{"name":"stocksearch2","title":"Stock Search Web","description":"\#(Self.description)"}"#)
        #expect(patch.isAuthenticated)
        let puts = await transport.requests("PUT /console/organizations/1234/integrations/adobeid/c1")
        if type == .serviceAccount {
            #expect(puts.isEmpty)
        } else {
            let expected = try #require(Self.credentialBodies[type]).1.replacingOccurrences(of: "stocksearchweb", with: "stocksearch2")
            #expect(puts.map(\.bodyText) == [expected])
        }
    }

    @Test func setServicesPutsTheWholeSortedListUnderTheCredentialsFlowType() async throws {
        let servicesKey = "PUT \(Fixture.workspacePath)/credentials/entp/c1/services"
        let transport = ScriptedTransport([
            Fixture.organizations,
            ("GET \(Fixture.workspacePath)/credentials", [.json(
                #"[{"id_workspace":"w1","id_integration":"c0","flow_type":"adobeid","credential_type":"apikey"},"#
                    + #"{"id_workspace":"w1","id_integration":"c1","flow_type":"entp","credential_type":"oauth_server_to_server"}]"#)]),
            (servicesKey, [.json(#"{"sdkList":["CloudIntegrationSDK","UserMgmtSDK"]}"#)]),
        ])
        let provider = try Fixture.provider(transport)
        try await provider.setServices(Fixture.id, to: ["UserMgmtSDK", "CloudIntegrationSDK", "UserMgmtSDK"])
        try await provider.setServices(Fixture.id, to: [])

        #expect(await transport.requests(servicesKey).map(\.bodyText) == [
            #"[{"sdkCode":"CloudIntegrationSDK","licenseConfigs":null,"roles":null},{"sdkCode":"UserMgmtSDK","licenseConfigs":null,"roles":null}]"#,
            "[]",
        ])
        // The flow type is listed once, then remembered.
        #expect(await transport.requests("GET \(Fixture.workspacePath)/credentials").count == 1)
    }

    @Test func registrationRequestsGoToTheEventsHostWithOrgHeader() async throws {
        let transport = ScriptedTransport([
            Fixture.organizations,
            ("GET /console/organizations/1234/integrations/c1", [.json(#"{"id":"c1","apikey":"ak-1","sdkList":[]}"#)]),
            ("POST \(Fixture.registrationsPath)", [.json(201, Fixture.registrationJSON(id: "r1", spec: Fixture.assetSync))]),
            ("PUT \(Fixture.registrationsPath)/r1", [.json(Fixture.registrationJSON(id: "r1", spec: Fixture.assetSync))]),
            ("DELETE \(Fixture.registrationsPath)/r1", [.status(204)]),
        ])
        let provider = try Fixture.provider(transport)
        let created = try await provider.createRegistration(Fixture.id, Fixture.assetSync)
        try await provider.updateRegistration(Fixture.id, registrationId: "r1", to: Fixture.assetSync)
        try await provider.deleteRegistration(Fixture.id, registrationId: "r1")

        #expect(created == RegistrationRecord(id: "r1", spec: Fixture.assetSync))
        let interests = #""events_of_interest":[{"provider_id":"ccstorage","event_code":"asset_created"},{"provider_id":"ccstorage","event_code":"asset_deleted"}]"#
        let post = try #require(await transport.requests("POST \(Fixture.registrationsPath)").first)
        #expect(post.url.absoluteString == "https://events.test/events/1234/p1/w1/registrations")
        #expect(post.bodyText == #"{"client_id":"ak-1","name":"asset-sync","description":"","delivery_type":"webhook",\#(interests),"webhook_url":"https://hooks.example.com/adobe/assets"}"#)
        #expect(post.headers == [
            "Authorization": "Bearer \(Fixture.token)", "x-api-key": Fixture.apiKey, "x-ims-org-id": Fixture.orgCode,
            "Accept": "application/hal+json", "Content-Type": "application/json",
        ])
        let put = try #require(await transport.requests("PUT \(Fixture.registrationsPath)/r1").first)
        #expect(put.bodyText == #"{"name":"asset-sync","description":"","delivery_type":"webhook",\#(interests),"webhook_url":"https://hooks.example.com/adobe/assets"}"#)
        let delete = try #require(await transport.requests("DELETE \(Fixture.registrationsPath)/r1").first)
        #expect(delete.body == nil && delete.isAuthenticated && delete.headers["x-ims-org-id"] == Fixture.orgCode)
        #expect(await transport.unscripted == [])
    }

    @Test func deleteIntegrationDeletesCredentialThenProjectAndToleratesGoneOnes() async throws {
        let transport = ScriptedTransport([
            Fixture.organizations,
            ("DELETE \(Fixture.workspacePath)/credentials/c1", [.status(404, body: #"{"message":"Credential not found"}"#)]),
            ("DELETE \(Fixture.projectPath)", [.status(200)]),
        ])
        try await Fixture.provider(transport).deleteIntegration(Fixture.id)
        #expect(await transport.keys == [
            "GET /console/organizations", "DELETE \(Fixture.workspacePath)/credentials/c1", "DELETE \(Fixture.projectPath)",
        ])
        #expect(await transport.requests.allSatisfy { $0.isAuthenticated && $0.body == nil })
    }

    @Test func numericOrganizationIsMatchedByIdAndItsCodeSentToEvents() async throws {
        let transport = ScriptedTransport([
            Fixture.organizations,
            ("DELETE \(Fixture.registrationsPath)/r9", [.status(204)]),
        ])
        let provider = HTTPProvider(configuration: try Fixture.configuration(org: "1234"), transport: transport, sleep: { _ in })
        try await provider.deleteRegistration(Fixture.id, registrationId: "r9")
        #expect(await transport.requests.last?.headers["x-ims-org-id"] == Fixture.orgCode)
    }

    @Test func unknownOrganizationIsNotFound() async throws {
        let transport = ScriptedTransport([
            ("GET /console/organizations", [.json(#"[{"id":"99","code":"OTHER@AdobeOrg"}]"#, headers: ["x-request-id": "org-req"])]),
        ])
        let error = await #expect(throws: ConsoleError.self) { try await Fixture.provider(transport).catalog() }
        #expect(error == .notFound(
            what: "organization ACME0001@AdobeOrg (not among the organizations this token can see)",
            request: .init(method: "GET", path: "/console/organizations", requestId: "org-req")))
        // The fix points at the configuration, not at something deleted in the console.
        #expect(error?.userMessage.hasSuffix(
            "; check \"org\" in keyform.json: it names an organization the access token can see, by its code (1234567@AdobeOrg) or id") == true)
    }
}
