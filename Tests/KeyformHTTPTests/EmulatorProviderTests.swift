import Foundation
import KeyformConsole
import KeyformCore
@testable import KeyformHTTP
import KeyformHTTPServer
import Testing

/// The `http` provider against the emulator over real loopback sockets: every operation, and
/// what it leaves in the console compared with what the `local` provider reads from the
/// same engine.
@Suite struct EmulatorProviderTests {
    static let assetSync = EventRegistrationSpec(
        name: "asset-sync", provider: "ccstorage", eventCodes: ["asset_created", "asset_deleted"], webhookUrl: "https://hooks.example.com/assets")

    @Test func everyOperationAgreesWithTheEngine() async throws {
        let engine = EmulatorFixture.engine()
        let served = try ServedEmulator.start(try EmulatorFixture.emulator(engine))
        let provider = try served.provider(pageSize: 2)
        let local = LocalProvider(engine: engine)

        let catalog = try await provider.catalog()
        let expected = try engine.catalog()
        #expect(catalog.services.map(\.code) == expected.services.map(\.code))
        #expect(catalog.services.map(\.isEntitled) == expected.services.map(\.isEntitled))
        #expect(catalog.eventProviders.map(\.id) == expected.eventProviders.map(\.id))
        #expect(catalog.eventProviders.map(\.eventCodes) == expected.eventProviders.map { $0.eventCodes.sorted() })

        let web = try await provider.createIntegration(IntegrationAttributes(
            name: "stockweb", title: "Stock Web", description: "Stock search.", type: .apiKey, allowedDomains: ["a.example.com", "www.example.com"]))
        let app = try await provider.createIntegration(IntegrationAttributes(
            name: "stockapp", title: "Stock App", description: "Sign in.", type: .oauth, redirectUris: ["https://app.example.com/callback"]))
        let robot = try await provider.createIntegration(IntegrationAttributes(
            name: "robot", title: "Robot", description: "Nightly sync.", type: .serviceAccount))
        #expect(web.apiKey.count == 32 && app.apiKey.count == 32 && robot.apiKey.count == 32)
        #expect(try await provider.listIntegrations() == local.listIntegrations())

        try await provider.setServices(web.id, to: ["ViewSDK", "StockSDK", "ViewSDK"])
        try await provider.setServices(app.id, to: ["CCStorageSdk"])
        try await provider.setServices(robot.id, to: ["UserMgmtSDK", "StockSDK"])
        let registration = try await provider.createRegistration(web.id, Self.assetSync)
        var changed = Self.assetSync
        changed.eventCodes = ["asset_updated"]
        changed.webhookUrl = "https://hooks.example.com/v2"
        try await provider.updateRegistration(web.id, registrationId: registration.id, to: changed)
        _ = try await provider.createRegistration(robot.id, EventRegistrationSpec(
            name: "published", provider: "aem", eventCodes: ["asset_published"], webhookUrl: "https://hooks.example.com/aem"))

        try await provider.updateIntegration(web.id, to: IntegrationAttributes(
            name: "stockweb", title: "Stock Web Two", description: "Changed.", type: .apiKey, allowedDomains: ["b.example.com"]))
        try await provider.updateIntegration(app.id, to: IntegrationAttributes(
            name: "stockapp2", title: "Stock App", description: "Renamed.", type: .oauth,
            redirectUris: ["https://app.example.com/a", "https://app.example.com/b"]))
        try await provider.updateIntegration(robot.id, to: IntegrationAttributes(
            name: "robot", title: "Robot Two", description: "Nightly sync.", type: .serviceAccount))

        let listed = try await provider.listIntegrations()
        #expect(listed == (try await local.listIntegrations()))
        #expect(listed.map(\.name) == ["robot", "stockapp2", "stockweb"])
        #expect(listed.map(\.services) == [["StockSDK", "UserMgmtSDK"], ["CCStorageSdk"], ["StockSDK", "ViewSDK"]])
        #expect(listed[2].attributes.allowedDomains == ["b.example.com"])
        #expect(listed[1].attributes.redirectUris == ["https://app.example.com/a", "https://app.example.com/b"])
        #expect(listed[2].registrations == [RegistrationRecord(id: registration.id, spec: changed)])

        #expect(try await provider.integration(named: "stockapp2")?.id == app.id)
        #expect(try await provider.integration(named: "stockapp") == nil)
        let fresh = try served.provider(pageSize: 1)
        #expect(try await fresh.integration(named: "robot") == listed[0])
        #expect(try await fresh.listIntegrations() == listed)

        try await provider.deleteRegistration(web.id, registrationId: registration.id)
        try await provider.deleteRegistration(web.id, registrationId: registration.id)
        try await provider.deleteIntegration(web.id)
        try await provider.deleteIntegration(web.id)
        #expect(try await provider.listIntegrations().map(\.name) == ["robot", "stockapp2"])
        #expect(try engine.projects().items.map(\.name) == ["robot", "stockapp2"])
        await served.stop()
    }

    @Test func createsAdoptWhatTheConsoleAlreadyHolds() async throws {
        let engine = EmulatorFixture.engine()
        let served = try ServedEmulator.start(try EmulatorFixture.emulator(engine))
        let first = try served.provider()
        let second = try served.provider()
        // `first` builds its name index now, before `second` creates the name: its create
        // then meets a 409 and adopts the holder.
        #expect(try await first.integration(named: "shared") == nil)
        let made = try await second.createIntegration(IntegrationAttributes(name: "shared", title: "Shared", description: "One.", type: .apiKey))
        let adopted = try await first.createIntegration(IntegrationAttributes(name: "shared", title: "Shared Two", description: "Two.", type: .apiKey))
        #expect(adopted.id == made.id)
        #expect(try engine.projects().items.map(\.title) == ["Shared Two"])

        // A registration name taken in the workspace: 409 with x-conflicting-id, adopted and replaced.
        let registration = try await first.createRegistration(made.id, Self.assetSync)
        var changed = Self.assetSync
        changed.eventCodes = ["asset_deleted"]
        let again = try await second.createRegistration(made.id, changed)
        #expect(again.id == registration.id)
        #expect(try engine.registrations(projectId: made.id.projectId, workspaceId: made.id.workspaceId).map(\.eventCodes) == [["asset_deleted"]])
        await served.stop()
    }

    @Test func refusalsBecomeProviderErrorsNamingTheRequest() async throws {
        let engine = EmulatorFixture.engine(quotas: ConsoleQuotas(registrationsPerCredential: 1))
        let served = try ServedEmulator.start(try EmulatorFixture.emulator(engine, .init(requiredToken: EmulatorFixture.token)))
        let provider = try served.provider()
        let made = try await provider.createIntegration(IntegrationAttributes(name: "limited", title: "Limited", description: "", type: .apiKey))
        _ = try await provider.createRegistration(made.id, Self.assetSync)
        var second = Self.assetSync
        second.name = "second"
        await #expect {
            try await provider.createRegistration(made.id, second)
        } throws: { error in
            guard case ConsoleError.quotaExceeded(let message, let request?) = error else { return false }
            return message.hasPrefix("quota exceeded: credential 'limited' has 1 event registrations") && request.status == 403
                && request.method == "POST" && request.requestId?.isEmpty == false
        }
        await #expect {
            try await provider.setServices(made.id, to: ["UserMgmtSDK"])
        } throws: { error in
            guard case ConsoleError.invalid(let message, let request?) = error else { return false }
            return message == "service UserMgmtSDK does not support apiKey credentials (it supports serviceAccount)" && request.status == 400
        }

        let stranger = try HTTPProvider(configuration: HTTPProvider.Configuration(
            consoleURL: served.baseURL, eventsURL: served.baseURL, org: served.emulator.organizationId, accessToken: "someone-else",
            apiKey: "key", retryPolicy: .none))
        await #expect {
            try await stranger.listIntegrations()
        } throws: { error in
            guard case ConsoleError.unauthorized(let message, let request?) = error else { return false }
            return message == "ErrInvalidOauthToken" && request.status == 401 && request.path == "/console/organizations"
        }
        await served.stop()
    }
}
