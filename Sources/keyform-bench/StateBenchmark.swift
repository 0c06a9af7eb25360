import Foundation
import KeyformCore
import KeyformJSON
import KeyformState

/// `keyform-bench state`: the file state store's costs.
///
/// - journal: 10,000 durable appends from 4 concurrent tasks, and from 4 threads (how many
///   `fdatasync`s group commit saves), against 1,000 appends from one appender (one flush each);
/// - full write and read of a 10,000-integration state (size, encode, durable write, read with
///   parse, decode and digest), and SHA-256 throughput.
func stateBenchmark() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keyform-bench-state-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }

    // Sequential baseline: one appender, every append pays its own flush.
    do {
        let store = try StateBenchmarkSupport.store(directory, "sequential")
        let journal = try store.openFileJournal()
        let start = Date()
        for i in 0..<1000 { try journal.append(.upsert(StateBenchmarkSupport.record(i), formerName: nil)) }
        let seconds = Date().timeIntervalSince(start)
        try journal.close()
        print(String(format: "journal, 1 appender:                   %6d appends, %6d flushes, %7.3f s, %7.0f appends/s",
                     journal.appendCount, journal.flushCount, seconds, Double(journal.appendCount) / seconds))
    }

    // 4 concurrent tasks (Swift concurrency), 2,500 appends each: suspending, then blocking.
    for (count, blocking) in [(1000, false), (10_000, false), (10_000, true)] {
        let store = try StateBenchmarkSupport.store(directory, "tasks\(count)\(blocking ? "blocking" : "suspending")")
        let journal = try store.openFileJournal()
        let start = Date()
        let finished = DispatchSemaphore(value: 0)
        let failure = StateBenchmarkSupport.FailureBox()
        Task.detached {
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for task in 0..<4 {
                        group.addTask {
                            for i in stride(from: task, to: count, by: 4) {
                                let change = StateChange.upsert(StateBenchmarkSupport.record(i), formerName: nil)
                                if blocking {
                                    try journal.append(change)
                                } else {
                                    try await journal.appendSuspending(change)
                                }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            } catch {
                failure.set("\(error)")
            }
            finished.signal()
        }
        finished.wait()
        if let message = failure.message { throw StateBenchmarkSupport.Failure(message: message) }
        let seconds = Date().timeIntervalSince(start)
        try journal.close()
        let journalBytes = (try? FileManager.default.attributesOfItem(atPath: store.journalPath)[.size] as? Int) ?? 0
        let readStart = Date()
        let replayed = try store.read()?.replayedChanges ?? 0
        let readSeconds = Date().timeIntervalSince(readStart)
        print("journal, 4 tasks, " + (blocking ? "append:          " : "appendSuspending:") + String(format: " %6d appends, %6d flushes, %7.3f s, %7.0f appends/s, %.2f appends/flush; journal %.2f MB; replay %d in %.3f s",
                     journal.appendCount, journal.flushCount, seconds,
                     Double(journal.appendCount) / seconds,
                     Double(journal.appendCount) / Double(max(journal.flushCount, 1)), Double(journalBytes) / 1_000_000,
                     replayed, readSeconds))
    }

    // 4 real threads, 2,500 appends each.
    do {
        let store = try StateBenchmarkSupport.store(directory, "threads")
        let journal = try store.openFileJournal()
        let start = Date()
        let group = DispatchGroup()
        for thread in 0..<4 {
            group.enter()
            Thread {
                for i in stride(from: thread, to: 10_000, by: 4) {
                    try? journal.append(.upsert(StateBenchmarkSupport.record(i), formerName: nil))
                }
                group.leave()
            }.start()
        }
        group.wait()
        let seconds = Date().timeIntervalSince(start)
        try journal.close()
        print(String(format: "journal, 4 threads, append:            %6d appends, %6d flushes, %7.3f s, %7.0f appends/s, %.2f appends/flush",
                     journal.appendCount, journal.flushCount, seconds, Double(journal.appendCount) / seconds,
                     Double(journal.appendCount) / Double(max(journal.flushCount, 1))))
    }

    // Full state of 10,000 integrations.
    do {
        var document = StateDocument(lineage: UUID().uuidString.lowercased(), keyformVersion: "0.1.0")
        for i in 0..<10_000 { document.integrations[StateBenchmarkSupport.name(i)] = StateBenchmarkSupport.record(i) }
        let encodeStart = Date()
        let bytes = document.encoded()
        let encodeSeconds = Date().timeIntervalSince(encodeStart)
        let store = FileStateStore(path: directory + "/full.state.json")
        try store.write(document, expectedSerial: nil)
        let writeStart = Date()
        try store.write(document, expectedSerial: 1)
        let writeSeconds = Date().timeIntervalSince(writeStart)
        let readStart = Date()
        let snapshot = try store.read()
        let readSeconds = Date().timeIntervalSince(readStart)
        let hashStart = Date()
        _ = SHA256.hex(bytes)
        let hashSeconds = Date().timeIntervalSince(hashStart)
        let treeStart = Date()
        let tree = document.json
        let treeSeconds = Date().timeIntervalSince(treeStart)
        let parseStart = Date()
        let parsed = try JSON.parse(bytes)
        let parseSeconds = Date().timeIntervalSince(parseStart)
        var decodeSeconds = Double.infinity
        for _ in 0..<StateBenchmarkSupport.decodeRepeats {
            let decodeStart = Date()
            _ = try StateDocument(json: parsed)
            decodeSeconds = min(decodeSeconds, Date().timeIntervalSince(decodeStart))
        }
        let megabytes = Double(bytes.count) / 1_000_000
        print(String(format: "state of 10,000 integrations: %.2f MB; encode %.3f s (JSON tree %.3f s); write (encode, fsync, backup, rename, dir fsync) %.3f s; read (parse, decode, digest) %.3f s",
                     megabytes, encodeSeconds, treeSeconds, writeSeconds, readSeconds))
        print(String(format: "  of the read: JSON.parse %.3f s, StateDocument(json:) %.3f s, SHA-256 %.3f s (%.0f MB/s)",
                     parseSeconds, decodeSeconds, hashSeconds, megabytes / hashSeconds))
        _ = tree
        if snapshot?.state.integrations.count != 10_000 { throw StateBenchmarkSupport.Failure(message: "read back a different state") }
    }
}

enum StateBenchmarkSupport {
    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    final class FailureBox: @unchecked Sendable {
        // @unchecked: `value` is only touched while `lock` is held.
        private let lock = NSLock()
        private var value: String?
        func set(_ message: String) { lock.withLock { value = message } }
        var message: String? { lock.withLock { value } }
    }

    static func store(_ directory: String, _ name: String) throws -> FileStateStore {
        let store = FileStateStore(path: directory + "/\(name).state.json")
        try store.write(StateDocument(lineage: UUID().uuidString.lowercased(), keyformVersion: "0.1.0"), expectedSerial: nil)
        return store
    }

    /// `KEYFORM_BENCH_DECODE_REPEATS` (default 3): decode timings keep the fastest run.
    static let decodeRepeats = Int(ProcessInfo.processInfo.environment["KEYFORM_BENCH_DECODE_REPEATS"] ?? "") ?? 3

    static func name(_ i: Int) -> String { "integration\(i)" }

    /// About 500 bytes in the state file, like a real integration with one registration.
    static func record(_ i: Int) -> IntegrationRecord {
        IntegrationRecord(
            id: IntegrationID(projectId: "4566206088344\(100_000 + i)", workspaceId: "4566206088345\(100_000 + i)", credentialId: "\(7_000_000 + i)"),
            apiKey: String(repeating: String(i % 10), count: 32),
            attributes: IntegrationAttributes(
                name: name(i), title: "Integration \(i)", description: "Generated integration number \(i) for the state benchmark.",
                type: .apiKey, allowedDomains: ["www.example.com"]),
            services: ["StockSDK", "ViewSDK"],
            registrations: [RegistrationRecord(id: "reg-\(i)", spec: EventRegistrationSpec(
                name: "asset-sync", provider: "ccstorage", eventCodes: ["asset_created", "asset_deleted"],
                webhookUrl: "https://hooks.example.com/adobe/\(i)"))])
    }
}
