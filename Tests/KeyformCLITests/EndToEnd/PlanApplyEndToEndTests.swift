import Foundation
import KeyformCore
import KeyformTestSupport
import Testing

/// The whole loop with the built binary, on the embedded console and a local state file.
@Suite(.serialized) struct PlanApplyEndToEndTests {
    @Test func applyThenNoChangesThenOneUpdate() async throws {
        let dir = try EndToEnd.quickstartWorkspace()
        let apply = try await EndToEnd.keyform(["apply", "--auto-approve", "integrations"], in: dir)
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(apply.stdout.contains("Plan: 7 to create, 0 to update, 0 to delete."))
        #expect(apply.stdout.contains("Apply complete: 11 succeeded, 0 failed, 0 skipped."))

        let again = try await EndToEnd.keyform(["plan", "--detailed-exitcode", "integrations"], in: dir)
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(again.stdout == "No changes. The console matches the manifests.\n")

        let file = dir.appendingPathComponent("integrations/stock-search-web.json")
        let text = try String(contentsOf: file, encoding: .utf8)
        try text.replacingOccurrences(of: "\"Stock Search Web\"", with: "\"Stock Search Site\"")
            .write(to: file, atomically: true, encoding: .utf8)
        let changed = try await EndToEnd.keyform(["plan", "--detailed-exitcode", "--json", "integrations"], in: dir)
        #expect(changed.status == 2)
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(changed.stdout.utf8)) as? [String: Any])
        let actions = try #require(plan["actions"] as? [[String: Any]]).filter { ($0["kind"] as? String) != "no-op" }
        #expect(actions.count == 1)
        #expect(actions.first?["kind"] as? String == "update")
        #expect(actions.first?["address"] as? String == "stocksearchweb")
    }

    @Test func aPlanWithoutRefreshReadsOnlyTheConsolesCatalog() async throws {
        let dir = try EndToEnd.quickstartWorkspace()
        #expect(try await EndToEnd.keyform(["apply", "--auto-approve", "integrations"], in: dir).status == 0)
        // Damage one project (after the header): only a plan that reads the projects notices.
        let console = dir.appendingPathComponent(".keyform/console.json")
        let text = try String(contentsOf: console, encoding: .utf8)
        #expect(text.contains("\"name\":\"stocksearchweb\""))
        try text.replacingOccurrences(of: "\"name\":\"stocksearchweb\"", with: "\"name\":7")
            .write(to: console, atomically: true, encoding: .utf8)

        let quick = try await EndToEnd.keyform(["plan", "--no-refresh", "--detailed-exitcode", "integrations"], in: dir)
        #expect(quick.status == 0, "\(quick.stdout)\(quick.stderr)")
        #expect(quick.stdout == "No changes. The console matches the manifests.\n")

        let refreshed = try await EndToEnd.keyform(["plan", "integrations"], in: dir)
        #expect(refreshed.status == 1)
        #expect(refreshed.stderr.contains("error[KF561]: the console file is damaged at /projects/3/name: expected a string\n"), "\(refreshed.stderr)")
        #expect(refreshed.stderr.contains(".keyform/console.json"), "\(refreshed.stderr)")
    }

    @Test func aSavedPlanAppliesOnceAndAStalePlanIsRefused() async throws {
        let dir = try EndToEnd.quickstartWorkspace()
        #expect(try await EndToEnd.keyform(["apply", "--auto-approve", "integrations"], in: dir).status == 0)
        let file = dir.appendingPathComponent("integrations/stock-search-web.json")
        let text = try String(contentsOf: file, encoding: .utf8)
        try text.replacingOccurrences(of: "\"Stock Search Web\"", with: "\"Stock Search Site\"")
            .write(to: file, atomically: true, encoding: .utf8)

        let saved = try await EndToEnd.keyform(["plan", "--out", "one.plan", "integrations"], in: dir)
        #expect(saved.status == 0)
        let stale = try await EndToEnd.keyform(["plan", "--out", "two.plan", "integrations"], in: dir)
        #expect(stale.status == 0)

        // Options of planning are refused rather than ignored; nothing is applied.
        for option in ["--allow-delete", "--no-refresh", "--refresh"] {
            let refused = try await EndToEnd.keyform(["apply", "one.plan", option], in: dir)
            #expect(refused.status == 64)
            #expect(refused.stderr.hasPrefix("error: \(option) has no effect on a saved plan: it was decided when the plan was made\n"))
        }

        let first = try await EndToEnd.keyform(["apply", "one.plan"], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("Apply complete: 1 succeeded, 0 failed, 0 skipped."))

        let second = try await EndToEnd.keyform(["apply", "one.plan"], in: dir)
        #expect(second.status == 1)
        #expect(second.stderr.contains("error[KF450]: this plan ("))
        #expect(second.stderr.contains("was already applied"))

        let moved = try await EndToEnd.keyform(["apply", "two.plan"], in: dir)
        #expect(moved.status == 1)
        #expect(moved.stderr.contains("error[KF451]: the plan is stale: it was made against serial 2, and the state is now at serial 3"))
    }

    /// A saved plan sealed again after an edit that makes its delete name another console
    /// project than the state records is refused before anything is applied (KF453).
    @Test func aSavedPlanThatDoesNotFitTheStateIsRefused() async throws {
        let dir = try EndToEnd.quickstartWorkspace()
        #expect(try await EndToEnd.keyform(["apply", "--auto-approve", "integrations"], in: dir).status == 0)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("integrations/creative-assets.json"))
        let saved = try await EndToEnd.keyform(["plan", "--allow-delete", "--out", "delete.plan", "integrations"], in: dir)
        #expect(saved.status == 0, "\(saved.stderr)")
        let file = dir.appendingPathComponent("delete.plan")
        var plan = try PlanFile.decode(Array(try Data(contentsOf: file)))
        let delete = try #require(plan.actions.firstIndex { $0.id == "delete:creativeassetsync" })
        let other = try #require(plan.actions.first { $0.integrationName == "stocksearchweb" }?.integrationId)
        plan.actions[delete].integrationId = other
        try Data(PlanFile.encode(plan).utf8).write(to: file)
        let consoleBefore = try Data(contentsOf: dir.appendingPathComponent(".keyform/console.json"))

        let refused = try await EndToEnd.keyform(["apply", "delete.plan"], in: dir)
        #expect(refused.status == 1)
        #expect(refused.stdout == "")
        #expect(refused.stderr.hasPrefix(
            "error[KF453]: 'delete.plan' at /actions/\(delete) does not fit the state the plan was made against: it acts on "
                + "\"creativeassetsync\", which the state records as console project "), "\(refused.stderr)")
        #expect(refused.stderr.contains("not project \(other.projectId)\n"), "\(refused.stderr)")
        #expect(try Data(contentsOf: dir.appendingPathComponent(".keyform/console.json")) == consoleBefore)
    }

    /// DESIGN: a saved plan that was already applied is refused, also when it changed nothing
    /// (it was applied again and again, as the state did not move).
    @Test func aSavedPlanWithoutChangesAppliesOnce() async throws {
        let dir = try EndToEnd.quickstartWorkspace()
        #expect(try await EndToEnd.keyform(["apply", "--auto-approve", "integrations"], in: dir).status == 0)
        let saved = try await EndToEnd.keyform(["plan", "--out", "same.plan", "integrations"], in: dir)
        #expect(saved.status == 0, "\(saved.stderr)")
        #expect(saved.stdout.contains("No changes."))
        let serial = try EndToEnd.stateSerial(in: dir)

        let first = try await EndToEnd.keyform(["apply", "same.plan"], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("Apply complete: nothing to do."))
        #expect(try EndToEnd.stateSerial(in: dir) == serial + 1)

        let second = try await EndToEnd.keyform(["apply", "same.plan"], in: dir)
        #expect(second.status == 1)
        #expect(second.stderr.contains("error[KF450]: this plan ("), "\(second.stderr)")
        #expect(try EndToEnd.stateSerial(in: dir) == serial + 1)
    }

    /// A mistyped local console path is a fresh console: beside a state with records, every
    /// integration would be planned as deleted outside Keyform and created again. Refused, and
    /// the mistyped file is not created (so the next run is refused too).
    @Test func aMissingLocalConsoleBesideARecordedStateIsRefused() async throws {
        let dir = try EndToEnd.quickstartWorkspace()
        #expect(try await EndToEnd.keyform(["apply", "--auto-approve", "integrations"], in: dir).status == 0)
        for command in [["plan"], ["plan", "--no-refresh"], ["apply", "--auto-approve"]] {
            let result = try await EndToEnd.keyform(command + ["--console", "local:typo/console.json", "integrations"], in: dir)
            #expect(result.status == 1, "\(command): \(result.stdout)")
            #expect(result.stderr.hasPrefix(
                "error[KF566]: the local console 'typo/console.json' does not exist, but the state records 4 integrations made in a console\n"),
                "\(command): \(result.stderr)")
            #expect(!result.stdout.contains("create"), "\(command): \(result.stdout)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("typo/console.json").path))
        }
        // A new console for a new state is the first run, as before.
        let fresh = try await EndToEnd.keyform(
            ["plan", "--console", "local:other/console.json", "--state", "other.state.json", "integrations"], in: dir)
        #expect(fresh.status == 0, "\(fresh.stderr)")
        #expect(fresh.stdout.contains("Plan: 7 to create, 0 to update, 0 to delete."), "\(fresh.stdout)")
    }

    /// A state holding only the intents of an interrupted apply's creates (their integrations
    /// may be in the console it used) is refused beside a missing console too: the creates
    /// went ahead in a fresh console, and what the first apply made stayed unknown to the state.
    @Test func aMissingLocalConsoleBesidePendingCreatesIsRefused() async throws {
        let dir = try EndToEnd.quickstartWorkspace()
        let state = """
            {"format": 1, "serial": 3, "lineage": "5c1d2a8e-0b1d-4c3e-9a77-2d5e8b1f6c90", "keyformVersion": "0.1.0",
             "integrations": {}, "pendingCreates": ["eventsrelay", "stocksearchweb"]}
            """
        try state.write(to: dir.appendingPathComponent("keyform.state.json"), atomically: true, encoding: .utf8)
        for command in [["plan"], ["apply", "--auto-approve"]] {
            let result = try await EndToEnd.keyform(command + ["integrations"], in: dir)
            #expect(result.status == 1, "\(command): \(result.stdout)")
            #expect(result.stderr == """
                error[KF566]: the local console '.keyform/console.json' does not exist, but the state records 2 creates begun in a console by an interrupted apply
                help: check --console local:PATH and the console's path in keyform.json; if that console is really gone, start a new state

                """, "\(command)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent(".keyform/console.json").path))
        }
    }

    /// Manifests in the current directory (no keyform.json), with the state and the local
    /// console kept beside them under names of the user's: neither is read as a manifest
    /// (the state was, and failed as one).
    @Test func aStateAndConsoleKeptAmongTheManifestsAreNotReadAsManifests() async throws {
        let dir = try EndToEnd.quickstartWorkspace()
        let manifests = dir.appendingPathComponent("integrations")
        let own = ["--state", "mystate.json", "--console", "local:console.json"]
        let apply = try await EndToEnd.keyform(["apply", "--auto-approve"] + own, in: manifests)
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(FileManager.default.fileExists(atPath: manifests.appendingPathComponent("mystate.json").path))
        #expect(FileManager.default.fileExists(atPath: manifests.appendingPathComponent("console.json").path))
        let plan = try await EndToEnd.keyform(["plan", "--detailed-exitcode"] + own, in: manifests)
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
        let validate = try await EndToEnd.keyform(["validate"] + own, in: manifests)
        #expect(validate.status == 0, "\(validate.stderr)")
        #expect(validate.stdout == "0 errors, 0 warnings in 3 files\n", "\(validate.stdout)")
        // Named explicitly, a file is read whatever it is.
        let named = try await EndToEnd.keyform(["validate", "mystate.json"] + own, in: manifests)
        #expect(named.status == 1)
    }

    /// Without PATH and without keyform.json: `integrations` when it is a directory here (the
    /// configuration's default), else the current directory.
    @Test func withoutPathOrConfigurationTheManifestsAreIntegrationsElseHere() async throws {
        let dir = try EndToEnd.quickstartWorkspace()
        let validate = try await EndToEnd.keyform(["validate"], in: dir)
        #expect(validate.stdout == "0 errors, 0 warnings in 3 files\n", "\(validate.stdout)\(validate.stderr)")
        let plan = try await EndToEnd.keyform(["plan"], in: dir)
        #expect(plan.stdout.contains("Plan: 7 to create, 0 to update, 0 to delete."), "\(plan.stderr)")
        let here = try await EndToEnd.keyform(["validate"], in: dir.appendingPathComponent("integrations"))
        #expect(here.stdout == "0 errors, 0 warnings in 3 files\n", "\(here.stdout)\(here.stderr)")
    }

    /// An event name holding a bidirectional override (legal in a manifest through a JSON
    /// escape) is shown escaped in apply's progress lines too, as in the plan.
    @Test func applyProgressShowsHiddenCharactersEscaped() async throws {
        let dir = TestPaths.temporaryDirectory("keyform-e2e")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("integrations/a.json")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try #"{"integrations":[{"name":"relayone","title":"Relay One","description":"Relays trigger events to the data team queue.","type":"serviceAccount","services":["CloudIntegrationSDK"],"events":[{"name":"sync‮evil","provider":"analytics-triggers","eventCodes":["trigger_fired"],"webhookUrl":"https://relay.example.com/t"}]}]}"#
            .write(to: file, atomically: true, encoding: .utf8)
        let apply = try await EndToEnd.keyform(["apply", "--auto-approve", "integrations"], in: dir)
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(!apply.stdout.unicodeScalars.contains("\u{202E}"))
        #expect(apply.stdout.contains(#"relayone.events["sync\u202eevil"]: register complete after"#), "\(apply.stdout)")
        #expect(apply.stdout.contains(#"  + relayone.events["sync\u202eevil"]"#), "\(apply.stdout)")
        // Markdown, for a pull request comment, where an override would reorder what the reviewer reads.
        try #"{"integrations":[]}"#.write(to: file, atomically: true, encoding: .utf8)
        try #"{"integrations":[{"name":"relaytwo","title":"Relay Two","description":"Relays trigger events to the data team queue.","type":"serviceAccount","services":["CloudIntegrationSDK"],"events":[{"name":"b‮b","provider":"analytics-triggers","eventCodes":["trigger_fired"],"webhookUrl":"https://relay.example.com/t"}]}]}"#
            .write(to: file, atomically: true, encoding: .utf8)
        let markdown = try await EndToEnd.keyform(["plan", "--markdown", "--allow-delete", "integrations"], in: dir)
        #expect(markdown.status == 0, "\(markdown.stderr)")
        #expect(!markdown.stdout.unicodeScalars.contains("\u{202E}"))
        #expect(markdown.stdout.contains(#"`relaytwo.events["b\u202eb"]`"#), "\(markdown.stdout)")
    }

    /// A rename and the removal of a registration in one apply: the deregistration waits for
    /// the rename and finds the integration by its new name, at any parallelism (it ran beside
    /// the rename under the old name and left a state with both names for one project, which
    /// every later command refused).
    @Test(arguments: ["1", "4"])
    func aRenameAndADeregistrationTogetherLeaveOneRecord(_ parallelism: String) async throws {
        let dir = TestPaths.temporaryDirectory("keyform-e2e")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("integrations/a.json")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let before = #"{"integrations":[{"name":"relayone","title":"Relay One","description":"Relays trigger events to the data team queue.","type":"serviceAccount","services":["CloudIntegrationSDK"],"events":[{"name":"triggers","provider":"analytics-triggers","eventCodes":["trigger_fired"],"webhookUrl":"https://relay.example.com/t"}]}]}"#
        try before.write(to: file, atomically: true, encoding: .utf8)
        #expect(try await EndToEnd.keyform(["apply", "--auto-approve", "integrations"], in: dir).status == 0)
        let after = before.replacingOccurrences(of: #""name":"relayone","#, with: #""name":"relaytwo","formerNames":["relayone"],"#)
            .replacingOccurrences(of: #""events":[{"name":"triggers","provider":"analytics-triggers","eventCodes":["trigger_fired"],"webhookUrl":"https://relay.example.com/t"}]"#, with: #""events":[]"#)
        try after.write(to: file, atomically: true, encoding: .utf8)
        let applied = try await EndToEnd.keyform(["apply", "--auto-approve", "--parallelism", parallelism, "integrations"], in: dir)
        #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
        #expect(try await EndToEnd.stateNames(in: dir) == ["relaytwo"])
        let plan = try await EndToEnd.keyform(["plan", "--detailed-exitcode", "integrations"], in: dir)
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
    }

    @Test func applyWithoutATerminalNeedsAutoApprove() async throws {
        let dir = try EndToEnd.quickstartWorkspace()
        let result = try await EndToEnd.keyform(["apply", "integrations"], in: dir)
        #expect(result.status == 1)
        #expect(result.stderr.contains("apply needs a confirmation and there is no terminal to ask on"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("keyform.state.json").path))
    }

    @Test func twoAppliesAtOnceOneProceedsTheOtherIsRefused() async throws {
        let dir = TestPaths.temporaryDirectory("keyform-e2e")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("integrations"), withIntermediateDirectories: true)
        try EndToEnd.manyIntegrations(300).write(
            to: dir.appendingPathComponent("integrations/batch.json"), atomically: true, encoding: .utf8)
        let first = try ChildProcess(
            TestPaths.keyformBinary, ["apply", "--auto-approve", "--parallelism", "1", "integrations"], directory: dir)
        // Freeze the first apply while it holds the lock, so the two certainly overlap.
        let lock = dir.appendingPathComponent("keyform.state.json.lock").path
        let caught = await first.stopWhenFileAppears(lock)
        #expect(caught, "the first apply finished before its lock was seen")
        let second = try await EndToEnd.keyform(["apply", "--auto-approve", "integrations"], in: dir)
        first.signal(SIGCONT)
        let firstStatus = await first.wait()
        #expect(firstStatus == 0, "\(first.stderr)")
        #expect(second.status == 1)
        #expect(second.stderr.contains("error[KF425]: state is locked by "))
        #expect(second.stderr.contains("for apply since"))
        #expect(second.stderr.contains("if no apply is running: keyform force-unlock "))
        // Nothing lost: the state and the console agree, and there is nothing left to do.
        let names = try await EndToEnd.consoleNames(in: dir)
        #expect(names.count == 300 && names.values.allSatisfy { $0 == 1 })
        #expect(try await EndToEnd.stateNames(in: dir).count == 300)
        let plan = try await EndToEnd.keyform(["plan", "--detailed-exitcode", "integrations"], in: dir)
        #expect(plan.status == 0, "\(plan.stdout)")
    }
}
