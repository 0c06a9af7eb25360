import Foundation
import KeyformConsole
import KeyformCore

/// `keyform-bench console`: creates 1,000 then 10,000 integrations through `LocalProvider`
/// (each: create, set services, one event registration — three durable operations), with
/// 1 and 4 concurrent tasks, closes the console (final compaction), and prints the times and
/// the 10k/1k ratio. Linear cost means a ratio near 10. The organization's registration
/// quota (2,500 in the real console) is lifted: 10,000 registrations exceed it.
/// `KEYFORM_BENCH_DIR` chooses where the console files go (default: the temporary
/// directory), e.g. `/dev/shm` to take the disk's fsync latency out of the figures.
enum ConsoleBenchmark {
    static func run() throws {
        for parallelism in [1, 4] {
            var seconds: [Int: Double] = [:]
            var cpuTimes: [Int: Double] = [:]
            for count in [1_000, 10_000] {
                let base = ProcessInfo.processInfo.environment["KEYFORM_BENCH_DIR"].map { URL(fileURLWithPath: $0) }
                    ?? FileManager.default.temporaryDirectory
                let directory = base.appendingPathComponent("keyform-bench-console-\(UUID().uuidString)")
                defer { try? FileManager.default.removeItem(at: directory) }
                let path = directory.appendingPathComponent("console.json").path
                let start = Date()
                let cpuStart = cpuSeconds()
                let statistics = try blocking { try await apply(count: count, parallelism: parallelism, path: path) }
                let elapsed = Date().timeIntervalSince(start)
                let cpu = cpuSeconds() - cpuStart
                seconds[count] = elapsed
                let reopenStart = Date()
                let reopened = try LocalProvider.open(path: path, readOnly: true)
                let listed = try blocking { try await reopened.listIntegrations().count }
                let reopen = Date().timeIntervalSince(reopenStart)
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
                print(String(
                    format: "parallelism %d: %6d integrations in %7.3f s (CPU %6.3f s, %5.0f operations/s); %d operations, %d log syncs, %d compactions; snapshot %.1f MB; reopen and list %d in %.3f s",
                    parallelism, count, elapsed, cpu, Double(count * 3) / elapsed, statistics.operations, statistics.syncs,
                    statistics.compactions, Double(size) / 1_000_000, listed, reopen))
                cpuTimes[count] = cpu
            }
            if let small = seconds[1_000], let large = seconds[10_000] {
                print(String(format: "parallelism %d: 10k / 1k = %.2f wall time (target: at most 12)", parallelism, large / small))
            }
            if let small = cpuTimes[1_000], let large = cpuTimes[10_000] {
                print(String(format: "parallelism %d: 10k / 1k = %.2f CPU time", parallelism, large / small))
            }
        }
    }

    /// Applies `count` integrations and closes the console.
    /// - Returns: what the storage did.
    private static func apply(count: Int, parallelism: Int, path: String) async throws -> ConsoleStorageStatistics {
        let quotas = ConsoleQuotas(registrationsPerOrganization: .max)
        let provider = LocalProvider(engine: try ConsoleEngine.open(path: path, quotas: quotas))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<parallelism {
                group.addTask {
                    for index in stride(from: worker, to: count, by: parallelism) {
                        let name = "bench\(index)"
                        let record = try await provider.createIntegration(IntegrationAttributes(
                            name: name, title: "Bench \(index)", description: "Benchmark integration \(index).", type: .serviceAccount))
                        try await provider.setServices(record.id, to: ["CloudIntegrationSDK", "StockSDK"])
                        _ = try await provider.createRegistration(record.id, EventRegistrationSpec(
                            name: "assets", provider: "ccstorage", eventCodes: ["asset_created", "asset_deleted"],
                            webhookUrl: "https://hooks.example.com/\(name)"))
                    }
                }
            }
            try await group.waitForAll()
        }
        try provider.close()
        return provider.engine.storageStatistics
    }

    /// User and system CPU time of this process so far.
    private static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return user + system
    }

    /// Runs async work to completion from the synchronous benchmark runner.
    private static func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = Outcome<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do { outcome.value = .success(try await body()) } catch { outcome.value = .failure(error) }
            done.signal()
        }
        done.wait()
        guard let value = outcome.value else { throw CancellationError() }
        return try value.get()
    }

    private final class Outcome<T>: @unchecked Sendable {
        // @unchecked: written by one task before the semaphore is signalled, read after the wait.
        var value: Result<T, any Error>?
    }
}
