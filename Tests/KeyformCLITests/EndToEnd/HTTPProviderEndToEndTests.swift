import Foundation
import KeyformTestSupport
import Testing

/// Two real processes on loopback: `keyform console serve`, and keyform driving it through the
/// `http` provider — the whole loop, under injected faults, and across a SIGKILL.
@Suite(.serialized) struct HTTPProviderEndToEndTests {
    static let token = "e2e-access-token-0123456789"
    static let credentials = ["KEYFORM_ACCESS_TOKEN": token, "KEYFORM_API_KEY": "e2e-client-id"]

    func keyform(_ arguments: [String], in dir: URL, port: Int) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await ChildProcess.keyform(
            arguments + ["--console", "http://127.0.0.1:\(port)"], in: dir, environment: Self.credentials)
    }

    @Test func validatePlanApplyChangeDeleteThroughTheHTTPProvider() async throws {
        let dir = try EndToEnd.quickstartWorkspace()
        let serve = try ConsoleServeProcess(["--data", "served", "--quiet"], in: dir)
        defer { serve.signal(SIGTERM); _ = serve.wait() }
        let port = try serve.port()

        let validate = try await keyform(["validate", "integrations"], in: dir, port: port)
        #expect(validate.status == 0, "\(validate.stderr)")

        let plan = try await keyform(["plan", "--detailed-exitcode", "integrations"], in: dir, port: port)
        #expect(plan.status == 2, "\(plan.stderr)")
        #expect(plan.stdout.contains("Plan: 7 to create, 0 to update, 0 to delete."))

        let apply = try await keyform(["apply", "--auto-approve", "integrations"], in: dir, port: port)
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(apply.stdout.contains("Apply complete: 11 succeeded, 0 failed, 0 skipped."))

        let again = try await keyform(["plan", "--detailed-exitcode", "integrations"], in: dir, port: port)
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(again.stdout == "No changes. The console matches the manifests.\n")

        // Change a title and a webhook: one update, one registration update.
        let file = dir.appendingPathComponent("integrations/creative-assets.json")
        let text = try String(contentsOf: file, encoding: .utf8)
        try text.replacingOccurrences(of: "\"Creative Asset Sync\"", with: "\"Creative Assets Sync\"")
            .replacingOccurrences(of: "https://hooks.example.com/adobe/assets", with: "https://hooks.example.com/adobe/assets2")
            .write(to: file, atomically: true, encoding: .utf8)
        let change = try await keyform(["apply", "--auto-approve", "integrations"], in: dir, port: port)
        #expect(change.status == 0, "\(change.stderr)")
        #expect(change.stdout.contains("Plan: 0 to create, 2 to update, 0 to delete."), "\(change.stdout)")
        #expect(try await keyform(["plan", "--detailed-exitcode", "integrations"], in: dir, port: port).status == 0)

        // Delete one (unprotected) integration by removing its file.
        try FileManager.default.removeItem(at: file)
        let refused = try await keyform(["plan", "integrations"], in: dir, port: port)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("creativeassetsync"))
        let delete = try await keyform(["apply", "--auto-approve", "--allow-delete", "integrations"], in: dir, port: port)
        #expect(delete.status == 0, "\(delete.stderr)")
        #expect(delete.stdout.contains("Plan: 0 to create, 0 to update, 2 to delete."), "\(delete.stdout)")
        let listed = try await keyform(["console", "list"], in: dir, port: port)
        #expect(!listed.stdout.contains("creativeassetsync"))
        #expect(try await EndToEnd.stateNames(in: dir) == ["eventsrelay", "nightlyassetreport", "stocksearchweb"])

        // The token is never printed, logged or stored.
        let state = try String(contentsOf: dir.appendingPathComponent("keyform.state.json"), encoding: .utf8)
        for output in [validate, plan, apply, again, change, delete].flatMap({ [$0.stdout, $0.stderr] }) + [state] {
            #expect(!output.contains(Self.token))
        }
    }

    /// A console that fails every request: SIGTERM ends the apply's retries at once (the
    /// provider's backoff ran on for half a minute, and each of the executor's retries began
    /// another), nothing is applied, exit 130.
    @Test func aSigtermEndsTheRetriesAgainstAFailingConsole() async throws {
        let dir = try EndToEnd.quickstartWorkspace()
        let serve = try ConsoleServeProcess(["--data", "served", "--fail-rate", "1", "--seed", "3"], in: dir)
        defer { serve.signal(SIGTERM); _ = serve.wait() }
        let port = try serve.port()
        let apply = try ChildProcess(
            TestPaths.keyformBinary, ["apply", "--auto-approve", "integrations", "--console", "http://127.0.0.1:\(port)"],
            directory: dir, environment: Self.credentials)
        // Two 503s answered: the provider is in its backoff.
        #expect(await apply.waitUntil(timeout: 30) { serve.stderr.components(separatedBy: " 503 ").count > 2 })
        apply.signal(SIGTERM)
        let signalled = Date()
        let status = await apply.wait(timeout: 60)
        #expect(Date().timeIntervalSince(signalled) < 5, "the retries went on after SIGTERM")
        #expect(status == 130, "\(apply.stderr)")
        #expect(apply.stderr.hasSuffix("Interrupted before any change: nothing was applied.\n"), "\(apply.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("keyform.state.json").path))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("keyform.state.json.lock").path))
    }

    /// SIGINT while the creates look their names up (without a refresh, the first lookup lists
    /// the console's projects): no create is sent after it (each was, the moment its lookup
    /// answered), the steps count as not started, and their intents stay for the next run.
    @Test func anInterruptDuringTheCreatesLookupsSendsNoPost() async throws {
        let dir = try EndToEnd.quickstartWorkspace()
        let serve = try ConsoleServeProcess(["--data", "served", "--latency", "1000"], in: dir)
        defer { serve.signal(SIGTERM); _ = serve.wait() }
        let port = try serve.port()
        let apply = try ChildProcess(
            TestPaths.keyformBinary,
            ["apply", "--auto-approve", "--no-refresh", "integrations", "--console", "http://127.0.0.1:\(port)"],
            directory: dir, environment: Self.credentials)
        // A create's intent is journaled just before its lookup, whose listing takes a second:
        // interrupt then.
        let journal = dir.appendingPathComponent("keyform.state.json.journal").path
        #expect(await apply.waitUntil(timeout: 30) { (try? String(contentsOfFile: journal, encoding: .utf8))?.contains("intent") == true })
        apply.signal(SIGINT)
        let status = await apply.wait(timeout: 60)
        #expect(status == 130, "\(apply.stderr)")
        try await Task.sleep(nanoseconds: 200_000_000)  // the server's log of the last answers
        #expect(serve.stderr.contains("/projects 200 "), "\(serve.stderr)")
        #expect(!serve.stderr.contains("POST "), "\(serve.stderr)")
        #expect(apply.stdout.contains("stocksearchweb: create not sent after "), "\(apply.stdout)")
        #expect(apply.stdout.contains("Apply complete: 0 succeeded, 0 failed, 0 skipped, 11 not started (interrupted).\n"), "\(apply.stdout)")
        let state = try await EndToEnd.keyform(["state", "pull"], in: dir)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(state.stdout.utf8)) as? [String: Any])
        #expect(document["pendingCreates"] as? [String] == ["creativeassetsync", "eventsrelay", "nightlyassetreport", "stocksearchweb"])
    }

    @Test func faultsAndASigkillStillConvergeToExactlyOneHundred() async throws {
        let dir = TestPaths.temporaryDirectory("keyform-faults")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("integrations"), withIntermediateDirectories: true)
        try EndToEnd.manyIntegrations(100).write(
            to: dir.appendingPathComponent("integrations/batch.json"), atomically: true, encoding: .utf8)
        let serve = try ConsoleServeProcess(
            ["--data", "served", "--quiet", "--fail-rate", "0.2", "--lost-rate", "0.05", "--rate-limit", "400", "--seed", "7"], in: dir)
        defer { serve.signal(SIGTERM); _ = serve.wait() }
        let port = try serve.port()

        // Half-way: SIGKILL the apply once part of the work is recorded.
        let first = try ChildProcess(
            TestPaths.keyformBinary,
            ["apply", "--auto-approve", "--parallelism", "8", "integrations", "--console", "http://127.0.0.1:\(port)"],
            directory: dir, environment: Self.credentials)
        let journal = dir.appendingPathComponent("keyform.state.json.journal").path
        var killedMidway = false
        for _ in 0..<3000 where first.process.isRunning {
            if let size = try? FileManager.default.attributesOfItem(atPath: journal)[.size] as? Int, size > 20_000 {
                first.signal(SIGKILL)
                killedMidway = true
                break
            }
            try await Task.sleep(nanoseconds: 2_000_000)
        }
        let firstStatus = await first.wait()
        #expect(killedMidway && firstStatus == 128 + SIGKILL, "the apply finished before it could be killed")

        // Re-run until it converges (injected faults may fail a few actions each run).
        var status: Int32 = -1
        for _ in 0..<5 where status != 0 {
            status = try await keyform(["apply", "--auto-approve", "--parallelism", "8", "integrations"], in: dir, port: port).status
        }
        #expect(status == 0)
        let listed = try await keyform(["console", "list", "--json"], in: dir, port: port)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])
        let names = (object["integrations"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(names.count == 100, "\(listed.stderr)")
        #expect(Set(names).count == 100)
        #expect(Set(try await EndToEnd.stateNames(in: dir)) == Set(names))
        let plan = try await keyform(["plan", "--detailed-exitcode", "integrations"], in: dir, port: port)
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
    }
}
