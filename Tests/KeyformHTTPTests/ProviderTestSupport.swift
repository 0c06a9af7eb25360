import Foundation
import KeyformCore
@testable import KeyformHTTP

/// A console that answers from a script: per "METHOD /path?query", a queue of answers (the
/// last one repeats). It records every request; an unscripted one gets a 418 and is noted.
actor ScriptedTransport: HTTPTransport {
    enum Answer: Sendable {
        case response(HTTPTransportResponse)
        case failure(HTTPTransportError)

        static func json(_ text: String, headers: [String: String] = [:]) -> Answer {
            json(200, text, headers: headers)
        }

        static func json(_ status: Int, _ text: String, headers: [String: String] = [:]) -> Answer {
            var all = ["Content-Type": "application/json"]
            for (name, value) in headers { all[name] = value }
            return .response(HTTPTransportResponse(status: status, headers: all, text: text))
        }

        static func status(_ status: Int, headers: [String: String] = [:], body: String = "") -> Answer {
            .response(HTTPTransportResponse(status: status, headers: headers, text: body))
        }
    }

    private var routes: [String: [Answer]]
    private(set) var requests: [HTTPTransportRequest] = []
    private(set) var unscripted: [String] = []

    init(_ script: [(String, [Answer])]) {
        var routes: [String: [Answer]] = [:]
        for (key, answers) in script { routes[key, default: []] += answers }
        self.routes = routes
    }

    func send(_ request: HTTPTransportRequest) async throws -> HTTPTransportResponse {
        requests.append(request)
        let key = Self.key(request)
        guard var queue = routes[key], let answer = queue.first else {
            unscripted.append(key)
            return HTTPTransportResponse(status: 418, text: #"{"message":"unscripted \#(key)"}"#)
        }
        if queue.count > 1 { queue.removeFirst() }
        routes[key] = queue
        switch answer {
        case .response(let response): return response
        case .failure(let error): throw error
        }
    }

    /// "METHOD /path?query" of a request.
    static func key(_ request: HTTPTransportRequest) -> String {
        let url = request.url
        var target = url.path
        if let query = url.query { target += "?" + query }
        return "\(request.method) \(target)"
    }

    /// The keys of the requests sent, in order.
    var keys: [String] { requests.map(Self.key) }

    /// The requests sent with this key.
    func requests(_ key: String) -> [HTTPTransportRequest] { requests.filter { Self.key($0) == key } }
}

/// Records the waits a provider asked for instead of waiting.
actor SleepLog {
    private(set) var delays: [Double] = []
    func record(_ seconds: Double) { delays.append(seconds) }
}

/// Fixed values shared by the provider tests.
enum Fixture {
    static let token = "tok-SECRET-eyJhbGciOi-123"
    static let apiKey = "keyform-cli-KEY-987"
    static let org = "1234"
    static let orgCode = "ACME0001@AdobeOrg"

    static let organizations: (String, [ScriptedTransport.Answer]) = (
        "GET /console/organizations",
        [.json(#"[{"id":"99","code":"OTHER@AdobeOrg","name":"Other"},{"id":"1234","code":"ACME0001@AdobeOrg","name":"Acme","type":"entp","role":"ADMIN"}]"#)]
    )

    static func configuration(
        retryPolicy: RetryPolicy = RetryPolicy(maxAttempts: 4, baseDelay: 0.5, maxDelay: 10), pageSize: Int = 100,
        org: String = orgCode
    ) throws -> HTTPProvider.Configuration {
        try HTTPProvider.Configuration(
            consoleURL: URL(string: "https://console.test")!, eventsURL: URL(string: "https://events.test/")!,
            org: org, accessToken: token, apiKey: apiKey, timeout: 5, retryPolicy: retryPolicy, pageSize: pageSize,
            readConcurrency: 3)
    }

    /// A provider over `transport` whose waits go to `sleeps` and whose jitter is always 0.5.
    static func provider(
        _ transport: ScriptedTransport, sleeps: SleepLog = SleepLog(), pageSize: Int = 100,
        retryPolicy: RetryPolicy = RetryPolicy(maxAttempts: 4, baseDelay: 0.5, maxDelay: 10)
    ) throws -> HTTPProvider {
        HTTPProvider(
            configuration: try configuration(retryPolicy: retryPolicy, pageSize: pageSize), transport: transport,
            sleep: { await sleeps.record($0) }, random: { 0.5 })
    }

    static let id = IntegrationID(projectId: "p1", workspaceId: "w1", credentialId: "c1")
    static let projectPath = "/console/organizations/1234/projects/p1"
    static let workspacePath = "/console/organizations/1234/projects/p1/workspaces/w1"
    static let registrationsPath = "/events/1234/p1/w1/registrations"

    static let assetSync = EventRegistrationSpec(
        name: "asset-sync", provider: "ccstorage", eventCodes: ["asset_deleted", "asset_created"],
        webhookUrl: "https://hooks.example.com/adobe/assets")

    /// A registration as the Events API returns it.
    static func registrationJSON(id: String, spec: EventRegistrationSpec) -> String {
        let interests = spec.eventCodes.map { #"{"provider_id":"\#(spec.provider)","event_code":"\#($0)"}"# }.joined(separator: ",")
        return #"{"id":7,"registration_id":"\#(id)","name":"\#(spec.name)","description":"","client_id":"ak-1","#
            + #""webhook_url":"\#(spec.webhookUrl)","delivery_type":"webhook","webhook_status":"verified","enabled":true,"#
            + #""events_of_interest":[\#(interests)]}"#
    }
}

extension HTTPTransportRequest {
    /// Whether the request carries the bearer token and API key the provider was given.
    var isAuthenticated: Bool {
        headers["Authorization"] == "Bearer \(Fixture.token)" && headers["x-api-key"] == Fixture.apiKey
    }
}
