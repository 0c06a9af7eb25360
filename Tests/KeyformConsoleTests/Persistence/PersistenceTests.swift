import Foundation
import KeyformCore
import Testing
@testable import KeyformConsole

@Suite struct PersistenceTests {
    let directory = TestDirectory()
    var path: String { directory.path + "/.keyform/console.json" }
    var logPath: String { path + ".log" }

    /// Creates three integrations with services and a registration: six operations.
    private func populate(_ provider: LocalProvider) async throws {
        let a = try await provider.createIntegration(Fixtures.attributes("stocksearch"))
        try await provider.setServices(a.id, to: ["StockSDK", "ViewSDK"])
        let b = try await provider.createIntegration(Fixtures.attributes("assetsync", type: .serviceAccount))
        try await provider.setServices(b.id, to: ["CloudIntegrationSDK"])
        _ = try await provider.createRegistration(
            b.id, EventRegistrationSpec(name: "asset-sync", provider: "ccstorage", eventCodes: ["asset_created"], webhookUrl: "https://h.example.com/a"))
        _ = try await provider.createIntegration(Fixtures.attributes("webportal", type: .oauth))
    }

    @Test func aClosedConsoleReopensAsItWas() async throws {
        let provider = try LocalProvider.open(path: path)
        try await populate(provider)
        let before = try await provider.listIntegrations()
        let organization = try provider.engine.organization()
        try provider.close()

        #expect(try fileMode(path) == 0o600 && fileMode(logPath) == 0o600)
        #expect(try fileSize(logPath) == 0)
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("\"sequence\": 6"))
        let reopened = try LocalProvider.open(path: path)
        #expect(try await reopened.listIntegrations() == before)
        #expect(try reopened.engine.organization() == organization)
        try reopened.close()
    }

    @Test func aSnapshotIsTheSameWhetherEntitiesWereEncodedOnChangeOrOnWrite() async throws {
        let provider = try LocalProvider.open(path: path)
        try await populate(provider)
        try provider.close()
        let written = try String(contentsOfFile: path, encoding: .utf8)
        // Reopened entities have no kept encoding; one change, then a compaction, re-encodes them.
        let reopened = try LocalProvider.open(path: path)
        let record = try #require(try await reopened.integration(named: "stocksearch"))
        try await reopened.setServices(record.id, to: record.services)
        try reopened.close()
        let rewritten = try String(contentsOfFile: path, encoding: .utf8)
        #expect(rewritten == written.replacingOccurrences(of: "\"sequence\": 6,", with: "\"sequence\": 7,"))
        #expect(written.contains("\n  \"projects\": [\n    {\"id\":"))
    }

    @Test func everyOperationIsInTheLogBeforeItReturns() async throws {
        var before: [IntegrationRecord] = []
        do {
            let provider = try LocalProvider.open(path: path)
            try await populate(provider)
            before = try await provider.listIntegrations()
            // No close: the process could die here.
        }
        #expect(try String(contentsOfFile: logPath, encoding: .utf8).split(separator: "\n").count == 6)
        let reopened = try LocalProvider.open(path: path)
        #expect(try await reopened.listIntegrations() == before)
        try reopened.close()
    }

    @Test func aRecordCutOffByACrashIsDropped() async throws {
        var before: [IntegrationRecord] = []
        do {
            let provider = try LocalProvider.open(path: path)
            try await populate(provider)
            before = try await provider.listIntegrations()
        }
        let validSize = try fileSize(logPath)
        let handle = try #require(FileHandle(forWritingAtPath: logPath))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"sequence":8,"changes":[{"op":"putProject","project":{"id":"12"#.utf8))
        handle.closeFile()

        let reopened = try LocalProvider.open(path: path)
        #expect(try await reopened.listIntegrations() == before)
        #expect(try fileSize(logPath) == validSize)
        _ = try await reopened.createIntegration(Fixtures.attributes("afterwards"))
        let after = try await reopened.listIntegrations()
        try reopened.close()
        #expect(try await LocalProvider.open(path: path, readOnly: true).listIntegrations() == after)
    }

    @Test func aDamagedSnapshotIsReportedWithItsPosition() throws {
        try FileManager.default.createDirectory(atPath: directory.path + "/.keyform", withIntermediateDirectories: true)
        try "{\n  \"format\": \"keyform-console\",\n  \"version\": ?\n}\n".write(toFile: path, atomically: false, encoding: .utf8)
        let error = try #require(throws: ConsoleStoreError.self) { try ConsoleEngine.open(path: path) }
        guard case .syntax(let errorPath, let line, let column, let offset, let message) = error else {
            Issue.record("expected a syntax error, got \(error)")
            return
        }
        #expect(errorPath == path && line == 3 && column == 14 && offset == 46 && !message.isEmpty)
        #expect(error.description.hasPrefix("\(path):3:14: the console file is damaged: "))
    }

    @Test func aDamagedLogLineIsReportedWithItsLine() async throws {
        do {
            let provider = try LocalProvider.open(path: path)
            try await populate(provider)
        }
        var lines = try String(contentsOfFile: logPath, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[1] = "{\"sequence\":2,\"changes\":[} garbage"
        try (lines.joined(separator: "\n") + "\n").write(toFile: logPath, atomically: false, encoding: .utf8)
        let error = try #require(throws: ConsoleStoreError.self) { try ConsoleEngine.open(path: path) }
        guard case .syntax(let errorPath, let line, let column, _, _) = error else {
            Issue.record("expected a syntax error, got \(error)")
            return
        }
        #expect(errorPath == logPath && line == 2 && column == 26)
        // A reader reports the same.
        #expect(throws: error) { try ConsoleEngine.open(path: path, readOnly: true) }
    }

    @Test func wellFormedButWrongContentNamesThePlace() async throws {
        try LocalProvider.open(path: path).close()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "\"entitled\": true", with: "\"entitled\": \"yes\"").write(toFile: path, atomically: false, encoding: .utf8)
        #expect(throws: ConsoleStoreError.invalidContent(path: path, line: nil, pointer: "/catalog/services/1/entitled", message: "expected true or false")) {
            try ConsoleEngine.open(path: path)
        }
        try text.replacingOccurrences(of: "\"version\": 1", with: "\"version\": 2").write(toFile: path, atomically: false, encoding: .utf8)
        #expect(throws: ConsoleStoreError.unsupportedFormat(path: path, found: "format keyform-console, version 2")) {
            try ConsoleEngine.open(path: path)
        }
    }

    @Test func aLogThatDoesNotContinueTheSnapshotIsRefused() async throws {
        do {
            let provider = try LocalProvider.open(path: path)
            try await populate(provider)
        }
        let lines = try String(contentsOfFile: logPath, encoding: .utf8).split(separator: "\n")
        try (lines.dropFirst(2).joined(separator: "\n") + "\n").write(toFile: logPath, atomically: false, encoding: .utf8)
        #expect(throws: ConsoleStoreError.invalidContent(
            path: logPath, line: 1, pointer: "/sequence", message: "record 3 follows record 0: the log does not continue the snapshot")
        ) {
            try ConsoleEngine.open(path: path)
        }
        try FileManager.default.removeItem(atPath: path)
        #expect(throws: ConsoleStoreError.missingSnapshot(path: path, logPath: logPath)) { try ConsoleEngine.open(path: path) }
    }

    @Test func oneWriterAtATime() throws {
        let first = try ConsoleEngine.open(path: path)
        #expect(throws: ConsoleStoreError.inUse(path: path)) { try ConsoleEngine.open(path: path) }
        _ = try Fixtures.integration(first, Fixtures.apiKeyRequest())
        // A reader needs no lock and sees what the writer made durable.
        let reader = try ConsoleEngine.open(path: path, readOnly: true)
        #expect(try reader.project(named: "stocksearch") != nil)
        #expect(throws: ConsoleError.invalid("the console (\(path)) was opened read-only", request: nil)) {
            try reader.createProject(name: "another", title: "Another", description: "")
        }
        try first.close()
        #expect(throws: ConsoleError.unavailable("the console (\(path)) is closed", request: nil)) { try first.organization() }
        try ConsoleEngine.open(path: path).close()
    }

    @Test func aFailedWriteStopsTheEngineUntilReopened() throws {
        let engine = try ConsoleEngine.open(path: path)
        let (kept, _) = try Fixtures.integration(engine, Fixtures.apiKeyRequest())
        // A directory where the snapshot's temporary file must go makes the compaction fail.
        try FileManager.default.createDirectory(atPath: path + ".tmp", withIntermediateDirectories: false)
        #expect(throws: ConsoleStoreError.io(path: path + ".tmp", operation: "open", errno: EISDIR)) { try engine.flush() }
        let stopped = ConsoleError.unavailable(
            "the console's storage failed: \(path).tmp: open failed: Is a directory; reopen the console", request: nil)
        #expect(throws: stopped) { try engine.createProject(name: "another", title: "Another", description: "") }
        #expect(throws: stopped) { try engine.project(id: kept.id) }
        #expect(throws: ConsoleStoreError.io(path: path + ".tmp", operation: "open", errno: EISDIR)) { try engine.close() }
        try FileManager.default.removeItem(atPath: path + ".tmp")
        let reopened = try ConsoleEngine.open(path: path)
        #expect(try reopened.project(id: kept.id) == kept)
        #expect(try reopened.project(named: "another") == nil)
        try reopened.close()
    }

    @Test func readingAMissingConsoleCreatesNothing() throws {
        let engine = try ConsoleEngine.open(path: path, readOnly: true)
        #expect(try engine.projects().totalCount == 0)
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/.keyform"))
    }

    @Test func theLogIsCompactedWhenItOutgrowsTheSnapshot() throws {
        let engine = try ConsoleEngine.open(
            path: path, readOnly: false, catalog: .default, randomSource: SystemRandomNumberGenerator(), compactionThreshold: 4096)
        for index in 0..<200 { _ = try Fixtures.integration(engine, Fixtures.apiKeyRequest("app\(index)")) }
        let snapshot = try fileSize(path)
        #expect(snapshot > 50_000)
        #expect(try fileSize(logPath) <= snapshot)
        #expect(try !String(contentsOfFile: path, encoding: .utf8).contains("\"sequence\": 0,"))
        let reader = try ConsoleEngine.open(path: path, readOnly: true)
        #expect(try reader.projects(size: 1000).totalCount == 200)
    }

    @Test func aReaderCatchingACompactionHalfWayReadsAgain() async throws {
        let engine = try ConsoleEngine.open(
            path: path, readOnly: false, catalog: .default, randomSource: SystemRandomNumberGenerator(), compactionThreshold: 2048)
        let writer = Task.detached {
            for index in 0..<300 { _ = try Fixtures.integration(engine, Fixtures.apiKeyRequest("app\(index)")) }
        }
        var seen = 0
        var reads = 0
        let deadline = Date().addingTimeInterval(60)
        while seen < 300, Date() < deadline {
            let count = try ConsoleEngine.open(path: path, readOnly: true).projects(size: 1000).totalCount
            #expect(count >= seen)
            seen = count
            reads += 1
            // Give the pool's thread back between reads: the writer needs one to progress.
            try await Task.sleep(nanoseconds: 1_000_000)
        }
        try await writer.value
        #expect(seen == 300 && reads > 1)
        try engine.close()
    }

    private func fileMode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    private func fileSize(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? -1
    }
}

/// A fresh temporary directory, removed when the test's suite value goes away.
final class TestDirectory: Sendable {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("keyform-console-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
