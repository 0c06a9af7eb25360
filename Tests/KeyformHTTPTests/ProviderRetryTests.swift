import Foundation
import KeyformCore
import Testing
@testable import KeyformHTTP

/// Retries of requests safe to repeat, and never a blind second POST: lookups and adoption.
@Suite struct ProviderRetryTests {
    static let attributes = IntegrationAttributes(
        name: "stocksearchweb", title: "Stock Search Web", description: "Stock search.", type: .apiKey, allowedDomains: ["www.example.com"])
    static let firstPage = ("GET /console/organizations/1234/projects?page=1&size=100", [ScriptedTransport.Answer.json("[]")])
    static let createProject = "POST /console/organizations/1234/projects"
    static let titled = "GET /console/organizations/1234/projects?title=Stock%20Search%20Web"
    static let createCredential = "POST \(Fixture.workspacePath)/credentials/adobeId"
    static let created = ScriptedTransport.Answer.json(201, #"{"projectId":"p1","projectType":"jaeger","workspaceId":"w1"}"#)
    static let credentialCreated = ScriptedTransport.Answer.json(#"[{"id":"c1","apiKey":"ak-1","orgId":"1234"}]"#)
    static let servicesKey = "GET /console/organizations/1234/services"
    static let noProviders = ("GET /events/1234/providers?eventmetadata=true", [ScriptedTransport.Answer.json(#"{"_embedded":{"providers":[]}}"#)])
    static let expected = IntegrationRecord(id: Fixture.id, apiKey: "ak-1", attributes: attributes)

    @Test func aGetAnswered503IsRetriedAfterABackoff() async throws {
        let transport = ScriptedTransport([
            Fixture.organizations, Self.noProviders,
            (Self.servicesKey, [.status(503, headers: ["x-request-id": "r-1"]), .json("[]")]),
        ])
        let sleeps = SleepLog()
        let catalog = try await Fixture.provider(transport, sleeps: sleeps).catalog()
        #expect(catalog.services == [])
        #expect(await transport.requests(Self.servicesKey).count == 2)
        #expect(await sleeps.delays == [0.375])
    }

    /// The provider retries by itself, so apply does not retry its calls again (two levels of
    /// ten attempts each held a step for minutes against a console that kept failing).
    @Test func theProviderSaysItRetriesSoApplyDoesNotRetryAgain() async throws {
        let transport = ScriptedTransport([Fixture.organizations])
        #expect(try Fixture.provider(transport, sleeps: SleepLog()).handlesTransientFailures)
    }

    @Test func aGetThatKeepsFailingStopsAfterTheLastAttemptNamingTheRequest() async throws {
        let transport = ScriptedTransport([
            Fixture.organizations, Self.noProviders,
            (Self.servicesKey, [.status(502, headers: ["X-Request-Id": "r-last"], body: #"{"message":"upstream down"}"#)]),
        ])
        let sleeps = SleepLog()
        let error = await #expect(throws: ConsoleError.self) { try await Fixture.provider(transport, sleeps: sleeps).catalog() }
        #expect(error == .unavailable("upstream down", request: .init(method: "GET", path: "/console/organizations/1234/services", status: 502, requestId: "r-last")))
        #expect(await transport.requests(Self.servicesKey).count == 4)
        #expect(await sleeps.delays == [0.375, 0.75, 1.5])
    }

    /// Nothing listening at the console's address: three tries (two waits), then
    /// the error (the whole policy was some 20 s of silence first).
    @Test func aRefusedConnectionIsTriedThreeTimesOnly() async throws {
        let transport = ScriptedTransport([
            Fixture.organizations, Self.noProviders,
            (Self.servicesKey, [.failure(.cannotConnect(reason: "connection refused (URLError -1004)"))]),
        ])
        let sleeps = SleepLog()
        let error = await #expect(throws: ConsoleError.self) { try await Fixture.provider(transport, sleeps: sleeps).catalog() }
        #expect(error == .unavailable(
            "cannot connect: connection refused (URLError -1004)",
            request: .init(method: "GET", path: "/console/organizations/1234/services")))
        #expect(await transport.requests(Self.servicesKey).count == 3)
        #expect(await sleeps.delays == [0.375, 0.75])
    }

    /// No answer within the timeout: three tries too (ten, each the whole timeout, were five
    /// minutes of silence).
    @Test func aTimeoutIsTriedThreeTimesOnly() async throws {
        let transport = ScriptedTransport([
            Fixture.organizations, Self.noProviders, (Self.servicesKey, [.failure(.timedOut(after: 30))]),
        ])
        let sleeps = SleepLog()
        let error = await #expect(throws: ConsoleError.self) { try await Fixture.provider(transport, sleeps: sleeps).catalog() }
        #expect(error == .unavailable("no answer within 30 s", request: .init(method: "GET", path: "/console/organizations/1234/services")))
        #expect(await transport.requests(Self.servicesKey).count == 3)
    }

    /// An answer larger than the transport reads is not asked for again: the same flood would
    /// come back.
    @Test func anAnswerTooLargeIsNotRetried() async throws {
        let transport = ScriptedTransport([
            Fixture.organizations, Self.noProviders, (Self.servicesKey, [.failure(.tooLarge(limit: 32 << 20))]),
        ])
        let error = await #expect(throws: ConsoleError.self) { try await Fixture.provider(transport).catalog() }
        #expect(error == .badResponse(
            "the answer is larger than 32 MiB, more than any console answer",
            request: .init(method: "GET", path: "/console/organizations/1234/services")))
        #expect(await transport.requests(Self.servicesKey).count == 1)
    }

    @Test func aDroppedConnectionOnAGetIsRetried() async throws {
        let transport = ScriptedTransport([
            Fixture.organizations, Self.noProviders,
            (Self.servicesKey, [.failure(.connectionLost(reason: "the connection closed (URLError -1005)")), .json("[]")]),
        ])
        _ = try await Fixture.provider(transport).catalog()
        #expect(await transport.requests(Self.servicesKey).count == 2)
    }

    @Test func a429WaitsAsLongAsRetryAfterSays() async throws {
        let transport = ScriptedTransport([
            Fixture.organizations, Self.noProviders,
            (Self.servicesKey, [.status(429, headers: ["Retry-After": "7"]), .json("[]")]),
        ])
        let sleeps = SleepLog()
        _ = try await Fixture.provider(transport, sleeps: sleeps).catalog()
        #expect(await sleeps.delays == [7])
    }

    @Test func aPutIsRetriedButA500OnItIsNot() async throws {
        let key = "PUT \(Fixture.workspacePath)/credentials/adobeid/c1/services"
        let credentials = ("GET \(Fixture.workspacePath)/credentials", [ScriptedTransport.Answer.json(
            #"[{"id_workspace":"w1","id_integration":"c1","flow_type":"adobeid","credential_type":"apikey"}]"#)])
        let transport = ScriptedTransport([Fixture.organizations, credentials, (key, [.status(504), .json(#"{"sdkList":[]}"#), .status(500)])])
        let provider = try Fixture.provider(transport)
        try await provider.setServices(Fixture.id, to: ["StockSDK"])
        #expect(await transport.requests(key).count == 2)
        await #expect(throws: ConsoleError.unavailable("", request: .init(method: "PUT", path: String(key.dropFirst(4)), status: 500))) {
            try await provider.setServices(Fixture.id, to: ["StockSDK"])
        }
        #expect(await transport.requests(key).count == 3)
    }

    @Test func aCreatePostAnswered503IsNotResentWhenTheLookupFindsTheProject() async throws {
        let transport = ScriptedTransport([
            Fixture.organizations, Self.firstPage,
            (Self.createProject, [.status(503)]),
            (Self.titled, [.json(#"[{"id":"p1","name":"stocksearchweb","title":"Stock Search Web","description":"Stock search."}]"#)]),
            ("GET /console/organizations/1234/projects/p1/workspaces", [.json(#"[{"id":"w1","name":"Production"}]"#)]),
            ("GET \(Fixture.workspacePath)/credentials", [.json("[]")]),
            (Self.createCredential, [Self.credentialCreated]),
        ])
        let sleeps = SleepLog()
        let record = try await Fixture.provider(transport, sleeps: sleeps).createIntegration(Self.attributes)
        #expect(record == Self.expected)
        #expect(await transport.requests(Self.createProject).count == 1)
        #expect(await sleeps.delays == [])
        #expect(await transport.unscripted == [])
    }

    @Test func aTimedOutCreatePostIsResentOnlyAfterTheLookupFindsNothing() async throws {
        let transport = ScriptedTransport([
            Fixture.organizations, Self.firstPage,
            (Self.createProject, [.failure(.timedOut(after: 5)), Self.created]),
            (Self.titled, [.json("[]")]),
            (Self.createCredential, [Self.credentialCreated]),
        ])
        let sleeps = SleepLog()
        #expect(try await Fixture.provider(transport, sleeps: sleeps).createIntegration(Self.attributes) == Self.expected)
        #expect(await transport.keys == [
            "GET /console/organizations", Self.firstPage.0, Self.createProject, Self.titled, Self.createProject, Self.createCredential,
        ])
        #expect(await sleeps.delays == [0.375])
    }

    @Test func aCreatePostAnswered500IsNeverResent() async throws {
        let transport = ScriptedTransport([
            Fixture.organizations, Self.firstPage,
            (Self.createProject, [.status(500, headers: ["x-request-id": "boom"])]),
            (Self.titled, [.json("[]")]),
        ])
        let error = await #expect(throws: ConsoleError.self) { try await Fixture.provider(transport).createIntegration(Self.attributes) }
        #expect(error == .unavailable("", request: .init(method: "POST", path: "/console/organizations/1234/projects", status: 500, requestId: "boom")))
        #expect(await transport.requests(Self.createProject).count == 1)
    }

    @Test func aCreatePostAnswered429IsResentAfterTheWaitWithoutALookup() async throws {
        let transport = ScriptedTransport([
            Fixture.organizations, Self.firstPage,
            (Self.createProject, [.status(429, headers: ["Retry-After": "2"]), Self.created]),
            (Self.createCredential, [Self.credentialCreated]),
        ])
        let sleeps = SleepLog()
        #expect(try await Fixture.provider(transport, sleeps: sleeps).createIntegration(Self.attributes) == Self.expected)
        #expect(await transport.requests(Self.titled).isEmpty)
        #expect(await sleeps.delays == [2])
    }

    @Test func aProjectNameTakenIsAdoptedAndBroughtToTheAttributes() async throws {
        let holder = #"[{"id":"p1","name":"stocksearchweb","title":"Old Title","description":"Stock search.","metadata":{"workspaces":[{"id":"w1","name":"Production"}]}}]"#
        let transport = ScriptedTransport([
            Fixture.organizations,
            ("GET /console/organizations/1234/projects?page=1&size=100", [.json("[]"), .json(holder)]),
            (Self.createProject, [.status(409, body: #"{"message":"Project name already exists"}"#)]),
            ("PATCH \(Fixture.projectPath)", [.status(200)]),
            ("GET \(Fixture.workspacePath)/credentials", [.json(#"[{"id_workspace":"w1","id_integration":"c1","flow_type":"adobeid","credential_type":"apikey"}]"#)]),
            ("GET /console/organizations/1234/integrations/c1", [.json(#"{"id":"c1","apikey":"ak-1","domain":"www.example.com","sdkList":["StockSDK"]}"#)]),
            ("GET \(Fixture.registrationsPath)", [.json(#"{"_embedded":{"registrations":[]}}"#)]),
        ])
        let record = try await Fixture.provider(transport).createIntegration(Self.attributes)
        #expect(record == IntegrationRecord(id: Fixture.id, apiKey: "ak-1", attributes: Self.attributes, services: ["StockSDK"]))
        #expect(await transport.requests("PATCH \(Fixture.projectPath)").map(\.bodyText) == [
            #"{"name":"stocksearchweb","title":"Stock Search Web","description":"Stock search."}"#,
        ])
        #expect(await transport.requests(Self.createProject).count == 1)
        #expect(await transport.requests(Self.createCredential).isEmpty)
    }

    @Test func anAmbiguousCredentialPostAdoptsTheCredentialFound() async throws {
        let transport = ScriptedTransport([
            Fixture.organizations, Self.firstPage,
            (Self.createProject, [Self.created]),
            (Self.createCredential, [.failure(.connectionLost(reason: "reset"))]),
            ("GET \(Fixture.workspacePath)/credentials", [.json(#"[{"id_workspace":"w1","id_integration":"c1","flow_type":"adobeid","credential_type":"apikey"}]"#)]),
            ("GET /console/organizations/1234/integrations/c1", [.json(#"{"id":"c1","apikey":"ak-1"}"#)]),
        ])
        #expect(try await Fixture.provider(transport).createIntegration(Self.attributes) == Self.expected)
        #expect(await transport.requests(Self.createCredential).count == 1)
    }

    static let registrationsKey = "POST \(Fixture.registrationsPath)"
    static let apiKeyRead = ("GET /console/organizations/1234/integrations/c1", [ScriptedTransport.Answer.json(#"{"id":"c1","apikey":"ak-1"}"#)])

    @Test(arguments: [false, true])
    func aRegistrationNameTakenAdoptsTheConflictingIdAndReplacesItWhenItDiffers(differs: Bool) async throws {
        var existing = Fixture.assetSync
        if differs { existing.webhookUrl = "https://old.example.com/hook" }
        let transport = ScriptedTransport([
            Fixture.organizations, Self.apiKeyRead,
            (Self.registrationsKey, [.status(409, headers: ["x-conflicting-id": "r7"], body: #"{"message":"name taken"}"#)]),
            ("GET \(Fixture.registrationsPath)/r7", [.json(Fixture.registrationJSON(id: "r7", spec: existing))]),
            ("PUT \(Fixture.registrationsPath)/r7", [.json(Fixture.registrationJSON(id: "r7", spec: Fixture.assetSync))]),
        ])
        let record = try await Fixture.provider(transport).createRegistration(Fixture.id, Fixture.assetSync)
        #expect(record == RegistrationRecord(id: "r7", spec: Fixture.assetSync))
        #expect(await transport.requests(Self.registrationsKey).count == 1)
        #expect(await transport.requests("PUT \(Fixture.registrationsPath)/r7").count == (differs ? 1 : 0))
    }

    @Test func aRegistration409WithoutConflictingIdForAQuotaIsQuotaExceeded() async throws {
        let transport = ScriptedTransport([
            Fixture.organizations, Self.apiKeyRead,
            (Self.registrationsKey, [.status(409, headers: ["x-request-id": "q-1"], body: #"{"message":"Registration quota exceeded for client id"}"#)]),
        ])
        let error = await #expect(throws: ConsoleError.self) { try await Fixture.provider(transport).createRegistration(Fixture.id, Fixture.assetSync) }
        #expect(error == .quotaExceeded(
            "Registration quota exceeded for client id",
            request: .init(method: "POST", path: Fixture.registrationsPath, status: 409, requestId: "q-1")))
    }

    @Test func anAmbiguousRegistrationPostAdoptsTheRegistrationOfThatName() async throws {
        let transport = ScriptedTransport([
            Fixture.organizations, Self.apiKeyRead,
            (Self.registrationsKey, [.status(504)]),
            ("GET \(Fixture.registrationsPath)", [.json(#"{"_embedded":{"registrations":[\#(Fixture.registrationJSON(id: "r3", spec: Fixture.assetSync))]}}"#)]),
        ])
        let sleeps = SleepLog()
        let record = try await Fixture.provider(transport, sleeps: sleeps).createRegistration(Fixture.id, Fixture.assetSync)
        #expect(record == RegistrationRecord(id: "r3", spec: Fixture.assetSync))
        #expect(await transport.requests(Self.registrationsKey).count == 1)
        #expect(await sleeps.delays == [])
    }
}
