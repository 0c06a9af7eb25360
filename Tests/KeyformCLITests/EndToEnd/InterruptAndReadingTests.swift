import Foundation
import KeyformTestSupport
import Testing

@Suite(.serialized) struct InterruptAndReadingTests {
    /// SIGINT and SIGTERM: nothing new starts, in-flight work finishes, the state is saved,
    /// exit 130; the next apply finishes the job.
    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalStopsCleanlyAndTheNextApplyFinishes(signal: Int32) async throws {
        let (dir, child) = try await EndToEnd.applyStoppedAtItsFirstAction(300)
        child.signal(signal)
        child.signal(SIGCONT)
        let status = await child.wait()
        #expect(status == 130, "\(child.stderr)")
        #expect(child.stderr.contains("received: starting nothing new, waiting for what is in flight, then saving the state."))
        #expect(child.stdout.contains("not started (interrupted)"))
        #expect(child.stdout.contains("Run 'keyform apply' again to finish"))
        // Saved: the lock is released, the state loads, and it matches the console.
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("keyform.state.json.lock").path))
        let recorded = Set(try await EndToEnd.stateNames(in: dir))
        let console = try await EndToEnd.consoleNames(in: dir)
        #expect(Set(console.keys) == recorded)
        #expect(recorded.count < 300)

        let finish = try await EndToEnd.keyform(["apply", "--auto-approve", "integrations"], in: dir)
        #expect(finish.status == 0, "\(finish.stderr)")
        #expect(try await EndToEnd.consoleNames(in: dir).count == 300)
    }

    /// A second signal does not wait for what is in flight (a slow console held the first for
    /// as long as its requests took): the apply ends at once, exit 130, and loses nothing — the
    /// next apply finishes the job without a duplicate.
    @Test func aSecondSignalStopsAtOnceAndTheNextApplyFinishes() async throws {
        let (dir, child) = try await EndToEnd.applyStoppedAtItsFirstAction(100)
        child.signal(SIGINT)
        child.signal(SIGTERM)
        child.signal(SIGCONT)
        let status = await child.wait()
        #expect(status == 130, "\(child.stderr)")
        #expect(child.stderr.contains("received: starting nothing new, waiting for what is in flight, then saving the state.\n"))
        #expect(child.stderr.contains(": stopping now, without waiting for what is in flight.\n"
            + "Every completed action is recorded in the state's journal: run 'keyform apply' again to finish.\n"), "\(child.stderr)")
        #expect(!child.stdout.contains("Apply complete"), "\(child.stdout)")
        try await EndToEnd.expectApplyConverges(in: dir, count: 100)
    }

    @Test func outputAndStateCommandsReadWhatApplyRecorded() async throws {
        let dir = try EndToEnd.quickstartWorkspace()
        #expect(try await EndToEnd.keyform(["apply", "--auto-approve", "integrations"], in: dir).status == 0)

        let list = try await EndToEnd.keyform(["state", "list"], in: dir)
        #expect(list.stdout == "creativeassetsync\neventsrelay\nnightlyassetreport\nstocksearchweb\n")

        let key = try await EndToEnd.keyform(["output", "stocksearchweb"], in: dir)
        #expect(key.status == 0)
        #expect(key.stdout.range(of: "^[0-9a-f]{32}\n$", options: .regularExpression) != nil)
        let all = try await EndToEnd.keyform(["output", "--json"], in: dir)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [String: [String: Any]])
        #expect(object["stocksearchweb"]?["apiKey"] as? String == key.stdout.trimmingCharacters(in: .newlines))
        #expect(object.keys.sorted() == ["creativeassetsync", "eventsrelay", "nightlyassetreport", "stocksearchweb"])

        let typo = try await EndToEnd.keyform(["output", "stocksearchwbe"], in: dir)
        #expect(typo.status == 1)
        #expect(typo.stderr == "error[KF460]: the state has no integration named 'stocksearchwbe'\nhelp: did you mean 'stocksearchweb'?\n")

        // No secret anywhere a user can read: the console file holds client secrets (p8e-…),
        // the state, outputs and listings never do.
        let state = try String(contentsOf: dir.appendingPathComponent("keyform.state.json"), encoding: .utf8)
        let console = try String(contentsOf: dir.appendingPathComponent(".keyform/console.json"), encoding: .utf8)
        #expect(console.contains("p8e-"))
        for text in [state, all.stdout, try await EndToEnd.keyform(["show"], in: dir).stdout,
                     try await EndToEnd.keyform(["console", "list", "--json"], in: dir).stdout] {
            #expect(!text.contains("p8e-"))
        }

        // pull, rm, push: rm forgets an integration (the console keeps it); push restores.
        let pulled = try await EndToEnd.keyform(["state", "pull"], in: dir)
        try pulled.stdout.write(to: dir.appendingPathComponent("saved.state.json"), atomically: true, encoding: .utf8)
        let rm = try await EndToEnd.keyform(["state", "rm", "eventsrelay"], in: dir)
        #expect(rm.status == 0)
        #expect(try await EndToEnd.stateNames(in: dir) == ["creativeassetsync", "nightlyassetreport", "stocksearchweb"])
        let older = try await EndToEnd.keyform(["state", "push", "saved.state.json"], in: dir)
        #expect(older.status == 1)
        #expect(older.stderr.contains("older than the stored state's"))
        // After rm, the next plan adopts the integration the console still holds.
        let plan = try await EndToEnd.keyform(["plan", "integrations"], in: dir)
        #expect(plan.stdout.contains("eventsrelay"))
    }
}
