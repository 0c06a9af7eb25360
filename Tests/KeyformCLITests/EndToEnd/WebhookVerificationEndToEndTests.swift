import Foundation
import KeyformHTTPServer
import KeyformTestSupport
import Testing

/// `keyform console serve --verify-webhooks` and keyform over the `http` provider, two real
/// processes on loopback: a registration whose webhook does not answer its challenge is
/// recorded but fails the apply, the next plan updates it to ask again, and once the webhook
/// answers the apply succeeds and nothing is left to do.
@Suite(.serialized) struct WebhookVerificationEndToEndTests {
    static let credentials = ["KEYFORM_ACCESS_TOKEN": "e2e-access-token-0123456789", "KEYFORM_API_KEY": "e2e-client-id"]
    static let address = #"hookedassets.events["asset-sync"]"#
    /// Nothing listens on port 1 of the loopback: the challenge is refused at once.
    static let unreachable = "http://127.0.0.1:1/hook"

    static func manifest(webhookUrl: String) -> String {
        """
        {
          "integrations": [
            {
              "name": "hookedassets",
              "title": "Hooked Assets",
              "description": "Asset events for the webhook verification end-to-end test.",
              "type": "serviceAccount",
              "services": ["CloudIntegrationSDK"],
              "events": [
                {
                  "name": "asset-sync",
                  "provider": "aem",
                  "eventCodes": ["asset_published"],
                  "webhookUrl": "\(webhookUrl)"
                }
              ]
            }
          ]
        }

        """
    }

    /// A webhook on loopback that echoes its challenge as text, counting the challenges.
    final class Receiver: @unchecked Sendable {
        // @unchecked: `count` is only touched under `lock`.
        private let lock = NSLock()
        private var count = 0
        private var server: HTTPServer?
        private(set) var port = 0

        init() throws {
            let server = HTTPServer(configuration: .init(port: 0)) { [unowned self] request in
                guard let challenge = request.queryValue("challenge") else { return .text(status: 400, "no challenge") }
                lock.withLock { count += 1 }
                return .text(challenge)
            }
            port = try server.start()
            self.server = server
        }

        var challenges: Int { lock.withLock { count } }

        func stop() async {
            server?.shutdown()
            await server?.wait()
        }
    }

    func keyform(_ arguments: [String], in dir: URL, port: Int) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await ChildProcess.keyform(arguments + ["--console", "http://127.0.0.1:\(port)"], in: dir, environment: Self.credentials)
    }

    @Test func anUnverifiedWebhookFailsTheApplyIsRecordedAndIsUpdatedUntilVerified() async throws {
        let dir = TestPaths.temporaryDirectory("keyform-webhook")
        let file = dir.appendingPathComponent("integrations/hooks.json")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Self.manifest(webhookUrl: Self.unreachable).write(to: file, atomically: true, encoding: .utf8)
        let serve = try ConsoleServeProcess(["--data", "served", "--quiet", "--verify-webhooks"], in: dir)
        defer { serve.signal(SIGTERM); _ = serve.wait() }
        let port = try serve.port()

        // (a) The registration is made but its webhook is not verified: recorded, and exit 1.
        let apply = try await keyform(["apply", "--auto-approve", "integrations"], in: dir, port: port)
        #expect(apply.status == 1, "\(apply.stdout)\(apply.stderr)")
        #expect(apply.stdout.contains("\(Self.address): register FAILED after "))
        #expect(apply.stdout.hasSuffix("\nApply complete: 2 succeeded, 1 failed, 0 skipped.\n"), "\(apply.stdout)")
        #expect(apply.stderr == """
            error[KF502]: \(Self.address): registered, but the console could not verify the webhook (hook_unreachable)
            help: \(Self.unreachable) must answer GET \(Self.unreachable)?challenge=… with 200 and the challenge \
            (as text, or as {"challenge": …}); the next `keyform apply` asks the console to verify it again

            """)
        #expect(try await EndToEnd.stateNames(in: dir) == ["hookedassets"])
        let show = try await EndToEnd.keyform(["state", "show", "hookedassets"], in: dir)
        #expect(show.status == 0)
        #expect(show.stdout.contains("  event          asset-sync ("), "\(show.stdout)")
        #expect(show.stdout.contains("): aem asset_published → \(Self.unreachable)\n"), "\(show.stdout)")

        // (b) A refreshed plan updates it, to ask the console again; a plan without a refresh
        // trusts the state.
        let reason = "will be updated again: the console has not verified its webhook (hook_unreachable); updating it asks again"
        let plan = try await keyform(["plan", "--detailed-exitcode", "integrations"], in: dir, port: port)
        #expect(plan.status == 2, "\(plan.stdout)\(plan.stderr)")
        #expect(plan.stdout.contains("  # \(Self.address) \(reason)\n  ~ \(Self.address)\n"), "\(plan.stdout)")
        #expect(plan.stdout.hasSuffix("\nPlan: 0 to create, 1 to update, 0 to delete.\n"))
        let json = try await keyform(["plan", "--json", "integrations"], in: dir, port: port)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let actions = (object["actions"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String != "no-op" }
        #expect(actions.map { $0["address"] as? String } == [Self.address])
        #expect(actions.map { $0["reason"] as? String } == [reason])
        let trusting = try await keyform(["plan", "--no-refresh", "--detailed-exitcode", "integrations"], in: dir, port: port)
        #expect(trusting.status == 0, "\(trusting.stdout)\(trusting.stderr)")

        // (c) Once the webhook echoes its challenge, the update verifies it and nothing is left.
        let receiver = try Receiver()
        let hook = "http://127.0.0.1:\(receiver.port)/hook"
        try Self.manifest(webhookUrl: hook).write(to: file, atomically: true, encoding: .utf8)
        let fixed = try await keyform(["apply", "--auto-approve", "integrations"], in: dir, port: port)
        #expect(fixed.status == 0, "\(fixed.stdout)\(fixed.stderr)")
        #expect(fixed.stderr == "")
        #expect(fixed.stdout.contains("\(Self.address): update-registration complete after "), "\(fixed.stdout)")
        #expect(fixed.stdout.hasSuffix("\nApply complete: 1 succeeded, 0 failed, 0 skipped.\n"), "\(fixed.stdout)")
        #expect(receiver.challenges == 1)
        let settled = try await keyform(["plan", "--detailed-exitcode", "integrations"], in: dir, port: port)
        #expect(settled.status == 0, "\(settled.stdout)\(settled.stderr)")
        #expect(settled.stdout == "No changes. The console matches the manifests.\n")
        await receiver.stop()
    }

    @Test func aWebhookThatAnswersIsVerifiedAtOnce() async throws {
        let receiver = try Receiver()
        let dir = TestPaths.temporaryDirectory("keyform-webhook")
        let file = dir.appendingPathComponent("integrations/hooks.json")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Self.manifest(webhookUrl: "http://127.0.0.1:\(receiver.port)/hook?team=assets").write(to: file, atomically: true, encoding: .utf8)
        let serve = try ConsoleServeProcess(["--data", "served", "--quiet", "--verify-webhooks"], in: dir)
        defer { serve.signal(SIGTERM); _ = serve.wait() }
        let port = try serve.port()

        let apply = try await keyform(["apply", "--auto-approve", "integrations"], in: dir, port: port)
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        #expect(apply.stdout.hasSuffix("\nApply complete: 3 succeeded, 0 failed, 0 skipped.\n"), "\(apply.stdout)")
        #expect(receiver.challenges == 1)
        let plan = try await keyform(["plan", "--detailed-exitcode", "integrations"], in: dir, port: port)
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
        #expect(plan.stdout == "No changes. The console matches the manifests.\n")
        await receiver.stop()
    }
}
