import Foundation
import KeyformCore
import KeyformTestSupport
import Testing
@testable import KeyformHTTP

/// What goes wrong: status mapping, answers that cannot be read, secrets kept out, and the
/// one-line messages a person reads.
@Suite struct ProviderErrorTests {
    static let servicesPath = "/console/organizations/1234/services"
    static let noProviders = ("GET /events/1234/providers?eventmetadata=true", [ScriptedTransport.Answer.json(#"{"_embedded":{"providers":[]}}"#)])

    /// The error `catalog()` throws when the services list is answered with `answer`.
    static func catalogError(_ answer: ScriptedTransport.Answer) async throws -> ConsoleError? {
        let transport = ScriptedTransport([Fixture.organizations, noProviders, ("GET \(servicesPath)", [answer])])
        let provider = try Fixture.provider(transport, retryPolicy: .none)
        return await #expect(throws: ConsoleError.self) { try await provider.catalog() }
    }

    static func info(_ status: Int?, _ requestId: String? = nil) -> ConsoleError.RequestInfo {
        .init(method: "GET", path: servicesPath, status: status, requestId: requestId)
    }

    static let statusCases: [(ScriptedTransport.Answer, ConsoleError)] = [
        (.status(400, body: #"{"message":"size must be a positive integer"}"#), .invalid("size must be a positive integer", request: info(400))),
        (.status(401, headers: ["x-request-id": "a1"], body: #"{"title":"ErrInvalidOauthToken","status":401,"error_code":401013}"#),
         .unauthorized("ErrInvalidOauthToken", request: info(401, "a1"))),
        (.status(403), .unauthorized("the token may not do this in the organization", request: info(403))),
        (.status(403, body: #"{"message":"ERR_MSG_QUOTA_EXCEEDED"}"#), .quotaExceeded("ERR_MSG_QUOTA_EXCEEDED", request: info(403))),
        (.status(404), .notFound(what: "organization 1234", request: info(404))),
        (.status(409, headers: ["x-conflicting-id": "x9"]), .conflict(what: "organization 1234", existingId: "x9", request: info(409))),
        (.status(422, body: #"{"detail":"line one\nline two"}"#), .invalid("line one line two", request: info(422))),
        (.status(429, headers: ["Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"]), .rateLimited(retryAfter: nil, request: info(429))),
        // Delta-seconds are digits only: anything else falls back to the backoff.
        (.status(429, headers: ["Retry-After": "0x10"]), .rateLimited(retryAfter: nil, request: info(429))),
        (.status(429, headers: ["Retry-After": "-5"]), .rateLimited(retryAfter: nil, request: info(429))),
        (.status(429, headers: ["Retry-After": "99999999999999999999"]), .rateLimited(retryAfter: 1e20, request: info(429))),
        (.status(500, body: "<html>oops</html>"), .unavailable("", request: info(500))),
        (.status(302, headers: ["Location": "https://elsewhere.example.com/path?token=x"]),
         .badResponse(
            "a redirect to https://elsewhere.example.com, which is not followed so that the token stays with the console; check the console URL",
            request: info(302))),
        (.status(307, headers: ["Location": "/v2/services"]),
         .badResponse("a redirect, which is not followed so that the token stays with the console; check the console URL", request: info(307))),
        // A web page where the console's JSON was expected: named by its type.
        (.status(200, headers: ["Content-Type": "text/html; charset=utf-8"], body: "<html><body>Sign in</body></html>"),
         .badResponse("the answer is text/html, not JSON: is the console URL the console's API, with no proxy page in between?", request: info(200))),
        (.failure(.cannotConnect(reason: "connection refused (URLError -1004)")),
         .unavailable("cannot connect: connection refused (URLError -1004)", request: info(nil))),
    ]

    @Test(arguments: statusCases)
    func answersMapToTypedErrors(answer: ScriptedTransport.Answer, expected: ConsoleError) async throws {
        #expect(try await Self.catalogError(answer) == expected)
    }

    @Test func aBodyThatIsNotJSONIsABadResponseWithTheRequestId() async throws {
        let error = try #require(try await Self.catalogError(.json("[{\"code\": oops", headers: ["x-request-id": "bad-json-7"])))
        guard case .badResponse(let message, let request) = error else {
            Issue.record("expected badResponse, got \(error)")
            return
        }
        #expect(message.hasPrefix("the answer is not JSON ("))
        #expect(request == Self.info(200, "bad-json-7"))
        #expect(error.userMessage.hasPrefix("GET /console/organizations/1234/services failed: 200 OK: the answer is not JSON ("))
        #expect(error.userMessage.hasSuffix(
            " (x-request-id bad-json-7); the console answered in an unexpected shape; if this persists, report it with the x-request-id"))
    }

    @Test func aMissingFieldIsABadResponseNamingIt() async throws {
        #expect(try await Self.catalogError(.json(#"[{"name":"Adobe Stock","type":"adobeid"}]"#))
            == .badResponse("the answer has no string `[0].code`", request: Self.info(200)))
        let transport = ScriptedTransport([
            Fixture.organizations,
            ("GET \(Fixture.registrationsPath)", [.json(#"{"_embedded":{"registrations":[{"name":"x","events_of_interest":[]}]}}"#)]),
        ])
        let provider = try Fixture.provider(transport)
        let org = try await provider.organization()
        await #expect(throws: ConsoleError.badResponse(
            "the answer has no string `_embedded.registrations[0].registration_id`",
            request: .init(method: "GET", path: Fixture.registrationsPath, status: 200))) {
            try await provider.registrations(org: org, id: Fixture.id)
        }
    }

    @Test func aCreateAnswerWithoutTheNewIdIsLookedUpThenReported() async throws {
        let transport = ScriptedTransport([
            Fixture.organizations,
            ("GET /console/organizations/1234/projects?page=1&size=100", [.json("[]")]),
            ("POST /console/organizations/1234/projects", [.json(201, #"{"projectType":"jaeger"}"#, headers: ["x-request-id": "np"])]),
            ("GET /console/organizations/1234/projects?title=Some%20App", [.json("[]")]),
        ])
        let attributes = IntegrationAttributes(name: "someapp", title: "Some App", description: "d", type: .serviceAccount)
        await #expect(throws: ConsoleError.badResponse(
            "the answer has no string `projectId`",
            request: .init(method: "POST", path: "/console/organizations/1234/projects", status: 201, requestId: "np"))) {
            try await Fixture.provider(transport).createIntegration(attributes)
        }
        #expect(await transport.requests("POST /console/organizations/1234/projects").count == 1)
    }

    @Test func theTokenAndApiKeyNeverAppearInErrors() async throws {
        let echo = #"{"message":"token \#(Fixture.token) is not valid for client \#(Fixture.apiKey)"}"#
        let error = try #require(try await Self.catalogError(.status(401, headers: ["x-request-id": "s1"], body: echo)))
        #expect(error == .unauthorized("token <redacted> is not valid for client <redacted>", request: Self.info(401, "s1")))
        for text in [String(describing: error), String(reflecting: error), error.userMessage, error.localizedDescription] {
            #expect(!text.contains(Fixture.token))
            #expect(!text.contains(Fixture.apiKey))
        }
        let transportFailure = try #require(try await Self.catalogError(.failure(.timedOut(after: 5))))
        #expect(!String(describing: transportFailure).contains(Fixture.token))
        // Echoed in the x-request-id, which every message quotes: redacted there too.
        let echoedId = try #require(try await Self.catalogError(.status(401, headers: ["x-request-id": "req-\(Fixture.token)"])))
        #expect(echoedId.requestInfo?.requestId == "req-<redacted>")
        #expect(!echoedId.userMessage.contains(Fixture.token))
    }

    /// What the console says (its message, ids, headers) cannot colour, break or reorder the
    /// line: control characters and bidirectional overrides are shown as escapes.
    @Test func aConsoleMessageIsShownEscaped() async throws {
        let body = #"{"message":"evil \u001b[31mred\u001b[0m \u202e txt"}"#
        let error = try #require(try await Self.catalogError(.status(400, headers: ["x-request-id": "r\u{7}1"], body: body)))
        #expect(error.userMessage == #"GET /console/organizations/1234/services failed: 400 Bad Request: evil \u001b[31mred\u001b[0m \u202e txt"#
            + #" (x-request-id r\u00071); check the values in the manifest against the console's rules"#)
    }

    /// `Retry-After: 99999999999999999999` was read as 1e20 seconds, and writing the message
    /// trapped converting it to an `Int`.
    @Test func aHugeRetryAfterIsShownNotTrappedOn() {
        let error = ConsoleError.rateLimited(retryAfter: 1e20, request: Self.info(429))
        #expect(error.userMessage == "GET /console/organizations/1234/services failed: 429 Too Many Requests: retry after 1e+20 s; lower --parallelism or try again later")
    }

    /// A 404 on the organizations list: no console at the URL, not something deleted.
    @Test func a404OnTheOrganizationsListSaysToCheckTheConsoleURL() async throws {
        let transport = ScriptedTransport([("GET /console/organizations", [.status(404, body: "<html>Not Found</html>")])])
        let error = await #expect(throws: ConsoleError.self) { try await Fixture.provider(transport).catalog() }
        #expect(error?.userMessage == "GET /console/organizations failed: 404 Not Found: the Console API (no organizations list at the console URL) not found; "
            + "check the console URL (`--console`, or `consoleUrl` in keyform.json): it is the console's base address, such as https://developers.adobe.io")
    }

    @Test func theConfigurationNeverShowsItsCredentials() throws {
        let configuration = try Fixture.configuration()
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in [String(describing: configuration), String(reflecting: configuration), dumped] {
            #expect(!text.contains(Fixture.token))
            #expect(!text.contains(Fixture.apiKey))
            #expect(text.contains("<redacted>"))
        }
    }

    /// The one-line messages, for every kind of error (golden file).
    @Test func userMessages() {
        let post = ConsoleError.RequestInfo(method: "POST", path: "/console/organizations/123/projects", status: 503, requestId: "abc123")
        let errors: [ConsoleError] = [
            .unavailable("", request: post),
            .unavailable("cannot connect: connection refused (URLError -1004)", request: .init(method: "GET", path: "/console/organizations")),
            .rateLimited(retryAfter: 7, request: .init(method: "GET", path: "/console/organizations/123/projects", status: 429, requestId: "rl")),
            .rateLimited(retryAfter: nil, request: nil),
            .unauthorized("ErrInvalidOauthToken", request: .init(method: "GET", path: "/console/organizations", status: 401, requestId: "u1")),
            .notFound(what: "project 42", request: .init(method: "GET", path: "/console/organizations/123/projects/42", status: 404)),
            .notFound(what: "credential c9", request: nil),
            .conflict(what: "registration asset-sync", existingId: "r7", request: .init(method: "POST", path: "/events/123/p/w/registrations", status: 409)),
            .quotaExceeded("Registration quota exceeded", request: .init(method: "POST", path: "/events/123/p/w/registrations", status: 409, requestId: "q")),
            .invalid("title must be 3 to 45 characters", request: .init(method: "PATCH", path: "/console/organizations/123/projects/42", status: 400)),
            .badResponse("the answer has no string `projectId`", request: .init(method: "POST", path: "/console/organizations/123/projects", status: 201, requestId: "np")),
            .notEntitled(service: "CampaignSDK", request: nil),
            .unsupportedCredentialType(service: "PhotoshopSDK", type: .apiKey, supported: [.serviceAccount, .oauth], request: nil),
        ]
        let text = errors.map(\.userMessage).joined(separator: "\n") + "\n"
        #expect(errors[0].userMessage
            == "POST /console/organizations/123/projects failed: 503 Service Unavailable (x-request-id abc123); the console may be down, try again")
        if let problem = Golden.check(text, against: "provider/console-error-messages.txt") { Issue.record(Comment(rawValue: problem)) }
    }
}

/// Making a configuration: every refusal names what to fix and never quotes a credential.
@Suite struct ProviderConfigurationTests {
    static let console = URL(string: "http://127.0.0.1:8080")!

    @Test func aMissingTokenNamesTheVariable() {
        #expect(throws: HTTPProviderConfigurationError.missingEnvironmentVariable("KEYFORM_ACCESS_TOKEN")) {
            try HTTPProvider.Configuration.fromEnvironment(["KEYFORM_API_KEY": "k"], host: .custom(Self.console), org: "1")
        }
        #expect(throws: HTTPProviderConfigurationError.missingEnvironmentVariable("KEYFORM_API_KEY")) {
            try HTTPProvider.Configuration.fromEnvironment(["KEYFORM_ACCESS_TOKEN": "t", "KEYFORM_API_KEY": "  "], host: .production, org: "1")
        }
        #expect(HTTPProviderConfigurationError.missingEnvironmentVariable("KEYFORM_ACCESS_TOKEN").description
            == "KEYFORM_ACCESS_TOKEN is not set; export it before running Keyform with the http console (an IMS access token for the organization)")
    }

    @Test func aTokenThatCannotBeAHeaderIsRefusedWithoutQuotingIt() {
        let error = #expect(throws: HTTPProviderConfigurationError.self) {
            try HTTPProvider.Configuration.fromEnvironment(
                ["KEYFORM_ACCESS_TOKEN": "abc\r\nX-Injected: 1", "KEYFORM_API_KEY": "k"], host: .stage, org: "ACME@AdobeOrg")
        }
        #expect(error == .invalidCredential(source: "KEYFORM_ACCESS_TOKEN"))
        #expect(error.map { !$0.description.contains("Injected") } == true)
    }

    @Test func hostsAndOrganizations() throws {
        let stage = try HTTPProvider.Configuration.fromEnvironment(
            ["KEYFORM_ACCESS_TOKEN": " t \n", "KEYFORM_API_KEY": "k"], host: ConsoleHost("stage")!, org: "ACME@AdobeOrg")
        #expect(stage.consoleURL.absoluteString == "https://developers-stage.adobe.io")
        #expect(stage.eventsURL.absoluteString == "https://api-stage.adobe.io")
        #expect(stage.accessToken == "t")
        #expect(ConsoleHost("prod") == .production)
        #expect(ConsoleHost.production.consoleURL.absoluteString == "https://developers.adobe.io")
        #expect(ConsoleHost.production.eventsURL.absoluteString == "https://api.adobe.io")
        #expect(ConsoleHost("http://127.0.0.1:9000")?.eventsURL.absoluteString == "http://127.0.0.1:9000")
        #expect(throws: HTTPProviderConfigurationError.invalidOrganization("acme")) {
            try HTTPProvider.Configuration.fromEnvironment(["KEYFORM_ACCESS_TOKEN": "t", "KEYFORM_API_KEY": "k"], host: .production, org: "acme")
        }
        #expect(throws: HTTPProviderConfigurationError.invalidURL(field: "consoleUrl", value: "ftp://x")) {
            try HTTPProvider.Configuration(
                consoleURL: URL(string: "ftp://x")!, eventsURL: Self.console, org: "1", accessToken: "t", apiKey: "k")
        }
        #expect(throws: HTTPProviderConfigurationError.invalidNumber(field: "pageSize", value: 0)) {
            try HTTPProvider.Configuration(consoleURL: Self.console, eventsURL: Self.console, org: "1", accessToken: "t", apiKey: "k", pageSize: 0)
        }
    }
}
