import Foundation
import KeyformConsole
import KeyformCore
@testable import KeyformHTTP
import KeyformHTTPServer
import Testing

/// Through injected faults — 20% of requests answered 503 before anything is done, 5% whose
/// answer is lost after the work was done, and a rate limit in bursts of 8 — creating 100 integrations
/// through the `http` provider converges to exactly 100: retries repeat what is safe, and a
/// POST is never repeated before the console was asked.
@Suite struct EmulatorConvergenceTests {
    static let count = 100

    @Test func oneHundredIntegrationsThroughFaultsMakeExactlyOneHundred() async throws {
        let engine = EmulatorFixture.engine(quotas: ConsoleQuotas(registrationsPerCredential: 30, registrationsPerOrganization: 10_000))
        let emulator = try EmulatorFixture.emulator(engine, .init(failRate: 0.2, lostAnswerRate: 0.05, rateLimit: 200, rateLimitBurst: 4, seed: 20))
        let served = try ServedEmulator.start(emulator)
        let retries = RetryPolicy(maxAttempts: 12, baseDelay: 0.005, maxDelay: 0.02)
        let hook = EventRegistrationSpec(name: "hook", provider: "aem", eventCodes: ["asset_published"], webhookUrl: "https://hooks.example.com/aem")

        var remaining = Set(0..<Self.count)
        var rounds = 0
        while !remaining.isEmpty, rounds < 4 {
            rounds += 1
            // A fresh provider per round, as a re-run of apply would have.
            let provider = try served.provider(retryPolicy: retries)
            let nodes = remaining.sorted().map { GraphRunner.Node(id: $0, dependsOn: []) }
            let outcomes = await GraphRunner.run(nodes, parallelism: 16) { n in
                let type: CredentialType = [.apiKey, .oauth, .serviceAccount][n % 3]
                let attributes = IntegrationAttributes(
                    name: "app\(n)", title: "App \(n)", description: "Integration \(n).", type: type,
                    allowedDomains: type == .apiKey ? ["app\(n).example.com"] : [],
                    redirectUris: type == .oauth ? ["https://app\(n).example.com/callback"] : [])
                var record = try await provider.integration(named: attributes.name)
                if record == nil { record = try await provider.createIntegration(attributes) }
                guard let record else { return }
                try await provider.setServices(record.id, to: type == .oauth ? ["CCStorageSdk"] : ["StockSDK"])
                if !record.registrations.contains(where: { $0.name == hook.name }) {
                    _ = try await provider.createRegistration(record.id, hook)
                }
            }
            for (n, outcome) in outcomes {
                if case .succeeded = outcome { remaining.remove(n) }
            }
        }
        #expect(remaining.isEmpty, "not converged after \(rounds) rounds: \(remaining.sorted())")

        let projects = try engine.projects(size: 1000).items
        #expect(projects.count == Self.count)
        #expect(Set(projects.map(\.name)) == Set((0..<Self.count).map { "app\($0)" }))
        let records = try await LocalProvider(engine: engine).listIntegrations()
        #expect(records.count == Self.count)
        #expect(records.allSatisfy { $0.registrations.map(\.name) == ["hook"] && $0.services.count == 1 })

        let faults = emulator.faultCounts
        #expect(faults.failed > 50, "\(faults)")
        #expect(faults.lostAnswers > 10, "\(faults)")
        #expect(faults.rateLimited > 0, "\(faults)")
        await served.stop()
    }
}
