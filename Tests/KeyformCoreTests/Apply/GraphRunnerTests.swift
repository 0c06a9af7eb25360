import Foundation
import Testing
@testable import KeyformCore

@Suite struct GraphRunnerTests {
    struct Boom: Error, Equatable { var id: String }

    /// Records start and finish order; thread-safe.
    final class Log: @unchecked Sendable {
        // @unchecked: every access goes through `lock`.
        private let lock = NSLock()
        private var events: [String] = []
        private var running = 0
        private(set) var maxRunning = 0
        func start(_ id: String) { lock.withLock { events.append("start \(id)"); running += 1; maxRunning = max(maxRunning, running) } }
        func finish(_ id: String) { lock.withLock { events.append("finish \(id)"); running -= 1 } }
        var all: [String] { lock.withLock { events } }
    }

    @Test func dependenciesFinishBeforeDependentsStart() async {
        let log = Log()
        let nodes: [GraphRunner.Node<String>] = [
            .init(id: "a", dependsOn: []),
            .init(id: "b", dependsOn: ["a"]),
            .init(id: "c", dependsOn: ["b", "a"]),
            .init(id: "d", dependsOn: []),
        ]
        let outcomes = await GraphRunner.run(nodes, parallelism: 4) { id in
            log.start(id)
            try await Task.sleep(nanoseconds: 2_000_000)
            log.finish(id)
        }
        let events = log.all
        func index(_ e: String) -> Int { events.firstIndex(of: e) ?? -1 }
        #expect(index("finish a") < index("start b"))
        #expect(index("finish b") < index("start c"))
        #expect(outcomes.count == 4)
        #expect(outcomes.values.allSatisfy { if case .succeeded = $0 { true } else { false } })
    }

    @Test func failureSkipsOnlyItsDependents() async {
        let nodes: [GraphRunner.Node<String>] = [
            .init(id: "a", dependsOn: []),
            .init(id: "b", dependsOn: ["a"]),
            .init(id: "c", dependsOn: ["b"]),
            .init(id: "d", dependsOn: []),
        ]
        let outcomes = await GraphRunner.run(nodes, parallelism: 2) { id in
            if id == "b" { throw Boom(id: id) }
        }
        guard case .failed(let error)? = outcomes["b"] else { Issue.record("b should fail"); return }
        #expect(error as? Boom == Boom(id: "b"))
        guard case .skipped(let root)? = outcomes["c"] else { Issue.record("c should be skipped"); return }
        #expect(root == "b")
        guard case .succeeded? = outcomes["a"], case .succeeded? = outcomes["d"] else {
            Issue.record("a and d should succeed"); return
        }
    }

    @Test func parallelismIsBounded() async {
        let log = Log()
        let nodes = (0..<20).map { GraphRunner.Node<String>(id: "n\($0)", dependsOn: []) }
        _ = await GraphRunner.run(nodes, parallelism: 3) { id in
            log.start(id)
            try await Task.sleep(nanoseconds: 3_000_000)
            log.finish(id)
        }
        #expect(log.maxRunning == 3)
    }

    @Test func stopStartsNothingNewAndLetsInFlightFinish() async {
        let log = Log()
        let stop = Flag()
        let nodes = (0..<10).map { GraphRunner.Node<String>(id: "n\($0)", dependsOn: []) }
        let outcomes = await GraphRunner.run(nodes, parallelism: 2, shouldStop: { stop.value }) { id in
            log.start(id)
            if id == "n1" { stop.set() }
            try await Task.sleep(nanoseconds: 5_000_000)
            log.finish(id)
        }
        let started = log.all.filter { $0.hasPrefix("start") }.count
        let finished = log.all.filter { $0.hasPrefix("finish") }.count
        #expect(started == 2)
        #expect(finished == 2)
        #expect(outcomes.values.filter { if case .notStarted = $0 { true } else { false } }.count == 8)
    }

    @Test func readyNodesStartInTheOrderGiven() async {
        let log = Log()
        let nodes = (0..<10).map { GraphRunner.Node<String>(id: "n\($0)", dependsOn: $0 == 3 ? ["n7"] : []) }
        let outcomes = await GraphRunner.run(nodes, parallelism: 1) { id in log.start(id) }
        #expect(log.all == ["n0", "n1", "n2", "n4", "n5", "n6", "n7", "n3", "n8", "n9"].map { "start \($0)" })
        #expect(outcomes.count == 10)
    }

    @Test func skipsEveryTransitiveDependentOnce() async {
        // a ← b ← c, a ← c, and d ← c: c waits for b, b for a; a fails.
        let nodes: [GraphRunner.Node<String>] = [
            .init(id: "a", dependsOn: []),
            .init(id: "b", dependsOn: ["a", "a", "unknown"]),
            .init(id: "c", dependsOn: ["b", "a", "d"]),
            .init(id: "d", dependsOn: []),
        ]
        let outcomes = await GraphRunner.run(nodes, parallelism: 2) { id in
            if id == "a" { throw Boom(id: id) }
        }
        let skipped = outcomes.compactMap { id, outcome in
            if case .skipped(let root) = outcome { return "\(id)<\(root)" } else { return nil }
        }
        #expect(skipped.sorted() == ["b<a", "c<a"])
        guard case .succeeded? = outcomes["d"] else { Issue.record("d should succeed"); return }
    }

}

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 4, baseDelay: 0.1, maxDelay: 1)

    @Test func backoffDoublesWithJitterBetweenHalfAndWhole() {
        let request = ConsoleError.RequestInfo(method: "GET", path: "/x", status: 503, requestId: "r1")
        let error = ConsoleError.unavailable("503", request: request)
        #expect(policy.delay(after: error, attempt: 1, random: 0) == 0.05)
        #expect(policy.delay(after: error, attempt: 1, random: 1) == 0.1)
        #expect(policy.delay(after: error, attempt: 2, random: 1) == 0.2)
        #expect(policy.delay(after: error, attempt: 3, random: 0.5) == 0.30000000000000004)
        #expect(policy.delay(after: error, attempt: 4, random: 0.5) == nil)
    }

    @Test func honoursRetryAfterCappedAtMaxDelay() {
        #expect(policy.delay(after: .rateLimited(retryAfter: 0.7, request: nil), attempt: 1, random: 0.9) == 0.7)
        #expect(policy.delay(after: .rateLimited(retryAfter: 30, request: nil), attempt: 1, random: 0.9) == 1)
    }

    @Test func permanentErrorsAreNotRetried() {
        #expect(policy.delay(after: .conflict(what: "name", existingId: "1", request: nil), attempt: 1, random: 0) == nil)
        #expect(policy.delay(after: .invalid("bad", request: nil), attempt: 1, random: 0) == nil)
    }
}
