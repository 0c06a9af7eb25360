import Foundation
import KeyformConsole
import KeyformCore
@testable import KeyformHTTP
import KeyformHTTPServer
import KeyformJSON
import Testing

/// Webhook verification, switched on: a challenge goes to the webhook on loopback, and the
/// registration is `verified` only when it comes back.
@Suite struct EmulatorWebhookTests {
    /// A webhook receiver on loopback: `/text` echoes the challenge as text, `/json` as
    /// `{"challenge": …}`, `/wrong` answers something else, `/missing` 404.
    final class Receiver: Sendable {
        let server: HTTPServer
        let port: Int
        private let received = LineLog()

        init() throws {
            let received = received
            server = HTTPServer(configuration: .init(port: 0)) { request in
                received.append("\(request.method) \(request.path) \(request.query.map(\.name))")
                let challenge = request.queryValue("challenge") ?? ""
                switch request.path {
                case "/text": return .text(challenge + "\n")
                case "/json": return .json(body: Array(#"{"challenge":"\#(challenge)"}"#.utf8))
                case "/wrong": return .text("hello")
                default: return .text(status: 404, "no")
                }
            }
            port = try server.start()
        }

        var requests: [String] { received.lines }

        func stop() async {
            server.shutdown()
            await server.wait()
        }
    }

    @Test func challengesDecideTheWebhookStatus() async throws {
        let receiver = try Receiver()
        let closed = try Receiver()
        await closed.stop()
        let emulator = try EmulatorFixture.emulator(EmulatorFixture.engine(), .init(verifyWebhooks: true, webhookTimeout: 5))
        let app = try await emulator.makeIntegration("hooked")
        let path = "/events/\(emulator.organizationId)/\(app.project)/\(app.workspace)/registrations"
        let base = "http://127.0.0.1:\(receiver.port)"
        let cases = [
            ("text", base + "/text", "verified"), ("json", base + "/json?team=a", "verified"), ("wrong", base + "/wrong", "unverified"),
            ("missing", base + "/missing", "unverified"), ("closed", "http://127.0.0.1:\(closed.port)/text", "hook_unreachable"),
        ]
        var ids: [String: String] = [:]
        for (name, url, status) in cases {
            let response = try await emulator.send("POST", path, #"{"client_id":"\#(app.apiKey)","name":"\#(name)","delivery_type":"webhook","events_of_interest":[{"provider_id":"aem","event_code":"asset_published"}],"webhook_url":"\#(url)"}"#)
            #expect(response.status == 201, "\(name)")
            #expect(response.json["webhook_status"] == .string(status), "\(name)")
            #expect(response.json["webhook_url"] == .string(url), "\(name)")
            ids[name] = response.json["registration_id"]?.stringValue
        }
        #expect(receiver.requests == [
            "GET /text [\"challenge\"]", "GET /json [\"team\", \"challenge\"]", "GET /wrong [\"challenge\"]", "GET /missing [\"challenge\"]",
        ])

        // A replace verifies again.
        let replaced = try await emulator.send("PUT", path + "/\(ids["wrong"] ?? "")", #"{"name":"wrong","delivery_type":"webhook","events_of_interest":[{"provider_id":"aem","event_code":"asset_published"}],"webhook_url":"\#(base)/text"}"#)
        #expect(replaced.json["webhook_status"] == "verified")
        #expect(receiver.requests.count == 5)
        await receiver.stop()
    }

    @Test func withoutTheSwitchNothingIsCalled() async throws {
        let receiver = try Receiver()
        let emulator = try EmulatorFixture.emulator()
        let app = try await emulator.makeIntegration("quiet")
        let response = try await emulator.send("POST", "/events/\(emulator.organizationId)/\(app.project)/\(app.workspace)/registrations",
                                               #"{"client_id":"\#(app.apiKey)","name":"quiet","delivery_type":"webhook","events_of_interest":[{"provider_id":"aem","event_code":"asset_published"}],"webhook_url":"http://127.0.0.1:\#(receiver.port)/wrong"}"#)
        #expect(response.json["webhook_status"] == "verified")
        #expect(receiver.requests.isEmpty)
        await receiver.stop()
    }

    @Test(arguments: [("abc", "abc", true), ("abc", " abc\r\n", true), ("abc", #"{"challenge":"abc"}"#, true),
                      ("abc", #"{"challenge":"abd"}"#, false), ("abc", "abcd", false), ("abc", "", false)])
    func echoes(_ challenge: String, _ body: String, _ accepted: Bool) {
        #expect(WebhookVerifier.echoes(challenge, in: Array(body.utf8)) == accepted)
    }
}
