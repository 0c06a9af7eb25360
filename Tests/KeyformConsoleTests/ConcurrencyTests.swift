import Foundation
import KeyformCore
import Testing
@testable import KeyformConsole

/// Many tasks at once against one persistent console: nothing lost, nothing doubled, the
/// rules hold.
@Suite struct ConcurrencyTests {
    let directory = TestDirectory()
    var path: String { directory.path + "/console.json" }

    @Test func parallelCreatesAreAllDistinctAndDurable() async throws {
        let provider = try LocalProvider.open(path: path)
        let records = try await withThrowingTaskGroup(of: IntegrationRecord.self) { group in
            for index in 0..<200 {
                group.addTask {
                    let record = try await provider.createIntegration(Fixtures.attributes("app\(index)", type: index % 2 == 0 ? .apiKey : .serviceAccount))
                    try await provider.setServices(record.id, to: ["StockSDK"])
                    return record
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(records.map(\.name)).count == 200)
        #expect(Set(records.map(\.apiKey)).count == 200)
        let ids = records.flatMap { [$0.id.projectId, $0.id.workspaceId, $0.id.credentialId] }
        #expect(Set(ids).count == 600)
        let listed = try await provider.listIntegrations()
        // Reopen without closing: the log alone has everything.
        let reader = try LocalProvider.open(path: path, readOnly: true)
        #expect(try await reader.listIntegrations() == listed)
        #expect(listed.count == 200 && listed.allSatisfy { $0.services == ["StockSDK"] })
        try provider.close()
    }

    @Test func concurrentCreatesOfOneNameLeaveExactlyOne() async throws {
        let provider = try LocalProvider.open(path: path)
        let outcomes = await withTaskGroup(of: (String, Result<IntegrationRecord, ConsoleError>).self) { group in
            for attempt in 0..<50 {
                let name = "shared\(attempt % 5)"
                group.addTask {
                    do {
                        return (name, .success(try await provider.createIntegration(Fixtures.attributes(name))))
                    } catch let error as ConsoleError {
                        return (name, .failure(error))
                    } catch {
                        return (name, .failure(.badResponse("\(error)", request: nil)))
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        var winners: [String: String] = [:]
        for case (let name, .success(let record)) in outcomes { winners[name] = record.id.projectId }
        #expect(winners.count == 5 && outcomes.filter { if case .success = $0.1 { true } else { false } }.count == 5)
        for case (let name, .failure(let error)) in outcomes {
            #expect(error == .conflict(what: "project name '\(name)'", existingId: winners[name], request: nil))
        }
        #expect(try await provider.listIntegrations().count == 5)
        try provider.close()
    }

    @Test func theRegistrationQuotaHoldsUnderConcurrency() async throws {
        let provider = try LocalProvider.open(path: path)
        let record = try await provider.createIntegration(Fixtures.attributes("assetsync", type: .serviceAccount))
        let errors = await withTaskGroup(of: ConsoleError?.self) { group in
            for index in 0..<40 {
                group.addTask {
                    let spec = EventRegistrationSpec(name: "hook\(index)", provider: "ccstorage", eventCodes: ["asset_created"], webhookUrl: "https://h.example.com")
                    do {
                        _ = try await provider.createRegistration(record.id, spec)
                        return nil
                    } catch {
                        return error as? ConsoleError
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let refusals = errors.compactMap { $0 }
        #expect(refusals.count == 10)
        #expect(refusals.allSatisfy {
            $0 == .quotaExceeded("credential 'assetsync' has 30 event registrations, the most one credential may have; delete one first", request: nil)
        })
        #expect(try await provider.integration(named: "assetsync")?.registrations.count == 30)
        try provider.close()
    }

    @Test func threadsAndTasksShareTheLog() async throws {
        let provider = try LocalProvider.open(path: path)
        let engine = provider.engine
        // Server-style callers: blocking calls from plain threads.
        let threads = Task.detached {
            DispatchQueue.concurrentPerform(iterations: 4) { thread in
                for index in 0..<25 {
                    _ = try? Fixtures.integration(engine, Fixtures.apiKeyRequest("thread\(thread)n\(index)"))
                }
            }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<4 {
                group.addTask {
                    for index in 0..<25 { _ = try await provider.createIntegration(Fixtures.attributes("task\(task)n\(index)")) }
                }
            }
            try await group.waitForAll()
        }
        await threads.value
        let statistics = engine.storageStatistics
        #expect(statistics.operations == 200)
        #expect(statistics.syncs + statistics.compactions <= 200 && statistics.syncs > 0)
        let listed = try await provider.listIntegrations()
        #expect(listed.count == 200)
        #expect(try await LocalProvider.open(path: path, readOnly: true).listIntegrations() == listed)
        try provider.close()
    }
}

