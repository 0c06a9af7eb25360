import Foundation
import KeyformCore

/// The pure part of `plan` for 10,000 integrations: diff and plan against a matching state
/// (the `plan --no-refresh` hot path), the same with a refresh, and a plan of 10,000 creates
/// (`plan`); rendering, writing and reading that plan (`plan-render`).
enum PlanBenchmark {
    static func run() throws {
        let count = 10_000
        let specs = (0..<count).map(spec)
        let records = specs.enumerated().map { record($0.element, $0.offset) }
        let header = PlanHeader(
            id: "bench", createdAt: "2025-01-01T00:00:00Z", stateLineage: "lineage", stateSerial: 1,
            stateDigest: String(repeating: "0", count: 64), catalogDigest: Catalog.default.digest)

        func plan(_ stored: [IntegrationRecord], _ console: [IntegrationRecord]?) -> Plan? {
            try? Planner.plan(desired: specs, stored: stored, console: console, allowDelete: false, header: header)
        }
        guard let unchanged = plan(records, nil), !unchanged.hasChanges, let creates = plan([], nil), creates.hasChanges else {
            throw BenchmarkFailed(reason: "unexpected plans")
        }
        print("integrations: \(count) (2 services and 1 registration each)")
        print(row("diff + plan, matching state, no refresh", best { _ = plan(records, nil) }))
        print(row("diff + plan, matching state, refreshed", best { _ = plan(records, records) }))
        print(row("diff + plan, \(creates.actions.count) actions (all new)", best { _ = plan([], nil) }))
        print(row("render text, no changes", best { _ = TextPlanRenderer().render(unchanged) }))
    }

    /// Rendering, writing and reading the plan of 10,000 new integrations.
    static func runRendering() throws {
        let count = 10_000
        let specs = (0..<count).map(spec)
        let header = PlanHeader(
            id: "bench", createdAt: "2025-01-01T00:00:00Z", stateLineage: nil, stateSerial: nil, stateDigest: nil,
            catalogDigest: Catalog.default.digest)
        let creates = try Planner.plan(desired: specs, stored: [], allowDelete: false, header: header)
        let text = TextPlanRenderer().render(creates)
        let file = PlanFile.encode(creates)
        print("integrations: \(count), \(creates.actions.count) actions")
        print(row("render text (\(text.utf8.count / 1000) kB)", best { _ = TextPlanRenderer().render(creates) }))
        print(row("render markdown", best { _ = MarkdownPlanRenderer().render(creates) }))
        print(row("encode plan file (\(file.utf8.count / 1000) kB)", best { _ = PlanFile.encode(creates) }))
        print(row("decode plan file", best { _ = try? PlanFile.decode(file) }))
        let bytes = Array(file.utf8)
        print(row("SHA-256 of the plan file (\(bytes.count / 1000) kB)", best { _ = SHA256.hex(bytes) }))
    }

    struct BenchmarkFailed: Error {
        var reason: String
    }

    static func spec(_ i: Int) -> IntegrationSpec {
        IntegrationSpec(
            name: "integration\(i)", title: "Integration \(i)", description: "Generated integration number \(i).",
            type: .oauth, redirectUris: ["https://app\(i).example.com/callback"], services: ["StockSDK", "CCStorageSdk"],
            events: [EventRegistrationSpec(
                name: "assets", provider: "ccstorage", eventCodes: ["asset_created", "asset_deleted"],
                webhookUrl: "https://hooks.example.com/\(i)")])
    }

    static func record(_ spec: IntegrationSpec, _ i: Int) -> IntegrationRecord {
        IntegrationRecord(
            id: IntegrationID(projectId: "p\(i)", workspaceId: "w\(i)", credentialId: "c\(i)"), apiKey: "key\(i)",
            attributes: spec.attributes, services: spec.services,
            registrations: spec.events.map { RegistrationRecord(id: "r\(i)", spec: $0) })
    }

    private static func row(_ name: String, _ seconds: Double) -> String {
        String(format: "%@: %.1f ms", name, seconds * 1000)
    }

    /// The fastest of five timings, in seconds.
    private static func best(_ body: () -> Void) -> Double {
        var fastest = Double.infinity
        for _ in 0..<5 {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            fastest = min(fastest, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return fastest
    }
}
