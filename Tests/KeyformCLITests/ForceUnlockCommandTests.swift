import Foundation
import KeyformCLI
import KeyformCore
import KeyformState
import KeyformTestSupport
import Testing

@Suite struct ForceUnlockCommandTests {
    static let remoteHolder = LockInfo(
        id: "3f2a9c1e-0000-4000-8000-000000000001", operation: "apply", who: "alice", host: "ci-runner-7",
        pid: 4242, created: "2025-05-01T10:00:00Z")

    static func run(_ arguments: [String], in directory: String) async -> (Int32, String, String) {
        let out = OutputBuffer(), err = OutputBuffer()
        let code = await CLI.run(arguments: arguments, environment: [:], currentDirectory: directory, stdout: out, stderr: err)
        return (code, out.text, err.text)
    }

    /// The lock is removed from the state every command uses: keyform.json's state counts,
    /// from any directory below it (force-unlock looked at ./keyform.state.json only, and
    /// answered "the state is not locked" to the very command a locked apply printed).
    @Test(arguments: [
        (configuration: nil, state: "keyform.state.json", from: "", shown: "keyform.state.json"),
        (configuration: #"{"state": {"backend": "file", "path": "envs/prod.state.json"}}"#, state: "envs/prod.state.json", from: "/ci",
         shown: "../envs/prod.state.json"),
    ] as [(configuration: String?, state: String, from: String, shown: String)])
    func removesTheLockWithThatID(configuration: String?, state: String, from: String, shown: String) async throws {
        let directory = TestPaths.temporaryDirectory("unlock").path
        try FileManager.default.createDirectory(atPath: directory + from, withIntermediateDirectories: true)
        try configuration?.write(toFile: directory + "/keyform.json", atomically: true, encoding: .utf8)
        let store = FileStateStore(path: directory + "/" + state)
        try store.lock(Self.remoteHolder)
        // `-force`, as Terraform scripts write it, is accepted: there is no prompt to skip.
        let (code, out, err) = await Self.run(["force-unlock", Self.remoteHolder.id] + (configuration == nil ? [] : ["-force"]), in: directory + from)
        #expect(code == 0)
        #expect(err == "")
        #expect(out == "Removed lock 3f2a9c1e-0000-4000-8000-000000000001 from \(shown) (held by alice@ci-runner-7 (pid 4242) for apply since 2025-05-01T10:00:00Z).\n")
        #expect(try store.currentLock() == nil)
    }

    @Test func wrongIDIsRefusedAndNamesTheActualLock() async throws {
        let directory = TestPaths.temporaryDirectory("unlock").path
        let store = FileStateStore(path: directory + "/keyform.state.json")
        try store.lock(Self.remoteHolder)
        let (code, out, err) = await Self.run(["force-unlock", "3f2a"], in: directory)
        #expect(code == 1)
        #expect(out == "")
        #expect(err == """
            error[KF428]: no lock with id 3f2a on keyform.state.json
            note: the state is locked by alice@ci-runner-7 (pid 4242) for apply since 2025-05-01T10:00:00Z (lock 3f2a9c1e-0000-4000-8000-000000000001)

            """)
        #expect(try store.currentLock() == Self.remoteHolder)
    }

    @Test func notLocked() async {
        let directory = TestPaths.temporaryDirectory("unlock").path
        let (code, _, err) = await Self.run(["force-unlock", "abc"], in: directory)
        #expect(code == 1)
        #expect(err == "error[KF428]: no lock with id abc on keyform.state.json\nnote: the state is not locked\n")
    }

    @Test func stateOptionNamesAnotherFile() async throws {
        let directory = TestPaths.temporaryDirectory("unlock").path
        let store = FileStateStore(path: directory + "/envs/prod.state.json")
        try store.lock(Self.remoteHolder)
        let (code, out, _) = await Self.run(["force-unlock", "--state", "envs/prod.state.json", Self.remoteHolder.id], in: directory)
        #expect(code == 0)
        #expect(out.hasPrefix("Removed lock 3f2a9c1e-0000-4000-8000-000000000001 from envs/prod.state.json "))
        #expect(try store.currentLock() == nil)
    }

    @Test func warnsWhenTheHolderStillRunsHere() async throws {
        let directory = TestPaths.temporaryDirectory("unlock").path
        let store = FileStateStore(path: directory + "/keyform.state.json")
        let mine = LockInfo.current(operation: "apply")
        try store.lock(mine)
        let (code, _, err) = await Self.run(["force-unlock", mine.id], in: directory)
        #expect(code == 0)
        #expect(err == "warning: process \(getpid()) that took the lock is still running on this host\n")
    }

    @Test func missingIDIsAUsageError() async {
        let directory = TestPaths.temporaryDirectory("unlock").path
        let (code, _, err) = await Self.run(["force-unlock"], in: directory)
        #expect(code == 64)
        #expect(err == "error: missing LOCK_ID\nRun 'keyform help force-unlock' for usage.\n")
        let (code2, _, err2) = await Self.run(["force-unlock", "a", "b"], in: directory)
        #expect(code2 == 64)
        #expect(err2 == "error: unexpected argument 'b'\nRun 'keyform help force-unlock' for usage.\n")
    }

    /// A keyform.json that cannot be read does not send force-unlock to the default state.
    @Test func aBrokenConfigurationIsAnError() async throws {
        let directory = TestPaths.temporaryDirectory("unlock").path
        try #"{"state": {"path": "envs/prod.state.json"},}"#.write(toFile: directory + "/keyform.json", atomically: true, encoding: .utf8)
        let (code, out, err) = await Self.run(["force-unlock", Self.remoteHolder.id], in: directory)
        #expect(code == 1)
        #expect(out == "")
        #expect(err.hasPrefix("keyform.json:1:43: error[KF114]: trailing comma before '}'\n"), "\(err)")
    }
}
