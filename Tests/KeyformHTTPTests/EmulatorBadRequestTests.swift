import Foundation
import KeyformConsole
import KeyformCore
@testable import KeyformHTTP
import KeyformHTTPServer
import KeyformJSON
import Testing

/// Bodies and queries the emulator refuses with 400, naming the field; and the secrets it
/// never hands out.
@Suite struct EmulatorBadRequestTests {
    /// One refused request: what is sent where (`P`, `W` and `K` stand for the project,
    /// workspace and API key of a fresh integration), and the message and field expected.
    struct Case: Sendable, CustomStringConvertible {
        var method: String
        var path: String
        var body: String?
        var message: String
        var field: String?
        var description: String { "\(method) \(path) \(body ?? "")" }
    }

    static let projects = "/projects"
    static let registrations = "/events/ORG/P/W/registrations"
    static let validRegistration = #""name":"hook","delivery_type":"webhook","webhook_url":"https://h.example.com""#

    static let cases: [Case] = [
        Case(method: "POST", path: projects, body: nil, message: "the request needs a JSON body"),
        Case(method: "POST", path: projects, body: "[1]", message: "the body must be a JSON object"),
        Case(method: "POST", path: projects, body: #"{"title":"T t t","type":"jaeger"}"#, message: "field `name` is required", field: "name"),
        Case(method: "POST", path: projects, body: #"{"name":7,"title":"T t t","type":"jaeger"}"#, message: "field `name` must be a string", field: "name"),
        Case(method: "POST", path: projects, body: #"{"name":"abc","title":"Tt t"}"#, message: "field `type` is required", field: "type"),
        Case(method: "POST", path: projects, body: #"{"name":"abc","title":"Tt t","type":"default"}"#,
             message: #"field `type` must be "jaeger" (this console creates App Builder projects only), not "default""#, field: "type"),
        Case(method: "POST", path: projects, body: #"{"name":"a b","title":"Tt t","type":"jaeger"}"#,
             message: "project name 'a b' must be 3 to 45 letters or digits (A-Z, a-z, 0-9)"),
        Case(method: "GET", path: projects + "?page=0", body: nil, message: "page must be a positive integer, not '0'", field: "page"),
        Case(method: "GET", path: projects + "?size=x", body: nil, message: "size must be a positive integer, not 'x'", field: "size"),
        Case(method: "GET", path: projects + "?size=1001", body: nil, message: "size must be at most 1000, not 1001", field: "size"),
        Case(method: "PATCH", path: projects + "/P", body: #"{"title":"New"}"#, message: "field `name` is required", field: "name"),
        Case(method: "POST", path: "/projects/P/workspaces/W/credentials/adobeId", body: #"{"name":"x1x","description":"","platform":"WebApp","redirectUriList":["https://a.example.com"]}"#,
             message: "field `defaultRedirectUri` is required", field: "defaultRedirectUri"),
        Case(method: "POST", path: "/projects/P/workspaces/W/credentials/adobeId", body: #"{"name":"x1x","description":"","platform":"iOS"}"#,
             message: #"field `platform` must be apiKey, WebApp, SinglePageApp or NativeApp, not "iOS""#, field: "platform"),
        Case(method: "POST", path: "/projects/P/workspaces/W/credentials/oauth-server-to-server", body: #"{"name":"x1x"}"#,
             message: "field `description` is required", field: "description"),
        Case(method: "PUT", path: "/projects/P/workspaces/W/credentials/adobeid/C/services", body: #"[{"code":"StockSDK"}]"#,
             message: "field `[0].sdkCode` is required", field: "[0].sdkCode"),
        Case(method: "PUT", path: "/projects/P/workspaces/W/credentials/adobeid/C/services", body: #"{"sdkCode":"StockSDK"}"#,
             message: "the body must be a JSON array"),
        Case(method: "PUT", path: "/projects/P/workspaces/W/credentials/adobeid/C/services", body: #"[{"sdkCode":"NoSuchSDK"}]"#,
             message: "unknown service 'NoSuchSDK'"),
        Case(method: "POST", path: registrations, body: #"{"client_id":"K",\#(validRegistration)}"#,
             message: "field `events_of_interest` is required", field: "events_of_interest"),
        Case(method: "POST", path: registrations, body: #"{"client_id":"K",\#(validRegistration),"events_of_interest":[{"provider_id":"aem"}]}"#,
             message: "field `events_of_interest[0].event_code` is required", field: "events_of_interest[0].event_code"),
        Case(method: "POST", path: registrations, body: #"{"client_id":"K",\#(validRegistration),"events_of_interest":[{"event_code":"asset_published"}]}"#,
             message: "field `events_of_interest[0].provider_id` is required", field: "events_of_interest[0].provider_id"),
        Case(method: "POST", path: registrations, body: #"{\#(validRegistration),"events_of_interest":[{"provider_id":"aem","event_code":"asset_published"}]}"#,
             message: "field `client_id` is required", field: "client_id"),
        Case(method: "POST", path: registrations, body: #"{"client_id":"K","name":"hook","delivery_type":"journal","events_of_interest":[]}"#,
             message: #"field `delivery_type` must be "webhook": this console delivers to webhooks only, not "journal""#, field: "delivery_type"),
        Case(method: "POST", path: registrations, body: #"{"client_id":"K",\#(validRegistration),"events_of_interest":[{"provider_id":"aem","event_code":"asset_published"},{"provider_id":"ccstorage","event_code":"asset_created"}]}"#,
             message: #"field `events_of_interest[1].provider_id` must be "aem" like the first: a registration here covers one event provider"#,
             field: "events_of_interest[1].provider_id"),
        Case(method: "POST", path: registrations, body: #"{"client_id":"K",\#(validRegistration),"events_of_interest":[{"provider_id":"aem","event_code":"asset_gone"}]}"#,
             message: "unknown event code 'asset_gone' for provider 'aem' (known: asset_processing_completed, asset_published)"),
        Case(method: "POST", path: registrations, body: #"{"client_id":"K","name":"hook","delivery_type":"webhook","enabled":"yes","webhook_url":"x","events_of_interest":[{"provider_id":"aem","event_code":"asset_published"}]}"#,
             message: "field `enabled` must be true or false", field: "enabled"),
        Case(method: "GET", path: "/events/ORG/providers?eventmetadata=1", body: nil, message: "eventmetadata must be true or false, not '1'",
             field: "eventmetadata"),
    ]

    @Test(arguments: cases)
    func refusesWithTheFieldNamed(_ refused: Case) async throws {
        let emulator = try EmulatorFixture.emulator()
        let app = try await emulator.makeIntegration("target")
        let org = emulator.organizationId
        var path = refused.path.replacingOccurrences(of: "/P", with: "/\(app.project)").replacingOccurrences(of: "/W/", with: "/\(app.workspace)/")
            .replacingOccurrences(of: "/C/", with: "/\(app.credential)/").replacingOccurrences(of: "ORG", with: org)
        if !path.hasPrefix("/events") { path = emulator.orgPath + path }
        let body = refused.body?.replacingOccurrences(of: #""K""#, with: "\"\(app.apiKey)\"")
        let response = try await emulator.send(refused.method, path, body)
        #expect(response.status == 400)
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.json["message"] == .string(refused.message))
        #expect(response.json["field"] == refused.field.map(JSON.string))
        #expect(response.json["error_code"] == "ERR_BAD_REQUEST")
    }

    /// A message quoting what was sent is cut, so a 1 MB name does not come back whole.
    @Test func aHugeValueIsNotEchoedWhole() async throws {
        let emulator = try EmulatorFixture.emulator()
        let name = String(repeating: "n", count: 1_000_000) + "-"
        let response = try await emulator.send(
            "POST", emulator.orgPath + "/projects", #"{"name":"\#(name)","title":"Ttt","description":"d","type":"jaeger"}"#)
        #expect(response.status == 400)
        let message = try #require(response.json["message"]?.stringValue)
        #expect(message.count == EmulatorAnswer.longestMessage)
        #expect(message.hasSuffix("…"))
        #expect(response.body.count < 2_000)
    }

    @Test(arguments: [
        "{", #"{"name":"a",}"#, "nul", #"{"name":"\u12"}"#, "\u{FF}",
        // Two values for one field: which one the console would take is not the client's to guess.
        #"{"name":"abc","name":"def","title":"Ttt","description":"d","type":"jaeger"}"#,
    ])
    func malformedJSONIsABadRequest(_ body: String) async throws {
        let emulator = try EmulatorFixture.emulator()
        let response = try await emulator.send("POST", emulator.orgPath + "/projects", body)
        #expect(response.status == 400)
        let message = try #require(response.json["message"]?.stringValue)
        #expect(message.hasPrefix("the body is not valid JSON: "))
        #expect(message.contains(" at byte "))
        #expect(try await emulator.send("GET", emulator.orgPath + "/projects").text == "[]")
    }

    /// Every answer, for every kind of credential, is free of the client secrets the engine
    /// keeps in its data files.
    @Test func noAnswerHoldsAClientSecret() async throws {
        let directory = TestDirectory()
        defer { directory.remove() }
        let path = directory.path + "/console.json"
        let engine = try ConsoleEngine.open(path: path)
        let emulator = try EmulatorFixture.emulator(engine)
        var bodies: [String] = []
        func record(_ method: String, _ target: String, _ body: String? = nil) async throws -> HTTPResponse {
            let response = try await emulator.send(method, target, body)
            bodies.append(response.text)
            return response
        }
        let web = try await emulator.makeIntegration("webapp", platform: "WebApp")
        let robot = try await record("POST", emulator.orgPath + "/projects", #"{"name":"robot","title":"Robot","type":"jaeger"}"#)
        let workspace = emulator.orgPath + "/projects/\(robot.json["projectId"]?.stringValue ?? "")/workspaces/\(robot.json["workspaceId"]?.stringValue ?? "")"
        let robotCredential = try await record("POST", workspace + "/credentials/oauth-server-to-server", #"{"name":"robot","description":"d"}"#)
        for credential in [web.credential, robotCredential.json["id"]?.stringValue ?? ""] {
            _ = try await record("GET", emulator.orgPath + "/integrations/\(credential)")
        }
        _ = try await record("PUT", emulator.orgPath + "/integrations/adobeid/\(web.credential)",
                             #"{"name":"webapp","description":"d","platform":"WebApp","redirectUriList":["https://x.example.com"],"defaultRedirectUri":"https://x.example.com"}"#)
        _ = try await record("GET", workspace + "/credentials")
        _ = try await record("GET", emulator.orgPath + "/projects")
        try engine.close()

        let stored = try String(contentsOfFile: path, encoding: .utf8)
        let secrets = stored.matches(of: /"clientSecret":"([^"]+)"/).map { String($0.output.1) }
        #expect(secrets.count == 2)
        for body in bodies {
            #expect(!body.contains("clientSecret") && !body.contains("client_secret"))
            for secret in secrets { #expect(!body.contains(secret)) }
        }
    }
}

/// A fresh temporary directory.
struct TestDirectory {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("keyform-emulator-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
