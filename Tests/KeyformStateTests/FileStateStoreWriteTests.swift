import Foundation
import KeyformCore
@testable import KeyformState
import Testing

@Suite struct FileStateStoreWriteTests {
    @Test func noStateReadsAsNil() throws {
        let (store, _) = StateStoreFixtures.store()
        #expect(try store.read() == nil)
    }

    @Test func firstWriteCreatesSerialOneWithMode0600AndNoLeftovers() throws {
        let (store, directory) = StateStoreFixtures.store()
        var document = StateStoreFixtures.document()
        document.serial = 99  // ignored: the store sets the serial
        try store.write(document, expectedSerial: nil)

        #expect(StateStoreFixtures.listing(directory) == ["keyform.state.json"])
        #expect(StateStoreFixtures.mode(store.path) == 0o600)
        let snapshot = try #require(try store.read())
        var expected = document
        expected.serial = 1
        #expect(snapshot.state == expected)
        #expect(snapshot.replayedChanges == 0)
        #expect(snapshot.digest == SHA256.hex(StateStoreFixtures.bytes(store.path)))
        #expect(StateStoreFixtures.text(store.path) == expected.canonicalText())
    }

    @Test func secondWriteKeepsThePreviousVersionAsBackup() throws {
        let (store, directory) = StateStoreFixtures.store()
        try store.write(StateStoreFixtures.document(["alpha"]), expectedSerial: nil)
        let first = StateStoreFixtures.bytes(store.path)
        try store.write(StateStoreFixtures.document(["alpha", "beta"]), expectedSerial: 1)

        #expect(StateStoreFixtures.listing(directory) == ["keyform.state.json", "keyform.state.json.backup"])
        #expect(StateStoreFixtures.bytes(store.backupPath) == first)
        #expect(StateStoreFixtures.mode(store.backupPath) == 0o600)
        #expect(StateStoreFixtures.mode(store.path) == 0o600)
        let snapshot = try #require(try store.read())
        #expect(snapshot.state.serial == 2)
        #expect(snapshot.state.integrations.keys.sorted() == ["alpha", "beta"])

        try store.write(StateStoreFixtures.document([]), expectedSerial: 2)
        let backup = try StateDocument(decoding: StateStoreFixtures.bytes(store.backupPath), path: "backup")
        #expect(backup.serial == 2)
        #expect(StateStoreFixtures.listing(directory) == ["keyform.state.json", "keyform.state.json.backup"])
    }

    @Test func refusesAnotherLineage() throws {
        let (store, _) = StateStoreFixtures.store()
        try store.write(StateStoreFixtures.document(), expectedSerial: nil)
        let other = StateStoreFixtures.document(lineage: "11111111-2222-3333-4444-555555555555")
        #expect(throws: StateStoreError.lineageMismatch(
            stored: StateStoreFixtures.lineage, writing: "11111111-2222-3333-4444-555555555555")) {
            try store.write(other, expectedSerial: 1)
        }
        #expect(try store.read()?.state.lineage == StateStoreFixtures.lineage)
    }

    @Test func refusesWhenTheSerialMoved() throws {
        let (store, directory) = StateStoreFixtures.store()
        try store.write(StateStoreFixtures.document(), expectedSerial: nil)
        // Another writer (another process: a second store object on the same file) moves it on.
        let other = FileStateStore(path: store.path)
        try other.write(StateStoreFixtures.document(["gamma"]), expectedSerial: 1)

        #expect(throws: StateStoreError.staleSerial(expected: 1, found: 2)) {
            try store.write(StateStoreFixtures.document(), expectedSerial: 1)
        }
        #expect(throws: StateStoreError.staleSerial(expected: nil, found: 2)) {
            try store.write(StateStoreFixtures.document(), expectedSerial: nil)
        }
        #expect(try store.read()?.state.integrations.keys.sorted() == ["gamma"])
        #expect(StateStoreFixtures.listing(directory) == ["keyform.state.json", "keyform.state.json.backup"])
    }

    @Test func refusesAnExpectedSerialWhenThereIsNoState() throws {
        let (store, directory) = StateStoreFixtures.store()
        #expect(throws: StateStoreError.staleSerial(expected: 3, found: 0)) {
            try store.write(StateStoreFixtures.document(), expectedSerial: 3)
        }
        #expect(StateStoreFixtures.listing(directory) == [])
    }

    @Test func concurrentWritersFromOneSerialOnlyOneWins() throws {
        let (store, _) = StateStoreFixtures.store()
        try store.write(StateStoreFixtures.document(), expectedSerial: nil)
        let errors = Collector<StateStoreError>()
        let wins = Collector<Int>()
        onThreads(8) { index in
            let writer = FileStateStore(path: store.path)
            do {
                try writer.write(StateStoreFixtures.document(["w\(index)"]), expectedSerial: 1)
                wins.add(index)
            } catch let error as StateStoreError {
                errors.add(error)
            } catch {}
        }
        #expect(wins.all.count == 1)
        #expect(errors.all == Array(repeating: StateStoreError.staleSerial(expected: 1, found: 2), count: 7))
        let winner = try #require(wins.all.first)
        #expect(try store.read()?.state.integrations.keys.sorted() == ["w\(winner)"])
    }

    @Test func createsAMissingDirectory() throws {
        let (_, directory) = StateStoreFixtures.store()
        let store = FileStateStore(path: directory + "/nested/deeper/state.json")
        try store.write(StateStoreFixtures.document(), expectedSerial: nil)
        #expect(StateStoreFixtures.listing(directory + "/nested/deeper") == ["state.json"])
    }

    @Test func corruptStateIsReportedWithItsPlace() throws {
        let (store, _) = StateStoreFixtures.store()
        try Data("{\"format\": 1,\n  \"serial\": true}".utf8).write(to: URL(fileURLWithPath: store.path))
        let expected = StateStoreError.corrupt(path: store.path, diagnostic: .error(
            "KF421", "\(store.path) is not a valid state file: /serial: expected a non-negative integer, found a boolean"))
        #expect(throws: expected) { try store.read() }
        // A write refuses to replace a state it cannot read.
        #expect(throws: expected) { try store.write(StateStoreFixtures.document(), expectedSerial: 1) }
    }

    /// A state file that is a symbolic link to a shared place: the write lands at the target,
    /// its backup and journal beside it, and the link is still a link afterwards.
    @Test func aStateReachedThroughASymbolicLinkIsWrittenAtItsTarget() throws {
        let (_, directory) = StateStoreFixtures.store()
        try FileManager.default.createDirectory(atPath: directory + "/shared", withIntermediateDirectories: true)
        let target = FileStateStore(path: directory + "/shared/keyform.state.json")
        try target.write(StateStoreFixtures.document(), expectedSerial: nil)
        try FileManager.default.createSymbolicLink(atPath: directory + "/keyform.state.json", withDestinationPath: "shared/keyform.state.json")
        let linked = FileStateStore(path: directory + "/keyform.state.json")
        try linked.write(StateStoreFixtures.document(["alpha"]), expectedSerial: 1)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: directory + "/keyform.state.json") == "shared/keyform.state.json")
        #expect(StateStoreFixtures.listing(directory) == ["keyform.state.json", "shared"])
        #expect(StateStoreFixtures.listing(directory + "/shared").contains("keyform.state.json.backup"))
        #expect(try target.read()?.state.serial == 2)
        #expect(try target.read()?.state.integrations.keys.sorted() == ["alpha"])
    }

    /// The backup is named only when there is one (the first write makes none).
    @Test func aCorruptStateNamesTheBackupWhenThereIsOne() throws {
        let (store, _) = StateStoreFixtures.store()
        try store.write(StateStoreFixtures.document(), expectedSerial: nil)
        try store.write(StateStoreFixtures.document(), expectedSerial: 1)
        #expect(FileManager.default.fileExists(atPath: store.backupPath))
        try Data("{\"format\": 1,".utf8).write(to: URL(fileURLWithPath: store.path))
        do {
            _ = try store.read()
            Issue.record("a corrupt state was read")
        } catch let StateStoreError.corrupt(_, diagnostic) {
            #expect(diagnostic.code == "KF420")
            #expect(diagnostic.notes.map(\.message) == ["the previous version is kept in \(store.path).backup"])
            #expect(diagnostic.suggestion == "look at the backup ('keyform state list --state \(store.path).backup'), then put it back: "
                + "cp \(store.path).backup \(store.path)")
        }
    }

    @Test func pathsInTheSuggestedCommandAreOneShellWordEach() {
        #expect(FileStateStore.shellWord("envs/prod.state.json") == "envs/prod.state.json")
        #expect(FileStateStore.shellWord("my state.json") == "'my state.json'")
        #expect(FileStateStore.shellWord("it's.json") == #"'it'\''s.json'"#)
    }

    @Test func stateFromANewerBuildIsRefused() throws {
        let (store, _) = StateStoreFixtures.store()
        try Data(#"{"format": 9, "whatever": []}"#.utf8).write(to: URL(fileURLWithPath: store.path))
        #expect(throws: StateStoreError.unsupportedFormat(path: store.path, found: 9)) { try store.read() }
        #expect(StateStoreError.unsupportedFormat(path: "s.json", found: 9).description
            == "s.json has format 9, newer than this build of keyform reads (1); upgrade keyform to the version that wrote it")
    }

    @Test func errorDescriptions() {
        #expect(StateStoreError.lineageMismatch(stored: "a", writing: "b").description
            == "refusing to overwrite a different state: the stored state's lineage is a, this one's is b; check that --state (or \"state\" in keyform.json) names the state you mean")
        #expect(StateStoreError.staleSerial(expected: 4, found: 5).description
            == "refusing to overwrite the state: it changed since it was read (read serial 4, now serial 5); run the command again to work from the current state")
        #expect(StateStoreError.io(path: "/x/s.json", operation: "open", errno: ENOENT).description
            == "cannot open /x/s.json: No such file or directory")
    }
}

extension FileStateStoreWriteTests {
    /// Temporary files of a writer killed mid-write are removed by the next write; those of a
    /// live process (this one: another thread may be writing) are left alone.
    @Test func leftoversOfDeadWritersAreRemoved() throws {
        let (store, directory) = StateStoreFixtures.store()
        try store.write(StateStoreFixtures.document(), expectedSerial: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        let dead = process.processIdentifier
        for name in [".keyform.state.json.tmp-\(dead)-1f", ".keyform.state.json.backup-\(dead)-2e",
                     ".keyform.state.json.lock-\(dead)-3d", ".keyform.state.json.tmp-\(getpid())-4c",
                     ".keyform.state.json.other-\(dead)-5b"] {
            try Data("x".utf8).write(to: URL(fileURLWithPath: directory + "/" + name))
        }
        try store.write(StateStoreFixtures.document(), expectedSerial: 1)
        #expect(StateStoreFixtures.listing(directory) == [
            ".keyform.state.json.other-\(dead)-5b", ".keyform.state.json.tmp-\(getpid())-4c",
            "keyform.state.json", "keyform.state.json.backup",
        ])
    }
}

extension FileStateStoreWriteTests {
    /// Messages name the files as the user wrote the path, not as resolved.
    @Test func errorsUseTheDisplayName() throws {
        let (resolved, _) = StateStoreFixtures.store()
        let store = FileStateStore(path: resolved.path, displayName: "keyform.state.json")
        #expect(throws: StateStoreError.noState(path: "keyform.state.json")) { try store.openJournal() }
        try Data("[1,".utf8).write(to: URL(fileURLWithPath: store.path))
        #expect(throws: StateStoreError.corrupt(path: "keyform.state.json", diagnostic: .error(
            "KF420", "state file is not valid JSON: \(syntaxError("[1,"))",
            at: .init(file: "keyform.state.json", line: 1, column: 4, offset: 3, length: 1)))) {
            try store.read()
        }
        try Data("[]".utf8).write(to: URL(fileURLWithPath: store.lockPath))
        #expect(throws: StateStoreError.corrupt(path: "keyform.state.json.lock", diagnostic: .error(
            "KF424", "lock file keyform.state.json.lock is unreadable: expected an object",
            suggestion: "if no apply is running, delete keyform.state.json.lock"))) {
            try store.currentLock()
        }
    }
}
