import Foundation
import KeyformCore
import KeyformState
import Testing

@Suite struct FileStateStoreLockTests {
    static func info(_ id: String, pid: Int32 = getpid(), host: String = StateStoreFixtures.hostName()) -> LockInfo {
        LockInfo(id: id, operation: "apply", who: "alice", host: host, pid: pid, created: "2025-05-01T10:00:00Z")
    }

    static func writeLockFile(_ info: LockInfo, at path: String) throws {
        try Data(info.json.canonicalText().utf8).write(to: URL(fileURLWithPath: path))
    }

    /// Runs a program to its end (reaped: a zombie would still answer `kill(pid, 0)`).
    static func finishedProcessID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test func lockRecordsTheHolderAndASecondLockIsRefusedWithIt() throws {
        let (store, directory) = StateStoreFixtures.store()
        let holder = Self.info("3f2a-first")
        try store.lock(holder)
        #expect(StateStoreFixtures.listing(directory) == ["keyform.state.json.lock"])
        #expect(StateStoreFixtures.mode(store.lockPath) == 0o600)
        #expect(StateStoreFixtures.text(store.lockPath) == """
            {
              "id": "3f2a-first",
              "operation": "apply",
              "who": "alice",
              "host": "\(StateStoreFixtures.hostName())",
              "pid": \(getpid()),
              "created": "2025-05-01T10:00:00Z"
            }

            """)
        #expect(throws: StateStoreError.locked(holder)) { try store.lock(Self.info("second")) }
        #expect(throws: StateStoreError.locked(holder)) { try FileStateStore(path: store.path).lock(Self.info("third")) }
        #expect(try store.currentLock() == holder)
        #expect(StateStoreFixtures.listing(directory) == ["keyform.state.json.lock"])
    }

    @Test func lockedMessageHasTheDesignedWords() {
        let holder = LockInfo(id: "3f2a9c1e", operation: "apply", who: "alice", host: "ci-7", pid: 4242, created: "2025-05-01T10:00:00Z")
        let expected = "state is locked by alice@ci-7 (pid 4242) for apply since 2025-05-01T10:00:00Z (lock 3f2a9c1e); if no apply is running: keyform force-unlock 3f2a9c1e"
        #expect(holder.lockedMessage == expected)
        #expect(StateStoreError.locked(holder).description == expected)
        let diagnostic = StateStoreError.locked(holder).diagnostic
        #expect(diagnostic.code == "KF425")
        #expect(diagnostic.message == "state is locked by alice@ci-7 (pid 4242) for apply since 2025-05-01T10:00:00Z (lock 3f2a9c1e)")
        #expect(diagnostic.suggestion == "if no apply is running: keyform force-unlock 3f2a9c1e")
    }

    @Test func unlockRemovesOnlyItsOwnLock() throws {
        let (store, directory) = StateStoreFixtures.store()
        try store.lock(Self.info("mine"))
        #expect(throws: StateStoreError.noSuchLock(id: "theirs")) { try store.unlock(id: "theirs") }
        #expect(try store.currentLock()?.id == "mine")
        try store.unlock(id: "mine")
        #expect(StateStoreFixtures.listing(directory) == [])
        #expect(throws: StateStoreError.noSuchLock(id: "mine")) { try store.unlock(id: "mine") }
        try store.lock(Self.info("next"))
        #expect(try store.currentLock()?.id == "next")
    }

    @Test func forceUnlockNeedsTheExactID() throws {
        let (store, directory) = StateStoreFixtures.store()
        try store.lock(Self.info("held-by-a-crashed-job"))
        let other = FileStateStore(path: store.path)
        #expect(throws: StateStoreError.noSuchLock(id: "held-by")) { try other.forceUnlock(id: "held-by") }
        try other.forceUnlock(id: "held-by-a-crashed-job")
        #expect(StateStoreFixtures.listing(directory) == [])
        #expect(throws: StateStoreError.noSuchLock(id: "held-by-a-crashed-job")) { try other.forceUnlock(id: "held-by-a-crashed-job") }
    }

    @Test func lockOfADeadProcessOnThisHostIsTakenOver() throws {
        let (store, _) = StateStoreFixtures.store()
        let deadPid = try Self.finishedProcessID()
        try Self.writeLockFile(Self.info("killed-ci-job", pid: deadPid), at: store.lockPath)
        let next = Self.info("next-run")
        try store.lock(next)
        #expect(try store.currentLock() == next)
    }

    @Test func lockOfAProcessOnAnotherHostIsNeverTakenOver() throws {
        let (store, _) = StateStoreFixtures.store()
        let deadPid = try Self.finishedProcessID()
        let remote = Self.info("remote", pid: deadPid, host: "some-other-runner")
        try Self.writeLockFile(remote, at: store.lockPath)
        #expect(throws: StateStoreError.locked(remote)) { try store.lock(Self.info("next")) }
    }

    /// A real process holds the lock: `sh` writes a lock file with its own pid, then `exec`s
    /// `sleep` (same pid). While it lives the lock is refused with its details; once it is
    /// killed with SIGKILL (and reaped), the lock is taken over.
    @Test func lockHeldByARealProcessUntilItIsKilled() throws {
        let (store, _) = StateStoreFixtures.store()
        let host = StateStoreFixtures.hostName()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        let script = #"printf '{"id":"sh-lock","operation":"apply","who":"ci","host":"%s","pid":%d,"created":"2025-05-01T10:00:00Z"}\n' "$1" $$ > "$2.tmp" && mv "$2.tmp" "$2" && exec sleep 30"#
        process.arguments = ["-c", script, "sh", host, store.lockPath]
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() } }
        for _ in 0..<500 where !FileManager.default.fileExists(atPath: store.lockPath) { usleep(10_000) }

        let holder = LockInfo(id: "sh-lock", operation: "apply", who: "ci", host: host, pid: process.processIdentifier, created: "2025-05-01T10:00:00Z")
        #expect(throws: StateStoreError.locked(holder)) { try store.lock(Self.info("mine")) }

        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        try store.lock(Self.info("mine"))
        #expect(try store.currentLock()?.id == "mine")
    }

    @Test func racingThreadsGetExactlyOneLock() throws {
        let (store, directory) = StateStoreFixtures.store()
        let winners = Collector<String>()
        let refusals = Collector<LockInfo>()
        onThreads(8) { index in
            do {
                try FileStateStore(path: store.path).lock(Self.info("racer-\(index)"))
                winners.add("racer-\(index)")
            } catch StateStoreError.locked(let holder) {
                refusals.add(holder)
            } catch {}
        }
        #expect(winners.all.count == 1)
        let winner = try #require(winners.all.first)
        #expect(refusals.all.map(\.id) == Array(repeating: winner, count: 7))
        #expect(try store.currentLock()?.id == winner)
        #expect(StateStoreFixtures.listing(directory) == ["keyform.state.json.lock"])
    }

    @Test func racingTakeoversOfADeadLockGiveExactlyOneHolder() throws {
        let (store, _) = StateStoreFixtures.store()
        try Self.writeLockFile(Self.info("dead", pid: try Self.finishedProcessID()), at: store.lockPath)
        let winners = Collector<String>()
        let refusals = Collector<String>()
        onThreads(8) { index in
            do {
                try FileStateStore(path: store.path).lock(Self.info("racer-\(index)"))
                winners.add("racer-\(index)")
            } catch StateStoreError.locked(let holder) {
                refusals.add(holder.id)
            } catch {}
        }
        #expect(winners.all.count == 1)
        let winner = try #require(winners.all.first)
        #expect(refusals.all == Array(repeating: winner, count: 7))
    }

    @Test func unreadableLockFileIsReported() throws {
        let (store, _) = StateStoreFixtures.store()
        try Data("{\"id\": 1}".utf8).write(to: URL(fileURLWithPath: store.lockPath))
        let expected = StateStoreError.corrupt(path: store.lockPath, diagnostic: .error(
            "KF424", "lock file \(store.lockPath) is unreadable: /pid: expected a process id",
            suggestion: "if no apply is running, delete \(store.lockPath)"))
        #expect(throws: expected) { try store.lock(Self.info("x")) }
        #expect(throws: expected) { try store.forceUnlock(id: "x") }
    }

    @Test func currentLockInfoDescribesThisProcess() throws {
        let info = LockInfo.current(operation: "apply", environment: ["USER": "bob"])
        #expect(info.who == "bob")
        #expect(info.pid == getpid())
        #expect(info.host == StateStoreFixtures.hostName())
        #expect(info.operation == "apply")
        #expect(UUID(uuidString: info.id) != nil)
        #expect(info.created.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/) != nil)
        #expect(try LockInfo(lockFileBytes: Array(info.json.canonicalText().utf8)) == info)
    }
}
