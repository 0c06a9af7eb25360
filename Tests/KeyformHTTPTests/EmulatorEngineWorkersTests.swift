import Foundation
import Glibc
@testable import KeyformHTTP
import Testing

/// The threads that run the engine's blocking calls: started as needed, never more than the
/// bound, and the caller's own thread once closed.
@Suite struct EmulatorEngineWorkersTests {
    @Test func blockingJobsRunSideBySideUpToTheBound() async throws {
        let workers = EngineWorkers(threads: 3, label: "test-workers")
        let gate = DispatchSemaphore(value: 0)
        let started = LineLog()
        let jobs = (0..<6).map { index in
            Task {
                await workers.run { () -> String in
                    started.append(String(UInt(pthread_self())))
                    gate.wait()
                    return "\(index)"
                }
            }
        }
        let deadline = Date().addingTimeInterval(20)
        while started.lines.count < 3, Date() < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(started.lines.count == 3)
        for _ in 0..<6 { gate.signal() }
        var results: [String] = []
        for job in jobs { results.append(await job.value) }
        #expect(results == ["0", "1", "2", "3", "4", "5"])
        #expect(started.lines.count == 6)
        #expect(Set(started.lines).count == 3)
    }

    @Test func afterCloseJobsStillRun() async {
        let workers = EngineWorkers(threads: 2, label: "closed-workers")
        #expect(await workers.run { 1 + 1 } == 2)
        workers.close()
        #expect(await workers.run { 2 + 2 } == 4)
    }
}
