import Foundation
import KeyformTestSupport
import Testing

/// An apply killed with a real SIGKILL at random moments loses nothing: the state always loads,
/// the console never holds a duplicate or an integration the state cannot find, and a final
/// apply converges to exactly the manifests with no changes left.
@Suite(.serialized) struct CrashSafetyTests {
    @Test func sigkillAtRandomMomentsTwentyTimesThenConverge() async throws {
        let dir = TestPaths.temporaryDirectory("keyform-crash")
        let manifests = dir.appendingPathComponent("integrations")
        try FileManager.default.createDirectory(at: manifests, withIntermediateDirectories: true)
        let file = manifests.appendingPathComponent("batch.json")
        var generator = SeededGenerator(seed: 0x6b66_6372_6173_6801)
        var interrupted = 0
        // The kill comes at a random instant of this window after the first action. An apply
        // that finishes before its kill shows the window is too long for this machine: it is
        // halved, so the kills keep landing while the apply works, however fast it runs.
        var window: UInt64 = 40_000_000

        for round in 0..<20 {
            // A new webhook host every round, so every round has all of its work to do: 200
            // creates in the first, then 200 registration updates each round.
            let manifest = EndToEnd.manyIntegrations(200)
                .replacingOccurrences(of: "hooks.example.com", with: "hooks\(round).example.com")
            try manifest.write(to: file, atomically: true, encoding: .utf8)
            // Kill at a random moment after this run recorded its first action (the journal
            // changed size), so the kill lands while the apply is working.
            let journal = dir.appendingPathComponent("keyform.state.json.journal").path
            let sizeBefore = Self.size(of: journal)
            let child = try ChildProcess(
                TestPaths.keyformBinary, ["apply", "--auto-approve", "--parallelism", "2", "integrations"], directory: dir)
            let delay = UInt64.random(in: 0...window, using: &generator)
            // (Sent only while the apply runs: a finished child's pid may already be another's.)
            _ = await child.killWhen({ Self.size(of: journal) != sizeBefore }, after: delay, signal: SIGKILL)
            let status = await child.wait()
            if status == 128 + SIGKILL { interrupted += 1 } else { window = max(window / 2, 1_000_000) }
            #expect(status == 0 || status == 128 + SIGKILL, "round \(round): \(child.stderr)")

            // The state loads after every kill, and every integration the console holds is
            // known to the state or recorded as a pending create (adopted by the next run).
            let show = try await EndToEnd.keyform(["show", "--json"], in: dir)
            if show.status != 0 {
                // A kill before the first state write leaves no state at all: nothing to load.
                #expect(show.stderr.contains("KF419"), "round \(round): \(show.stderr)")
                continue
            }
            let state = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
            let known = Set((state["integrations"] as? [String: Any] ?? [:]).keys)
                .union(state["pendingCreates"] as? [String] ?? [])
            let console = try await EndToEnd.consoleNames(in: dir)
            #expect(console.values.allSatisfy { $0 == 1 }, "round \(round): duplicate in the console")
            #expect(Set(console.keys).isSubset(of: known), "round \(round): console holds \(Set(console.keys).subtracting(known).sorted()) unknown to the state")
        }
        #expect(interrupted >= 10, "only \(interrupted) of 20 kills landed during an apply")

        let final = try await EndToEnd.keyform(["apply", "--auto-approve", "integrations"], in: dir)
        #expect(final.status == 0, "\(final.stderr)")
        let console = try await EndToEnd.consoleNames(in: dir)
        #expect(console.count == 200)
        #expect(console.values.allSatisfy { $0 == 1 })
        #expect(Set(try await EndToEnd.stateNames(in: dir)) == Set(console.keys))
        let plan = try await EndToEnd.keyform(["plan", "--detailed-exitcode", "integrations"], in: dir)
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
        #expect(plan.stdout == "No changes. The console matches the manifests.\n")
    }

    /// A SIGKILL at instants spread over a whole apply — from its start, before the console and
    /// the state exist, to its end, while the state is written and the journal started over —
    /// and then the next apply always succeeds: no crash window leaves a journal that looks
    /// like another state's (KF418), a state without its console (KF566), or a duplicate.
    /// First applies (a fresh directory each time) and later ones (every registration changes).
    @Test func aSigkillAtAnyInstantLetsTheNextApplySucceed() async throws {
        let count = 12, instants = 8
        func workspace(_ round: Int) throws -> URL {
            let dir = TestPaths.temporaryDirectory("keyform-kill")
            let manifests = dir.appendingPathComponent("integrations")
            try FileManager.default.createDirectory(at: manifests, withIntermediateDirectories: true)
            try write(round, in: dir)
            return dir
        }
        func write(_ round: Int, in dir: URL) throws {
            try EndToEnd.manyIntegrations(count).replacingOccurrences(of: "hooks.example.com", with: "hooks\(round).example.com")
                .write(to: dir.appendingPathComponent("integrations/batch.json"), atomically: true, encoding: .utf8)
        }
        let apply = ["apply", "--auto-approve", "--parallelism", "2", "integrations"]
        /// Whether the kill landed before the apply was done (a kill right after the start may
        /// leave `Process` reporting status 0: the summary tells).
        func killed(in dir: URL, after seconds: Double) async throws -> Bool {
            let child = try ChildProcess(TestPaths.keyformBinary, apply, directory: dir)
            try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
            child.signal(SIGKILL)
            let status = await child.wait()
            return status != 0 || !child.stdout.contains("Apply complete")
        }
        // How long a whole apply takes here, first and later: the shorter of two timings each,
        // since a slow one spreads the kills past the apply's end (where they land on nothing).
        var first = Double.infinity, later = Double.infinity
        for _ in 0..<2 {
            let timing = try workspace(0)
            var started = Date()
            #expect(try await EndToEnd.keyform(apply, in: timing).status == 0)
            first = min(first, Date().timeIntervalSince(started))
            try write(1, in: timing)
            started = Date()
            #expect(try await EndToEnd.keyform(apply, in: timing).status == 0)
            later = min(later, Date().timeIntervalSince(started))
        }

        var landed = 0
        for i in 0...instants {
            let dir = try workspace(0)
            if try await killed(in: dir, after: first * Double(i) / Double(instants)) { landed += 1 }
            try await EndToEnd.expectApplyConverges(in: dir, count: count, apply, "first apply killed at \(i)/\(instants)")
        }
        let dir = try workspace(0)
        #expect(try await EndToEnd.keyform(apply, in: dir).status == 0)
        for i in 0...instants {
            try write(i + 1, in: dir)
            if try await killed(in: dir, after: later * Double(i) / Double(instants)) { landed += 1 }
            try await EndToEnd.expectApplyConverges(in: dir, count: count, apply, "later apply killed at \(i)/\(instants)")
        }
        #expect(landed >= instants, "only \(landed) of \(2 * (instants + 1)) kills landed during an apply")
        let plan = try await EndToEnd.keyform(["plan", "--detailed-exitcode", "integrations"], in: dir)
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
    }

    static func size(of path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? -1
    }
}
