import Foundation
import KeyformConsole
import KeyformCore
@testable import KeyformHTTP
import KeyformHTTPServer
import KeyformJSON
import KeyformTestSupport
import Testing

/// Every request the `http` provider makes goes to the emulator over loopback; the answers
/// are recorded and checked against Adobe's documents (`console-api.openapi.json`,
/// `events-api.swagger.yaml`) by `scripts/check_openapi_conformance.py`: documented status,
/// body valid against the response schema, no member the schema does not declare.
/// Needs Python 3 with `pip install openapi-schema-validator pyyaml`; without them that check is
/// skipped (as the other Python-backed checks are), and `.ci/run` installs them.
@Suite struct EmulatorConformanceTests {
    static let pythonHasOpenAPIValidator = Python.hasModule("openapi_schema_validator") && Python.hasModule("yaml")

    /// Every operation of the provider against a served emulator, each exchange recorded.
    static func recordEveryOperation() async throws -> [RecordingTransport.Exchange] {
        let engine = EmulatorFixture.engine()
        let served = try ServedEmulator.start(try EmulatorFixture.emulator(engine))
        let recorder = RecordingTransport(URLSessionTransport(timeout: 10, maxConnectionsPerHost: 8))
        let provider = try served.provider(transport: recorder, pageSize: 2)
        try await Self.exerciseEveryOperation(provider, served: served, recorder: recorder)
        await served.stop()
        return await recorder.exchanges
    }

    @Test func theExerciseMakesEveryRequestOfTheProvider() async throws {
        let exchanges = try await Self.recordEveryOperation()
        let requests = Set(exchanges.map { "\($0.request.method) \(Self.template($0.request.url.path))" })
        #expect(requests == Self.everyProviderRequest, "the provider's requests changed: update the exercise or the list")
    }

    @Test(.enabled(if: pythonHasOpenAPIValidator, "python3 with openapi-schema-validator and pyyaml is not available (pip install openapi-schema-validator pyyaml)"))
    func answersConformToAdobesDocuments() async throws {
        let exchanges = try await Self.recordEveryOperation()
        let directory = TestDirectory()
        defer { directory.remove() }
        for (index, exchange) in exchanges.enumerated() {
            let record = JSON.object([
                JSONMember("method", .string(exchange.request.method)),
                JSONMember("path", .string(exchange.request.url.path)),
                JSONMember("status", .number(exchange.response.status)),
                JSONMember("contentType", .string(exchange.response.header("content-type") ?? "")),
                JSONMember("body", .string(String(decoding: exchange.response.body, as: UTF8.self))),
            ])
            try record.canonicalText().write(toFile: directory.path + String(format: "/%04d.json", index), atomically: true, encoding: .utf8)
        }
        let adobe = TestPaths.sharedTestdata.appendingPathComponent("adobe")
        let (status, output) = try Python.run([
            TestPaths.packageRoot.appendingPathComponent("scripts/check_openapi_conformance.py").path,
            "--console-doc", adobe.appendingPathComponent("console-api.openapi.json").path,
            "--events-doc", adobe.appendingPathComponent("events-api.swagger.yaml").path,
            directory.path,
        ])
        #expect(status != 3 && status != 127, "Python cannot run the check: pip install openapi-schema-validator pyyaml\n\(output)")
        #expect(status == 0, "\(output)")
        #expect(output.contains("conformance: \(exchanges.count) exchanges checked, 0 failures"), "\(output)")
    }

    /// Catalog, paged listing, reads by name, the three credential types, updates and a
    /// rename, services, registrations with a name conflict, and deletes (twice, so that the
    /// 404s are seen too).
    static func exerciseEveryOperation(_ provider: HTTPProvider, served: ServedEmulator, recorder: RecordingTransport) async throws {
        _ = try await provider.catalog()
        #expect(try await provider.integration(named: "nothing") == nil)
        let web = try await provider.createIntegration(IntegrationAttributes(
            name: "web", title: "Web", description: "Web.", type: .apiKey, allowedDomains: ["www.example.com"]))
        let app = try await provider.createIntegration(IntegrationAttributes(
            name: "app", title: "App", description: "App.", type: .oauth, redirectUris: ["https://app.example.com/cb"]))
        let robot = try await provider.createIntegration(IntegrationAttributes(name: "robot", title: "Robot", description: "Robot.", type: .serviceAccount))
        try await provider.setServices(web.id, to: ["StockSDK"])
        try await provider.setServices(app.id, to: ["CCStorageSdk"])
        try await provider.setServices(robot.id, to: ["UserMgmtSDK"])
        let spec = EventRegistrationSpec(name: "hook", provider: "ccstorage", eventCodes: ["asset_created"], webhookUrl: "https://h.example.com/a")
        let registration = try await provider.createRegistration(web.id, spec)
        var changed = spec
        changed.eventCodes = ["asset_deleted"]
        try await provider.updateRegistration(web.id, registrationId: registration.id, to: changed)
        try await provider.updateIntegration(app.id, to: IntegrationAttributes(
            name: "app2", title: "App Two", description: "Renamed.", type: .oauth, redirectUris: ["https://app.example.com/cb2"]))
        try await provider.updateIntegration(robot.id, to: IntegrationAttributes(name: "robot", title: "Robot Two", description: "R.", type: .serviceAccount))

        // Another provider, whose first requests differ: a registration conflict (409 with
        // x-conflicting-id, then a read and a replace) and a project create meeting a taken name.
        let other = try served.provider(transport: recorder)
        _ = try await other.createRegistration(web.id, spec)
        #expect(try await other.integration(named: "late") == nil)
        _ = try await provider.createIntegration(IntegrationAttributes(name: "late", title: "Late", description: "", type: .apiKey))
        _ = try await other.createIntegration(IntegrationAttributes(name: "late", title: "Late", description: "", type: .apiKey))
        #expect(try await other.integration(named: "web")?.registrations.map(\.name) == ["hook"])

        _ = try await provider.listIntegrations()
        let fresh = try served.provider(transport: recorder)
        _ = try await fresh.createRegistration(web.id, EventRegistrationSpec(name: "second", provider: "aem", eventCodes: ["asset_published"], webhookUrl: "https://h.example.com/b"))
        for _ in 0..<2 {
            try await provider.deleteRegistration(web.id, registrationId: registration.id)
            try await provider.deleteIntegration(app.id)
        }
    }

    /// The provider's requests, as method and path template (`docs/console-api-mapping.md`).
    static let everyProviderRequest: Set<String> = [
        "GET /console/organizations",
        "GET /console/organizations/{id}/services",
        "GET /events/{id}/providers",
        "GET /console/organizations/{id}/projects",
        "POST /console/organizations/{id}/projects",
        "GET /console/organizations/{id}/projects/{id}",
        "PATCH /console/organizations/{id}/projects/{id}",
        "DELETE /console/organizations/{id}/projects/{id}",
        "GET /console/organizations/{id}/projects/{id}/workspaces/{id}/credentials",
        "POST /console/organizations/{id}/projects/{id}/workspaces/{id}/credentials/adobeId",
        "POST /console/organizations/{id}/projects/{id}/workspaces/{id}/credentials/oauth-server-to-server",
        "PUT /console/organizations/{id}/projects/{id}/workspaces/{id}/credentials/adobeid/{id}/services",
        "PUT /console/organizations/{id}/projects/{id}/workspaces/{id}/credentials/entp/{id}/services",
        "DELETE /console/organizations/{id}/projects/{id}/workspaces/{id}/credentials/{id}",
        "GET /console/organizations/{id}/integrations/{id}",
        "PUT /console/organizations/{id}/integrations/adobeid/{id}",
        "GET /events/{id}/{id}/{id}/registrations",
        "POST /events/{id}/{id}/{id}/registrations",
        "GET /events/{id}/{id}/{id}/registrations/{id}",
        "PUT /events/{id}/{id}/{id}/registrations/{id}",
        "DELETE /events/{id}/{id}/{id}/registrations/{id}",
    ]

    /// A path with its ids replaced by `{id}`: every segment that is not one of the APIs' words.
    static func template(_ path: String) -> String {
        let words: Set<Substring> = [
            "console", "organizations", "projects", "workspaces", "credentials", "adobeId", "oauth-server-to-server", "adobeid",
            "entp", "services", "integrations", "events", "providers", "registrations",
        ]
        return "/" + path.split(separator: "/").map { words.contains($0) ? String($0) : "{id}" }.joined(separator: "/")
    }
}
