import Foundation
import KeyformConsole
import KeyformCore
@testable import KeyformHTTP
import KeyformHTTPServer
import KeyformJSON
import Testing

/// The emulator's handler called directly: each route, and each refusal in Adobe's shapes.
@Suite struct EmulatorRouteTests {
    static let unauthorizedBody = #"{"title":"ErrInvalidOauthToken","status":401,"error_code":401013}"#

    @Test(arguments: [
        ("no headers", [:]),
        ("no API key", ["Authorization": "Bearer abc"]),
        ("no token", ["x-api-key": "key"]),
        ("basic auth", ["Authorization": "Basic YWxhZGRpbjpvcGVu", "x-api-key": "key"]),
        ("empty bearer", ["Authorization": "Bearer   ", "x-api-key": "key"]),
        ("empty API key", ["Authorization": "Bearer abc", "x-api-key": " "]),
    ] as [(String, HTTPHeaders)])
    func refusesWithoutBearerTokenAndAPIKey(_ label: String, _ headers: HTTPHeaders) async throws {
        let emulator = try EmulatorFixture.emulator()
        for target in ["/console/organizations", "/events/\(emulator.organizationId)/providers", "/no/such/path"] {
            let response = try await emulator.send("GET", target, headers: headers)
            #expect(response.status == 401, "\(label) \(target)")
            #expect(response.text == Self.unauthorizedBody, "\(label) \(target)")
            #expect(response.headers["content-type"] == "application/json")
        }
    }

    @Test func aRequiredTokenMustMatch() async throws {
        let emulator = try EmulatorFixture.emulator(EmulatorFixture.engine(), .init(requiredToken: "the-one"))
        let wrong = try await emulator.send("GET", "/console/organizations")
        #expect(wrong.status == 401)
        #expect(wrong.text == Self.unauthorizedBody)
        let right = try await emulator.send("GET", "/console/organizations", headers: ["Authorization": "bearer the-one", "x-api-key": "k"])
        #expect(right.status == 200)
    }

    @Test func organizationsServicesAndProviders() async throws {
        let engine = EmulatorFixture.engine()
        let emulator = try EmulatorFixture.emulator(engine)
        let org = try engine.organization()
        let organizations = try await emulator.send("GET", "/console/organizations")
        #expect(organizations.status == 200)
        #expect(organizations.text == #"[{"id":"\#(org.id)","code":"\#(org.code)","name":"Keyform Local","description":"","type":"entp","role":"ADMIN"}]"#)

        let services = try await emulator.send("GET", emulator.orgPath + "/services").json.arrayValue ?? []
        let entries = services.map { "\($0["code"]?.stringValue ?? "?")/\($0["type"]?.stringValue ?? "?")/\($0["entitledForOrg"] == .bool(true))" }
        #expect(entries == [
            "AdobeAnalyticsSDK/adobeid/false", "AdobeAnalyticsSDK/entp/false", "AdobeIOManagementAPISDK/entp/true",
            "CCStorageSdk/adobeid/true", "CampaignSDK/entp/false", "CloudIntegrationSDK/entp/true",
            "LightroomSDK/adobeid/true", "LightroomSDK/entp/true", "McDataServicesSdk/entp/true",
            "PhotoshopSDK/adobeid/true", "PhotoshopSDK/entp/true", "StockSDK/adobeid/true", "StockSDK/entp/true",
            "TypekitSDK/adobeid/false", "UserMgmtSDK/entp/true", "ViewSDK/adobeid/true",
        ])

        let providers = try await emulator.send("GET", "/events/\(org.id)/providers?eventmetadata=true")
        #expect(providers.status == 200)
        #expect(providers.headers["content-type"] == "application/hal+json")
        let listed = providers.json["_embedded"]?["providers"]?.arrayValue ?? []
        #expect(listed.map { $0["id"]?.stringValue ?? "" } == ["aem", "analytics-triggers", "ccstorage"])
        let ccstorage = listed.last?["_embedded"]?["eventmetadata"]?.arrayValue?.compactMap { $0["event_code"]?.stringValue }
        #expect(ccstorage == ["asset_created", "asset_deleted", "asset_updated"])
        #expect(listed.last?["_links"]?["self"]?["href"] == .string("http://\(EmulatorFixture.host)/events/providers/ccstorage"))
        let bare = try await emulator.send("GET", "/events/\(org.id)/providers")
        #expect(bare.json["_embedded"]?["providers"]?.arrayValue?.allSatisfy { $0["_embedded"] == nil } == true)
    }

    @Test func unknownPathsIdsAndMethods() async throws {
        let emulator = try EmulatorFixture.emulator()
        let path = try await emulator.send("GET", "/console/nothing")
        #expect(path.status == 404)
        #expect(path.text == #"{"status":404,"error_code":"ERR_NOT_FOUND","message":"GET /console/nothing not found"}"#)
        let org = try await emulator.send("GET", "/console/organizations/999/projects")
        #expect(org.text == #"{"status":404,"error_code":"ERR_NOT_FOUND","message":"organization 999 not found"}"#)
        let project = try await emulator.send("GET", emulator.orgPath + "/projects/123")
        #expect(project.status == 404)
        #expect(project.json["message"] == "project 123 not found")
        let registration = try await emulator.send("DELETE", "/events/\(emulator.organizationId)/1/2/registrations/3")
        #expect(registration.status == 404)
        #expect(registration.json["message"] == "project 1 not found")
        let method = try await emulator.send("PUT", emulator.orgPath + "/projects")
        #expect(method.status == 405)
        #expect(method.headers["allow"] == "GET, POST")
    }

    @Test func projectLifecycle() async throws {
        let emulator = try EmulatorFixture.emulator()
        let projects = emulator.orgPath + "/projects"
        var ids: [String] = []
        for name in ["charlie", "alpha", "bravo"] {
            let created = try await emulator.send("POST", projects, #"{"name":"\#(name)","title":"Title \#(name)","description":"about \#(name)","type":"jaeger"}"#)
            #expect(created.status == 201)
            #expect(created.json.objectValue?.map(\.key) == ["projectId", "projectType", "workspaceId"])
            #expect(created.json["projectType"] == "jaeger")
            ids.append(try #require(created.json["projectId"]?.stringValue))
        }
        let page = try await emulator.send("GET", projects + "?page=1&size=2")
        #expect(page.json.arrayValue?.compactMap { $0["name"]?.stringValue } == ["alpha", "bravo"])
        #expect(page.headers["X-Pagination-Count"] == "3")
        #expect(page.headers["X-Pagination-Page"] == "1")
        #expect(page.headers["X-Pagination-Size"] == "2")
        let second = try await emulator.send("GET", projects + "?page=2&size=2")
        #expect(second.json.arrayValue?.compactMap { $0["name"]?.stringValue } == ["charlie"])
        let titled = try await emulator.send("GET", projects + "?title=title%20BRAVO")
        #expect(titled.json.arrayValue?.compactMap { $0["name"]?.stringValue } == ["bravo"])

        let read = try await emulator.send("GET", projects + "/\(ids[0])")
        #expect(read.json["name"] == "charlie")
        #expect(read.json["metadata"] == nil)
        #expect(page.json.arrayValue?.first?["metadata"]?["workspaces"]?.arrayValue?.first?["name"] == "Production")
        let edited = try await emulator.send("PATCH", projects + "/\(ids[0])", #"{"name":"delta","title":"Delta","description":"new"}"#)
        #expect(edited.status == 200)
        #expect(edited.json["name"] == "delta")
        #expect(edited.json["description"] == "new")
        let workspaces = try await emulator.send("GET", projects + "/\(ids[0])/workspaces")
        #expect(workspaces.json.arrayValue?.count == 1)

        let canDelete = try await emulator.send("POST", projects + "/\(ids[0])/can-delete")
        #expect(canDelete.text == #"{"errors":[]}"#)
        let deleted = try await emulator.send("DELETE", projects + "/\(ids[0])")
        #expect(deleted.status == 200)
        #expect(try await emulator.send("GET", projects + "/\(ids[0])").status == 404)
    }

    @Test func aTakenProjectNameIsAConflictNamingTheHolder() async throws {
        let emulator = try EmulatorFixture.emulator()
        let body = #"{"name":"shared","title":"Shared","description":"","type":"jaeger"}"#
        let first = try await emulator.send("POST", emulator.orgPath + "/projects", body)
        let holder = try #require(first.json["projectId"]?.stringValue)
        let second = try await emulator.send("POST", emulator.orgPath + "/projects", body)
        #expect(second.status == 409)
        #expect(second.headers["x-conflicting-id"] == holder)
        #expect(second.json["message"] == .string("project name 'shared' is taken (by \(holder))"))
        let other = try await emulator.send("POST", emulator.orgPath + "/projects", #"{"name":"other","title":"Other","type":"jaeger"}"#)
        let rename = try await emulator.send("PATCH", emulator.orgPath + "/projects/\(other.json["projectId"]?.stringValue ?? "")", #"{"name":"shared","title":"x y z"}"#)
        #expect(rename.status == 409)
        #expect(rename.headers["x-conflicting-id"] == holder)
    }

    @Test func credentialsServicesAndIntegrations() async throws {
        let emulator = try EmulatorFixture.emulator()
        let app = try await emulator.makeIntegration("stockapp")
        let workspace = emulator.orgPath + "/projects/\(app.project)/workspaces/\(app.workspace)"
        let listed = try await emulator.send("GET", workspace + "/credentials")
        #expect(listed.text == #"[{"id_workspace":"\#(app.workspace)","id_integration":"\#(app.credential)","flow_type":"adobeid","credential_type":"apikey"}]"#)

        let services = try await emulator.send("PUT", workspace + "/credentials/adobeid/\(app.credential)/services",
                                               #"[{"sdkCode":"ViewSDK","licenseConfigs":null,"roles":null},{"sdkCode":"StockSDK"}]"#)
        #expect(services.status == 200)
        #expect(services.text == #"[{"sdkList":"StockSDK,ViewSDK"}]"#)
        let wrongType = try await emulator.send("PUT", workspace + "/credentials/entp/\(app.credential)/services", "[]")
        #expect(wrongType.status == 400)
        #expect(wrongType.json["message"] == .string("credential \(app.credential) is of type adobeid (apikey), not entp"))

        let updated = try await emulator.send("PUT", emulator.orgPath + "/integrations/adobeid/\(app.credential)",
                                              #"{"name":"stockapp","description":"changed","platform":"apiKey","domain":"b.example.com,a.example.com"}"#)
        #expect(updated.status == 200)
        #expect(updated.json["description"] == "changed")
        let read = try await emulator.send("GET", emulator.orgPath + "/integrations/\(app.credential)")
        #expect(read.json["apikey"] == .string(app.apiKey))
        #expect(read.json["domain"] == "a.example.com,b.example.com")
        #expect(read.json["sdkList"] == ["StockSDK", "ViewSDK"])
        #expect(read.json["platform"] == "apiKey")

        let serverToServer = try await emulator.send("POST", emulator.orgPath + "/projects", #"{"name":"robot","title":"Robot","type":"jaeger"}"#)
        let robot = emulator.orgPath + "/projects/\(serverToServer.json["projectId"]?.stringValue ?? "")/workspaces/\(serverToServer.json["workspaceId"]?.stringValue ?? "")"
        let created = try await emulator.send("POST", robot + "/credentials/oauth-server-to-server",
                                              #"{"name":"robot","description":"d","services":[{"sdkCode":"UserMgmtSDK"}]}"#)
        #expect(created.status == 200)
        #expect(created.json.objectValue?.map(\.key) == ["id", "apiKey", "orgId"])
        let robotId = try #require(created.json["id"]?.stringValue)
        let notAdobeId = try await emulator.send("PUT", emulator.orgPath + "/integrations/adobeid/\(robotId)",
                                                 #"{"name":"robot","description":"d","platform":"apiKey"}"#)
        #expect(notAdobeId.status == 400)
        #expect(try await emulator.send("GET", emulator.orgPath + "/integrations/\(robotId)").json["sdkList"] == ["UserMgmtSDK"])

        let misplaced = try await emulator.send("DELETE", robot + "/credentials/\(app.credential)")
        #expect(misplaced.status == 404)
        let deleted = try await emulator.send("DELETE", workspace + "/credentials/\(app.credential)")
        #expect(deleted.status == 200)
        #expect(try await emulator.send("GET", workspace + "/credentials").text == "[]")
    }

    @Test func registrationLifecycleAndNameConflict() async throws {
        let emulator = try EmulatorFixture.emulator()
        let app = try await emulator.makeIntegration("hooks")
        let path = "/events/\(emulator.organizationId)/\(app.project)/\(app.workspace)/registrations"
        let body = #"{"client_id":"\#(app.apiKey)","name":"asset-sync","description":"","delivery_type":"webhook","events_of_interest":[{"provider_id":"ccstorage","event_code":"asset_deleted"},{"provider_id":"ccstorage","event_code":"asset_created"}],"webhook_url":"https://hooks.example.com/a"}"#
        let created = try await emulator.send("POST", path, body)
        #expect(created.status == 201)
        #expect(created.headers["content-type"] == "application/hal+json")
        let id = try #require(created.json["registration_id"]?.stringValue)
        #expect(created.json["events_of_interest"]?.compactText()
            == #"[{"event_code":"asset_created","provider_id":"ccstorage"},{"event_code":"asset_deleted","provider_id":"ccstorage"}]"#)
        #expect(created.json["webhook_status"] == "verified")
        #expect(created.json["client_id"] == .string(app.apiKey))
        #expect(created.json["_links"]?["self"]?["href"] == .string("http://\(EmulatorFixture.host)\(path)/\(id)"))

        let again = try await emulator.send("POST", path, body)
        #expect(again.status == 409)
        #expect(again.headers["x-conflicting-id"] == id)

        let replaced = try await emulator.send("PUT", path + "/\(id)", #"{"name":"asset-sync","delivery_type":"webhook","events_of_interest":[{"provider":"ccstorage","event_code":"asset_updated"}],"webhook_url":"https://hooks.example.com/b"}"#)
        #expect(replaced.status == 200)
        #expect(replaced.json["webhook_url"] == "https://hooks.example.com/b")
        let listed = try await emulator.send("GET", path)
        #expect(listed.json["_embedded"]?["registrations"]?.arrayValue?.compactMap { $0["registration_id"]?.stringValue } == [id])
        #expect(try await emulator.send("GET", path + "/\(id)").json["events_of_interest"]?.compactText()
            == #"[{"event_code":"asset_updated","provider_id":"ccstorage"}]"#)

        let blocked = try await emulator.send("POST", emulator.orgPath + "/projects/\(app.project)/can-delete")
        #expect(blocked.json["errors"]?.arrayValue?.first?["code"] == "EVENT_REGISTRATIONS_EXIST")
        #expect(try await emulator.send("DELETE", emulator.orgPath + "/projects/\(app.project)").status == 400)

        let deleted = try await emulator.send("DELETE", path + "/\(id)")
        #expect(deleted.status == 204)
        #expect(deleted.body.isEmpty)
        #expect(try await emulator.send("GET", path + "/\(id)").status == 404)
    }

    @Test func registrationQuotaIsForbidden() async throws {
        let emulator = try EmulatorFixture.emulator(EmulatorFixture.engine(quotas: ConsoleQuotas(registrationsPerCredential: 1)))
        let app = try await emulator.makeIntegration("quota")
        let path = "/events/\(emulator.organizationId)/\(app.project)/\(app.workspace)/registrations"
        func body(_ name: String) -> String {
            #"{"client_id":"\#(app.apiKey)","name":"\#(name)","delivery_type":"webhook","events_of_interest":[{"provider_id":"aem","event_code":"asset_published"}],"webhook_url":"https://h.example.com"}"#
        }
        #expect(try await emulator.send("POST", path, body("first")).status == 201)
        let refused = try await emulator.send("POST", path, body("second"))
        #expect(refused.status == 403)
        #expect(refused.json["error_code"] == "ERR_MSG_QUOTA_EXCEEDED")
        #expect(refused.json["message"] == "quota exceeded: credential 'quota' has 1 event registrations, the most one credential may have; delete one first")
        #expect(refused.headers["x-conflicting-id"] == nil)
    }
}
