import Foundation
import KeyformTestSupport
import Testing

/// `plan --out FILE` writes only where a plan belongs, with the real binary: never over the
/// workspace's own files, never into a directory, FIFO or device, never as a `.json` the next
/// run would read as a manifest; through a symbolic link it writes the link's target.
@Suite struct PlanOutputTests {
    static let environment = ["HOOKS_HOST": "hooks.example.com"]

    /// A quickstart workspace whose manifests are the current directory (no keyform.json), applied.
    static func appliedWorkspace() async throws -> URL {
        let dir = try EndToEnd.quickstartWorkspace()
        let applied = try await ChildProcess.keyform(["apply", "--auto-approve", "integrations"], in: dir, environment: environment)
        #expect(applied.status == 0, "\(applied.stderr)")
        return dir
    }

    static func bytes(_ path: URL) -> Data? { FileManager.default.contents(atPath: path.path) }

    @Test func theWorkspacesOwnFilesAreRefusedAndLeftAsTheyWere() async throws {
        let dir = try await Self.appliedWorkspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        let own = ["keyform.state.json", "keyform.state.json.journal", ".keyform/console.json"]
        let before = own.map { Self.bytes(dir.appendingPathComponent($0)) }
        for (file, what) in zip(own, ["the state file", "the state's journal", "the local console"]) {
            let run = try await ChildProcess.keyform(["plan", "--out", file, "integrations"], in: dir, environment: Self.environment)
            #expect(run.status == 1)
            #expect(run.stderr.contains("error[KF449]: --out \(file) is \(what); writing the plan there would destroy it"), "\(run.stderr)")
        }
        #expect(own.map { Self.bytes(dir.appendingPathComponent($0)) } == before)
    }

    @Test func aJSONNameUnderTheManifestsADirectoryAndAFIFOAreRefused() async throws {
        let dir = try await Self.appliedWorkspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(mkfifo(dir.appendingPathComponent("pipe").path, 0o600) == 0)
        let cases = [
            ("integrations/plan.json", "is under the manifest path (integrations), where the next run would read it as a manifest"),
            ("integrations", "is a directory"),
            ("pipe", "is not a regular file (a device, FIFO or socket)"),
            ("missing/release.plan", "its directory does not exist"),
        ]
        for (out, problem) in cases {
            let run = try await ChildProcess.keyform(["plan", "--out", out, "integrations"], in: dir, environment: Self.environment, timeout: 30)
            #expect(run.status == 1)
            #expect(run.stderr.contains(problem), "\(out): \(run.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("integrations/plan.json").path))
    }

    @Test func throughASymbolicLinkTheTargetGetsThePlan() async throws {
        let dir = try await Self.appliedWorkspace()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("plans"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("latest.plan").path, withDestinationPath: "plans/release.plan")
        let run = try await ChildProcess.keyform(["plan", "--out", "latest.plan", "integrations"], in: dir, environment: Self.environment)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir.appendingPathComponent("latest.plan").path) == "plans/release.plan")
        let plan = try #require(Self.bytes(dir.appendingPathComponent("plans/release.plan")))
        #expect(String(decoding: plan, as: UTF8.self).contains("\"formatVersion\""))
        let shown = try await ChildProcess.keyform(["show", "latest.plan"], in: dir, environment: Self.environment)
        #expect(shown.status == 0, "\(shown.stderr)")
    }
}
