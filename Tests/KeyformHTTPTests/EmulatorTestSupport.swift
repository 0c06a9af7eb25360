import Foundation
import Testing
import KeyformConsole
import KeyformCore
@testable import KeyformHTTP
import KeyformHTTPServer
import KeyformJSON

/// Building blocks of the emulator tests: engines with repeatable ids, requests with the
/// headers a client sends, and an emulator served on a loopback port.
enum EmulatorFixture {
    static let token = "emulator-test-TOKEN-42"
    static let apiKey = "emulator-test-key"
    static let host = "127.0.0.1:4010"

    /// A console in memory whose ids follow `seed`.
    static func engine(quotas: ConsoleQuotas = .console, seed: UInt64 = 1) -> ConsoleEngine {
        ConsoleEngine(quotas: quotas, randomSource: SeededGenerator(seed: seed))
    }

    static func emulator(_ engine: ConsoleEngine = engine(), _ configuration: ConsoleEmulator.Configuration = .init(seed: 1)) throws -> ConsoleEmulator {
        try ConsoleEmulator(engine: engine, configuration: configuration)
    }

    /// The headers every client sends: a bearer token, an API key, the host.
    static let headers: HTTPHeaders = ["Authorization": "Bearer \(token)", "x-api-key": apiKey, "Host": host]

    static func request(_ method: String, _ target: String, _ body: String? = nil, headers: HTTPHeaders = headers) throws -> HTTPRequest {
        var all = headers
        if body != nil { all.add("Content-Type", "application/json") }
        return try HTTPRequest(method: method, target: target, headers: all, body: body.map { Array($0.utf8) } ?? [])
    }
}

extension ConsoleEmulator {
    /// Sends one request to the handler, as the server would.
    func send(_ method: String, _ target: String, _ body: String? = nil, headers: HTTPHeaders = EmulatorFixture.headers) async throws -> HTTPResponse {
        await handle(try EmulatorFixture.request(method, target, body, headers: headers))
    }

    /// `/console/organizations/{org}`.
    var orgPath: String { "/console/organizations/\(organizationId)" }

    /// Creates a project and its credential through the API; `(project, workspace, credential, apiKey)`.
    func makeIntegration(
        _ name: String, platform: String = "apiKey"
    ) async throws -> (project: String, workspace: String, credential: String, apiKey: String) {
        let created = try await send("POST", orgPath + "/projects", #"{"name":"\#(name)","title":"Title \#(name)","description":"d","type":"jaeger"}"#)
        let project = try #require(created.json["projectId"]?.stringValue)
        let workspace = try #require(created.json["workspaceId"]?.stringValue)
        let body = platform == "apiKey"
            ? #"{"name":"\#(name)","description":"d","platform":"apiKey","domain":"www.example.com"}"#
            : #"{"name":"\#(name)","description":"d","platform":"WebApp","redirectUriList":["https://app.example.com/cb"],"defaultRedirectUri":"https://app.example.com/cb"}"#
        let credential = try await send("POST", orgPath + "/projects/\(project)/workspaces/\(workspace)/credentials/adobeId", body)
        let first = try #require(credential.json.arrayValue?.first)
        return (project, workspace, try #require(first["id"]?.stringValue), try #require(first["apiKey"]?.stringValue))
    }
}

extension HTTPResponse {
    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as JSON (`null` when it is not JSON).
    var json: JSON { (try? JSON.parse(body, allowDuplicateKeys: true)) ?? .null }
}

/// An emulator served by `HTTPServer` on a free loopback port, with an `http` provider
/// pointed at it.
struct ServedEmulator: Sendable {
    let emulator: ConsoleEmulator
    let server: HTTPServer
    let port: Int

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    static func start(_ emulator: ConsoleEmulator) throws -> ServedEmulator {
        let server = HTTPServer(configuration: .init(port: 0), handler: emulator.handle)
        return ServedEmulator(emulator: emulator, server: server, port: try server.start())
    }

    func provider(
        transport: (any HTTPTransport)? = nil, pageSize: Int = 100, retryPolicy: RetryPolicy = RetryPolicy(maxAttempts: 4, baseDelay: 0.01, maxDelay: 0.1),
        org: String? = nil
    ) throws -> HTTPProvider {
        let configuration = try HTTPProvider.Configuration(
            consoleURL: baseURL, eventsURL: baseURL, org: org ?? emulator.organizationCode, accessToken: EmulatorFixture.token,
            apiKey: EmulatorFixture.apiKey, timeout: 10, retryPolicy: retryPolicy, pageSize: pageSize, readConcurrency: 4)
        return HTTPProvider(configuration: configuration, transport: transport ?? URLSessionTransport(timeout: 10, maxConnectionsPerHost: 16))
    }

    func stop() async {
        server.shutdown()
        await server.wait()
        emulator.close()
    }
}

/// An `HTTPTransport` that records every exchange (for the conformance check).
actor RecordingTransport: HTTPTransport {
    struct Exchange: Sendable {
        var request: HTTPTransportRequest
        var response: HTTPTransportResponse
    }

    private let inner: any HTTPTransport
    private(set) var exchanges: [Exchange] = []

    init(_ inner: any HTTPTransport) {
        self.inner = inner
    }

    func send(_ request: HTTPTransportRequest) async throws -> HTTPTransportResponse {
        let response = try await inner.send(request)
        exchanges.append(Exchange(request: request, response: response))
        return response
    }
}

/// Lines collected from several threads.
final class LineLog: @unchecked Sendable {
    // @unchecked: `stored` is only touched under `lock`.
    private let lock = NSLock()
    private var stored: [String] = []

    func append(_ line: String) { lock.withLock { stored.append(line) } }
    var lines: [String] { lock.withLock { stored } }
}
