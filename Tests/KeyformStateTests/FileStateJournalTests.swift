import Foundation
import KeyformCore
@testable import KeyformState
import Testing

@Suite struct FileStateJournalTests {
    /// A store holding the two-integration document at serial 1.
    /// Holds the first flush open until 8 appends have written their lines, so the followers
    /// deterministically find a flush in progress.
    static func holdFirstFlushUntilEightAppends(_ journal: FileStateJournal) {
        let release = DispatchSemaphore(value: 0)
        let first = Collector<Bool>()
        journal.flushWillStart = {
            if first.all.isEmpty {
                first.add(true)
                release.wait()
            }
        }
        Thread {
            while journal.appendCount < 8 { usleep(1000) }
            release.signal()
        }.start()
    }

    static func storeWithState() throws -> (FileStateStore, String) {
        let (store, directory) = StateStoreFixtures.store()
        try store.write(StateStoreFixtures.document(), expectedSerial: nil)
        return (store, directory)
    }

    static func header(serial: Int) -> String {
        #"{"journal":1,"lineage":"\#(StateStoreFixtures.lineage)","serial":\#(serial)}"# + "\n"
    }

    static func appendRaw(_ text: String, to path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    @Test func openingWithoutAStateIsRefused() {
        let (store, _) = StateStoreFixtures.store()
        #expect(throws: StateStoreError.noState(path: store.path)) { try store.openJournal() }
    }

    @Test func appendsAreReplayedOnRead() throws {
        let (store, directory) = try Self.storeWithState()
        let stored = StateStoreFixtures.bytes(store.path)
        let journal = try store.openJournal()
        try journal.append(.intent(name: "gamma"))
        try journal.append(.upsert(StateStoreFixtures.record("gamma", apiKey: "new"), formerName: nil))
        try journal.append(.remove(name: "alpha"))
        try journal.append(.upsert(StateStoreFixtures.record("delta"), formerName: "beta"))
        try journal.close()

        #expect(StateStoreFixtures.listing(directory) == ["keyform.state.json", "keyform.state.json.journal"])
        #expect(StateStoreFixtures.mode(store.journalPath) == 0o600)
        let lines = StateStoreFixtures.text(store.journalPath).split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        #expect(lines[0] + "\n" == Self.header(serial: 1))
        #expect(lines[1] == #"{"op":"intent","name":"gamma"}"#)

        let snapshot = try #require(try store.read())
        #expect(snapshot.replayedChanges == 4)
        #expect(snapshot.digest == SHA256.hex(stored))
        #expect(snapshot.state.serial == 1)
        #expect(snapshot.state.integrations.keys.sorted() == ["delta", "gamma"])
        #expect(snapshot.state.integrations["gamma"]?.apiKey == "new")
        #expect(snapshot.state.pendingCreates == [])
        // Another process (another store object) sees the same.
        #expect(try FileStateStore(path: store.path).read() == snapshot)
    }

    @Test func writeFoldsTheJournalIntoTheStateAndStartsItOver() throws {
        let (store, _) = try Self.storeWithState()
        let journal = try store.openJournal()
        try journal.append(.upsert(StateStoreFixtures.record("gamma"), formerName: nil))
        let snapshot = try #require(try store.read())
        try store.write(snapshot.state, expectedSerial: snapshot.state.serial)
        #expect(StateStoreFixtures.text(store.journalPath) == Self.header(serial: 2))

        // Appends after the write extend the new state.
        try journal.append(.remove(name: "alpha"))
        try journal.close()
        let after = try #require(try store.read())
        #expect(after.state.serial == 2)
        #expect(after.replayedChanges == 1)
        #expect(after.state.integrations.keys.sorted() == ["beta", "gamma"])

        // A write with no journal open removes a journal left behind.
        let other = FileStateStore(path: store.path)
        try other.write(after.state, expectedSerial: 2)
        #expect(!FileManager.default.fileExists(atPath: store.journalPath))
        #expect(try other.read()?.state.integrations.keys.sorted() == ["beta", "gamma"])
    }

    @Test func tornLastLineIsIgnoredAndCutOffBeforeTheNextAppend() throws {
        let (store, _) = try Self.storeWithState()
        let journal = try store.openJournal()
        try journal.append(.intent(name: "gamma"))
        try journal.append(.intent(name: "delta"))
        try journal.close()
        try Self.appendRaw(#"{"op":"upsert","name":"gam"#, to: store.journalPath)

        let snapshot = try #require(try store.read())
        #expect(snapshot.replayedChanges == 2)
        #expect(snapshot.state.pendingCreates == ["gamma", "delta"])

        let reopened = try store.openJournal()
        try reopened.append(.remove(name: "alpha"))
        try reopened.close()
        #expect(StateStoreFixtures.text(store.journalPath) == Self.header(serial: 1)
            + #"{"op":"intent","name":"gamma"}"# + "\n" + #"{"op":"intent","name":"delta"}"# + "\n"
            + #"{"op":"remove","name":"alpha"}"# + "\n")
        #expect(try store.read()?.replayedChanges == 3)
    }

    @Test func tornHeaderCountsAsNoJournal() throws {
        let (store, _) = try Self.storeWithState()
        try Data(#"{"journal":1,"lin"#.utf8).write(to: URL(fileURLWithPath: store.journalPath))
        #expect(try store.read()?.replayedChanges == 0)
        let journal = try store.openJournal()
        try journal.append(.intent(name: "x"))
        try journal.close()
        #expect(StateStoreFixtures.text(store.journalPath) == Self.header(serial: 1) + #"{"op":"intent","name":"x"}"# + "\n")
    }

    @Test func corruptMiddleLineIsAnErrorWithItsLineNumber() throws {
        let (store, _) = try Self.storeWithState()
        try Data((Self.header(serial: 1) + #"{"op":"intent","name":"a"}"# + "\n" + #"{"op":"intent",name":"b"}"# + "\n"
            + #"{"op":"intent","name":"c"}"# + "\n").utf8).write(to: URL(fileURLWithPath: store.journalPath))
        let expected = StateStoreError.corrupt(path: store.journalPath, diagnostic: .error(
            "KF423", "journal line 3 is not a valid entry: \(syntaxError(#"{"op":"intent",name":"b"}"#))",
            at: .init(file: store.journalPath, line: 3, column: 16),
            notes: [.init("only a torn last line (no line feed) is ignored; a damaged line before it means the journal cannot be trusted")],
            suggestion: "move \(store.journalPath) aside to use the stored state without the journal's changes, then run `keyform plan` to see what differs"))
        #expect(throws: expected) { try store.read() }
        #expect(throws: expected) { try store.openJournal() }
    }

    @Test func wellFormedLineThatIsNotAnEntryIsAnError() throws {
        let (store, _) = try Self.storeWithState()
        try Data((Self.header(serial: 1) + #"{"op":"intent","name":"a"}"# + "\n" + #"{"op":"delete","name":"b"}"# + "\n"
            + #"{"op":"intent","name":"c"}"#).utf8).write(to: URL(fileURLWithPath: store.journalPath))
        do {
            _ = try store.read()
            Issue.record("read succeeded")
        } catch let error as StateStoreError {
            guard case .corrupt(_, let diagnostic) = error else { Issue.record("\(error)"); return }
            #expect(diagnostic.message == "journal line 3 is not a valid entry: /op: unknown operation 'delete' (expected intent, upsert or remove)")
            #expect(diagnostic.location == .init(file: store.journalPath, line: 3, column: 1))
        }
    }

    @Test func staleJournalIsIgnoredAndStartedOver() throws {
        let (store, _) = try Self.storeWithState()
        try Data((Self.header(serial: 0) + #"{"op":"intent","name":"old"}"# + "\n").utf8)
            .write(to: URL(fileURLWithPath: store.journalPath))
        let snapshot = try #require(try store.read())
        #expect(snapshot.replayedChanges == 0)
        #expect(snapshot.state.pendingCreates == [])
        let journal = try store.openJournal()
        try journal.close()
        #expect(StateStoreFixtures.text(store.journalPath) == Self.header(serial: 1))
    }

    /// A journal with changes for a state that is not the stored one: the state file was
    /// replaced (another lineage, or an older copy) or removed while changes were unsaved.
    /// Ignored, they were lost at the next apply, which starts the journal over.
    @Test func aJournalOfAnotherStateIsRefusedNotDropped() throws {
        let entry = #"{"op":"intent","name":"made"}"# + "\n"
        let other = #"{"journal":1,"lineage":"another-lineage","serial":4}"# + "\n"
        let lineage = StateStoreFixtures.lineage
        let cases: [(journal: String, expected: StateStoreError?)] = [
            (Self.header(serial: 3) + entry, .orphanJournal(
                journal: "keyform.state.json.journal", entries: 1,
                journalState: StateVersion(lineage: lineage, serial: 3), state: StateVersion(lineage: lineage, serial: 1))),
            (other + entry + entry, .orphanJournal(
                journal: "keyform.state.json.journal", entries: 2,
                journalState: StateVersion(lineage: "another-lineage", serial: 4), state: StateVersion(lineage: lineage, serial: 1))),
            (other, nil),  // nothing in it to lose
            (Self.header(serial: 0) + entry, nil),  // behind: stale, as after a crash mid-write
        ]
        for (journal, expected) in cases {
            let (store, _) = try Self.storeWithState()
            let named = FileStateStore(path: store.path, displayName: "keyform.state.json")
            try Data(journal.utf8).write(to: URL(fileURLWithPath: store.journalPath))
            if let expected {
                #expect(throws: expected) { try named.read() }
            } else {
                #expect(try named.read()?.replayedChanges == 0)
            }
        }
        // No state file at all, and a journal with a change.
        let (store, _) = StateStoreFixtures.store()
        let named = FileStateStore(path: store.path, displayName: "keyform.state.json")
        try FileManager.default.createDirectory(
            atPath: (store.journalPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data((other + entry).utf8).write(to: URL(fileURLWithPath: store.journalPath))
        let missing = StateStoreError.orphanJournal(
            journal: "keyform.state.json.journal", entries: 1,
            journalState: StateVersion(lineage: "another-lineage", serial: 4), state: nil)
        #expect(throws: missing) { try named.read() }
        #expect(missing.diagnostic.code == "KF418")
        #expect(missing.diagnostic.message
            == "keyform.state.json.journal holds 1 change for another state (lineage another-lineage, serial 4), and there is no state file")
        #expect(missing.diagnostic.suggestion?.hasPrefix("put back the state file the journal belongs to (its .backup may be it)") == true)
    }

    /// A reader takes no lock: an apply may write the state and append to its new journal
    /// between the reader's reading of the state file and of the journal — the first apply's
    /// first state, or the next serial. The journal then looked like another state's, and a
    /// `plan` or `show` run beside the apply failed with KF418; the reader reads both again.
    @Test(arguments: [false, true])
    func anApplyWritingBetweenTheTwoReadsIsNotAnOrphanJournal(stateBefore: Bool) throws {
        let (writer, _) = StateStoreFixtures.store()
        if stateBefore { try writer.write(StateStoreFixtures.document(), expectedSerial: nil) }
        let reader = FileStateStore(path: writer.path)
        let once = Collector<Bool>()
        reader.journalWillBeRead = {
            guard once.all.isEmpty else { return }
            once.add(true)
            // The apply, meanwhile: a new state, its journal, a change recorded.
            try? writer.write(StateStoreFixtures.document(["alpha"]), expectedSerial: stateBefore ? 1 : nil)
            let journal = try? writer.openJournal()
            try? journal?.append(.intent(name: "gamma"))
        }
        let snapshot = try #require(try reader.read())
        #expect(snapshot.state.serial == (stateBefore ? 2 : 1))
        #expect(snapshot.state.pendingCreates == ["gamma"])
        #expect(snapshot.replayedChanges == 1)
        #expect(once.all == [true])
    }

    @Test func closedJournalRefusesAppends() throws {
        let (store, _) = try Self.storeWithState()
        let journal = try store.openJournal()
        try journal.close()
        try journal.close()
        #expect(throws: StateStoreError.io(path: store.journalPath, operation: "append to the closed journal", errno: EBADF)) {
            try journal.append(.intent(name: "x"))
        }
    }

    /// 8 tasks × 500 appends: every entry is replayed, none twice, each task's in its order.
    @Test func concurrentAppendsFromTasksAreAllReplayed() async throws {
        let (store, _) = try Self.storeWithState()
        let journal = try store.openFileJournal()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for i in 0..<500 {
                        try journal.append(.upsert(StateStoreFixtures.record("t\(task)n\(i)", apiKey: "k\(i)"), formerName: nil))
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(journal.appendCount == 4000)
        #expect(journal.flushCount >= 1 && journal.flushCount <= 4000)
        try journal.close()
        let snapshot = try #require(try store.read())
        #expect(snapshot.replayedChanges == 4000)
        #expect(snapshot.state.integrations.count == 4002)
        // Each task's entries appear in its own order.
        let lines = StateStoreFixtures.text(store.journalPath).split(separator: "\n").dropFirst()
        for task in 0..<8 {
            let mine = lines.compactMap { line -> Int? in
                guard let range = line.range(of: "\"name\":\"t\(task)n") else { return nil }
                return Int(line[range.upperBound...].prefix(while: \.isNumber))
            }
            #expect(mine == Array(0..<500))
        }
    }

    /// Leader/follower, made deterministic: the first leader's flush (covering its own line) is
    /// held open until all 8 threads have written their lines; the 7 followers then share one
    /// flush: 2 flushes for 8 durable appends.
    @Test func followersShareOneFlush() throws {
        let (store, _) = try Self.storeWithState()
        let journal = try store.openFileJournal()
        Self.holdFirstFlushUntilEightAppends(journal)
        onThreads(8) { index in
            try? journal.append(.intent(name: "n\(index)"))
        }
        #expect(journal.appendCount == 8)
        #expect(journal.flushCount == 2)
        try journal.close()
        #expect(try store.read()?.replayedChanges == 8)
    }

    /// The suspending path: 8 tasks × 500 appends, all replayed in each task's order.
    @Test func concurrentSuspendingAppendsAreAllReplayed() async throws {
        let (store, _) = try Self.storeWithState()
        let journal = try store.openFileJournal()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for i in 0..<500 {
                        try await journal.appendSuspending(.intent(name: "t\(task)n\(i)"))
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(journal.appendCount == 4000)
        try journal.close()
        let snapshot = try #require(try store.read())
        #expect(snapshot.replayedChanges == 4000)
        #expect(snapshot.state.pendingCreates.count == 4000)
        let lines = StateStoreFixtures.text(store.journalPath).split(separator: "\n").dropFirst()
        for task in 0..<8 {
            let mine = lines.compactMap { line -> Int? in
                guard let range = line.range(of: "\"name\":\"t\(task)n") else { return nil }
                return Int(line[range.upperBound...].prefix(while: \.isNumber))
            }
            #expect(mine == Array(0..<500))
        }
    }

    /// Suspended tasks give their threads back: while the first flush is held open, all 8
    /// tasks still get to write (on a 2-thread pool), and at most one more flush covers them.
    @Test func suspendedTasksShareFlushes() async throws {
        let (store, _) = try Self.storeWithState()
        let journal = try store.openFileJournal()
        Self.holdFirstFlushUntilEightAppends(journal)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask { try await journal.appendSuspending(.intent(name: "n\(task)")) }
            }
            try await group.waitForAll()
        }
        #expect(journal.appendCount == 8)
        #expect(journal.flushCount <= 2)
        try journal.close()
        #expect(try store.read()?.replayedChanges == 8)
    }

    /// Blocking threads and suspended tasks appending at once share the same flushes.
    @Test func blockingAndSuspendingAppendersMix() async throws {
        let (store, _) = try Self.storeWithState()
        let journal = try store.openFileJournal()
        let threadsDone = DispatchGroup()
        for thread in 0..<4 {
            threadsDone.enter()
            Thread {
                for i in 0..<200 { try? journal.append(.intent(name: "thread\(thread)n\(i)")) }
                threadsDone.leave()
            }.start()
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<4 {
                group.addTask {
                    for i in 0..<200 { try await journal.appendSuspending(.intent(name: "task\(task)n\(i)")) }
                }
            }
            try await group.waitForAll()
        }
        await withCheckedContinuation { continuation in
            threadsDone.notify(queue: .global()) { continuation.resume() }
        }
        #expect(journal.appendCount == 1600)
        try journal.close()
        #expect(try store.read()?.state.pendingCreates.count == 1600)
    }

    @Test func closedJournalRefusesSuspendingAppends() async throws {
        let (store, _) = try Self.storeWithState()
        let journal = try store.openJournal()
        try journal.close()
        await #expect(throws: StateStoreError.io(path: store.journalPath, operation: "append to the closed journal", errno: EBADF)) {
            try await journal.appendSuspending(.intent(name: "x"))
        }
    }
}
