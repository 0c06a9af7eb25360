import Foundation
import KeyformCore
import KeyformTestSupport
import Testing
@testable import KeyformHTTP

/// Reading: the catalog, paging, listing integrations, finding one by name.
@Suite struct ProviderReadTests {
    static let providersJSON = #"{"_links":{"self":{"href":"x"}},"_embedded":{"providers":["#
        + #"{"id":"ccstorage","label":"Creative Cloud Assets","_embedded":{"eventmetadata":[{"event_code":"asset_updated","label":"U"},{"event_code":"asset_created","label":"C"}]}},"#
        + #"{"id":"aem","label":"Experience Manager"}]}}"#

    @Test func catalogMergesServiceTypesPerCodeFromAdobesSampleListing() async throws {
        let sample = try String(contentsOf: TestPaths.sharedTestdata.appendingPathComponent("adobe/console-services.sample.json"), encoding: .utf8)
        let transport = ScriptedTransport([
            Fixture.organizations,
            ("GET /console/organizations/1234/services", [.json(sample)]),
            ("GET /events/1234/providers?eventmetadata=true", [.json(Self.providersJSON)]),
        ])
        let catalog = try await Fixture.provider(transport).catalog()

        #expect(catalog.service("StockSDK") == .init(code: "StockSDK", name: "Adobe Stock", credentialTypes: [.apiKey, .oauth, .serviceAccount], isEntitled: true))
        #expect(catalog.service("TypekitSDK") == .init(code: "TypekitSDK", name: "Typekit Platform", credentialTypes: [.apiKey, .oauth], isEntitled: false))
        #expect(catalog.service("UserMgmtSDK")?.credentialTypes == [.serviceAccount])
        // `analytics` is not a credential flow Keyform manages: only the entp entry counts.
        #expect(catalog.service("AdobeAnalyticsSDK") == .init(code: "AdobeAnalyticsSDK", name: "Adobe Analytics", credentialTypes: [.serviceAccount], isEntitled: false))
        #expect(catalog.services.count == 38)
        #expect(catalog.eventProviders == [
            .init(id: "aem", label: "Experience Manager", eventCodes: []),
            .init(id: "ccstorage", label: "Creative Cloud Assets", eventCodes: ["asset_created", "asset_updated"]),
        ])
        let events = try #require(await transport.requests("GET /events/1234/providers?eventmetadata=true").first)
        #expect(events.url.absoluteString == "https://events.test/events/1234/providers?eventmetadata=true")
        #expect(events.headers["Accept"] == "application/hal+json" && events.isAuthenticated)
    }

    @Test func entitledForOrgWinsOverEnabled() async throws {
        let transport = ScriptedTransport([
            Fixture.organizations,
            ("GET /console/organizations/1234/services", [.json(
                #"[{"code":"ViewSDK","name":"View SDK","type":"adobeid","enabled":true,"entitledForOrg":false,"disabledReasons":["ORG_MISSING_PRODUCT_PROFILES"]}]"#)]),
            ("GET /events/1234/providers?eventmetadata=true", [.json(#"{"_embedded":{"providers":[]}}"#)]),
        ])
        let catalog = try await Fixture.provider(transport).catalog()
        #expect(catalog.services == [.init(code: "ViewSDK", name: "View SDK", credentialTypes: [.apiKey, .oauth], isEntitled: false)])
    }

    static func projectJSON(_ n: Int) -> String {
        #"{"id":"p\#(n)","name":"app\#(n)","title":"App \#(n)","description":"d","type":"jaeger","enabled":true,"deleted":false}"#
    }

    @Test func projectsArePagedUntilAShortPage() async throws {
        let page = { (numbers: [Int]) in ScriptedTransport.Answer.json("[" + numbers.map(Self.projectJSON).joined(separator: ",") + "]") }
        let transport = ScriptedTransport([
            Fixture.organizations,
            ("GET /console/organizations/1234/projects?page=1&size=2", [page([1, 2])]),
            ("GET /console/organizations/1234/projects?page=2&size=2", [page([3, 4])]),
            ("GET /console/organizations/1234/projects?page=3&size=2", [page([5])]),
        ])
        let provider = try Fixture.provider(transport, pageSize: 2)
        let projects = try await provider.allProjects(org: "1234")
        #expect(projects.map(\.name) == ["app1", "app2", "app3", "app4", "app5"])
        #expect(await transport.keys.filter { $0.contains("/projects") } == [
            "GET /console/organizations/1234/projects?page=1&size=2",
            "GET /console/organizations/1234/projects?page=2&size=2",
            "GET /console/organizations/1234/projects?page=3&size=2",
        ])
    }

    @Test func aConsoleThatIgnoresPagingCannotMakeTheListingLoop() async throws {
        let everything = ScriptedTransport.Answer.json("[" + [1, 2].map(Self.projectJSON).joined(separator: ",") + "]")
        let transport = ScriptedTransport([
            Fixture.organizations,
            ("GET /console/organizations/1234/projects?page=1&size=2", [everything]),
            ("GET /console/organizations/1234/projects?page=2&size=2", [everything]),
        ])
        let projects = try await Fixture.provider(transport, pageSize: 2).allProjects(org: "1234")
        #expect(projects.map(\.id) == ["p1", "p2"])
        #expect(await transport.requests.count == 2)
    }

    /// A console whose every page is full of projects never seen before: the listing ends
    /// with an error at the page limit (it went on until the memory ran out).
    @Test func aListingThatNeverEndsStopsAtThePageLimit() async throws {
        struct EndlessPages: HTTPTransport {
            func send(_ request: HTTPTransportRequest) async throws -> HTTPTransportResponse {
                guard request.url.path != "/console/organizations" else {
                    return HTTPTransportResponse(status: 200, text: #"[{"id":"1234","code":"ACME0001@AdobeOrg"}]"#)
                }
                let page = request.url.query?.split(separator: "&").first { $0.hasPrefix("page=") }?.dropFirst(5) ?? "?"
                return HTTPTransportResponse(status: 200, text: #"[{"id":"p\#(page)","name":"app\#(page)"}]"#)
            }
        }
        let provider = HTTPProvider(configuration: try Fixture.configuration(pageSize: 1), transport: EndlessPages(), sleep: { _ in })
        await #expect(throws: ConsoleError.badResponse(
            "the project listing did not end after 1000 full pages (1000 projects)",
            request: .init(method: "GET", path: "/console/organizations/1234/projects", status: 200))) {
            try await provider.allProjects(org: "1234")
        }
    }

    /// Two integrations (one whose listing names its workspace, one that needs the workspaces
    /// read) and a project without a credential Keyform manages.
    static let listScript: [(String, [ScriptedTransport.Answer])] = [
        Fixture.organizations,
        ("GET /console/organizations/1234/projects?page=1&size=100", [.json(
            #"[{"id":"p2","name":"zeta","title":"Zeta","description":"Z","metadata":{"workspaces":[{"id":"w2s","name":"Stage"},{"id":"w2","name":"Production"}]}},"#
                + #"{"id":"p1","name":"alpha","title":"Alpha","description":"A"},"#
                + #"{"id":"p3","name":"manual","title":"Manual","description":"M","metadata":{"workspaces":[{"id":"w3","name":"Production"}]}},"#
                + #"{"id":"p4","name":"gone","title":"Gone","description":"G","deleted":true}]"#)]),
        ("GET /console/organizations/1234/projects/p1/workspaces", [.json(#"[{"id":"w1","name":"Production","title":"Production"}]"#)]),
        ("GET /console/organizations/1234/projects/p1/workspaces/w1/credentials", [.json(
            #"[{"id_workspace":"w1","id_integration":"c1","flow_type":"adobeid","credential_type":"apikey"}]"#)]),
        ("GET /console/organizations/1234/projects/p2/workspaces/w2/credentials", [.json(
            #"[{"id_workspace":"w2","id_integration":"c2","flow_type":"entp","integration_type":"oauth_server_to_server"}]"#)]),
        ("GET /console/organizations/1234/projects/p3/workspaces/w3/credentials", [.json(
            #"[{"id_workspace":"w3","id_integration":"c3","flow_type":"entp","credential_type":"service"}]"#)]),
        ("GET /console/organizations/1234/integrations/c1", [.json(
            #"{"id":"c1","apikey":"ak-1","name":"alpha","platform":"apiKey","domain":"www.example.com, a.example.com","sdkList":["ViewSDK","StockSDK"]}"#)]),
        ("GET /console/organizations/1234/integrations/c2", [.json(
            #"{"id":"c2","apikey":"ak-2","name":"zeta","sdkList":["UserMgmtSDK"],"redirectUriList":null}"#)]),
        ("GET /events/1234/p1/w1/registrations", [.json(
            #"{"_embedded":{"registrations":[\#(Fixture.registrationJSON(id: "r1", spec: Fixture.assetSync))]}}"#)]),
        ("GET /events/1234/p2/w2/registrations", [.status(404, body: #"{"message":"Registration does not exist"}"#)]),
    ]

    static let alpha = IntegrationRecord(
        id: IntegrationID(projectId: "p1", workspaceId: "w1", credentialId: "c1"), apiKey: "ak-1",
        attributes: IntegrationAttributes(
            name: "alpha", title: "Alpha", description: "A", type: .apiKey, allowedDomains: ["a.example.com", "www.example.com"]),
        services: ["StockSDK", "ViewSDK"], registrations: [RegistrationRecord(id: "r1", spec: Fixture.assetSync)])

    static let zeta = IntegrationRecord(
        id: IntegrationID(projectId: "p2", workspaceId: "w2", credentialId: "c2"), apiKey: "ak-2",
        attributes: IntegrationAttributes(name: "zeta", title: "Zeta", description: "Z", type: .serviceAccount),
        services: ["UserMgmtSDK"])

    @Test func listIntegrationsReadsEveryProjectAndSkipsForeignOnes() async throws {
        let transport = ScriptedTransport(Self.listScript)
        let records = try await Fixture.provider(transport).listIntegrations()
        #expect(records == [Self.alpha, Self.zeta])
        #expect(await transport.unscripted == [])
        // 1 organizations + 1 page + 1 workspaces (p1 only) + 3 credentials + 2 credential reads + 2 registration lists.
        #expect(await transport.requests.count == 10)
    }

    static let zetaCredentials = "GET /console/organizations/1234/projects/p2/workspaces/w2/credentials"
    static let zetaProject = "GET /console/organizations/1234/projects/p2"

    /// A 404 on the credential list of a project the console still has is the console's
    /// error: it was read as the project deleted, and `plan` proposed to create it again.
    @Test func a404OnAPartOfAProjectThatExistsIsAnError() async throws {
        let transport = ScriptedTransport(Self.listScript.filter { $0.0 != Self.zetaCredentials } + [
            (Self.zetaCredentials, [.status(404, headers: ["x-request-id": "nf"])]),
            (Self.zetaProject, [.json(#"{"id":"p2","name":"zeta","title":"Zeta","description":"Z"}"#)]),
        ])
        await #expect(throws: ConsoleError.badResponse(
            "workspace w2 not found, though its project p2 exists",
            request: .init(method: "GET", path: "/console/organizations/1234/projects/p2/workspaces/w2/credentials", status: 404, requestId: "nf"))) {
            try await Fixture.provider(transport).listIntegrations()
        }
    }

    /// The same 404 for a project deleted while being read: left out, as before.
    @Test func a404OnAPartOfAProjectDeletedMeanwhileLeavesItOut() async throws {
        let transport = ScriptedTransport(Self.listScript.filter { $0.0 != Self.zetaCredentials } + [
            (Self.zetaCredentials, [.status(404)]), (Self.zetaProject, [.status(404)]),
        ])
        #expect(try await Fixture.provider(transport).listIntegrations() == [Self.alpha])
    }

    @Test func integrationNamedUsesTheIndexAndConfirmsByReadingTheProject() async throws {
        let transport = ScriptedTransport(Self.listScript + [
            ("GET /console/organizations/1234/projects/p2", [.json(#"{"id":"p2","name":"zeta","title":"Zeta","description":"Z"}"#)]),
        ])
        let provider = try Fixture.provider(transport)
        #expect(try await provider.integration(named: "zeta") == Self.zeta)
        #expect(try await provider.integration(named: "nosuch") == nil)
        #expect(try await provider.integration(named: "gone") == nil)
        // One listing serves every lookup.
        #expect(await transport.requests("GET /console/organizations/1234/projects?page=1&size=100").count == 1)
    }

    @Test func integrationNamedForgetsAProjectDeletedSinceTheListing() async throws {
        let transport = ScriptedTransport(Self.listScript + [
            ("GET /console/organizations/1234/projects/p2", [.status(404)]),
        ])
        let provider = try Fixture.provider(transport)
        #expect(try await provider.integration(named: "zeta") == nil)
        #expect(try await provider.integration(named: "zeta") == nil)
        #expect(await transport.requests("GET /console/organizations/1234/projects/p2").count == 1)
    }
}
