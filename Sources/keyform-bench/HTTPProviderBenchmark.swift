import Dispatch
import Foundation
import KeyformCore
import KeyformHTTP

/// The `http` provider's request economy at a fixed console latency: applying N integrations
/// (project, credential, services, one registration each) with 16 in parallel, then listing
/// them back with the provider's read concurrency; compared with the ideal
/// (requests × latency ÷ parallelism). The console is a canned in-memory transport that waits
/// `latency` before every answer, so the figures are the provider's, not a server's.
enum HTTPProviderBenchmark {
    static let count = 300
    static let latency = 0.020
    static let parallelism = 16

    static func run() throws {
        try blocking {
            let transport = CannedConsole(latency: latency, projects: count)
            let configuration = try HTTPProvider.Configuration(
                consoleURL: CannedConsole.base, eventsURL: CannedConsole.base, org: "1",
                accessToken: "bench-token", apiKey: "bench-key", readConcurrency: 16)
            let provider = HTTPProvider(configuration: configuration, transport: transport)
            let registration = EventRegistrationSpec(name: "hook", provider: "ccstorage", eventCodes: ["asset_created"], webhookUrl: "https://h.example.com/x")

            let start = DispatchTime.now()
            let nodes = (0..<count).map { GraphRunner.Node(id: $0, dependsOn: []) }
            let outcomes = await GraphRunner.run(nodes, parallelism: parallelism) { n in
                let record = try await provider.createIntegration(IntegrationAttributes(
                    name: "app\(n)", title: "App \(n)", description: "Benchmark integration \(n).", type: .serviceAccount))
                try await provider.setServices(record.id, to: ["UserMgmtSDK"])
                _ = try await provider.createRegistration(record.id, registration)
            }
            let applySeconds = seconds(since: start)
            for (n, outcome) in outcomes {
                if case .failed(let error) = outcome { throw BenchmarkFailure(message: "app\(n): \(error)") }
            }
            let applyRequests = await transport.requestCount
            report("apply \(count)", requests: applyRequests, seconds: applySeconds, parallelism: parallelism)

            await transport.switchToListing()
            let listStart = DispatchTime.now()
            let records = try await provider.listIntegrations()
            let listSeconds = seconds(since: listStart)
            let listRequests = await transport.requestCount - applyRequests
            report("list \(records.count)", requests: listRequests, seconds: listSeconds, parallelism: configuration.readConcurrency)
        }
    }

    static func report(_ what: String, requests: Int, seconds: Double, parallelism: Int) {
        let ideal = Double(requests) * latency / Double(parallelism)
        print(String(format: "%@: %d requests in %.2f s; ideal %.2f s (requests × %.0f ms ÷ %d); ratio %.2f",
                     what, requests, seconds, ideal, latency * 1000, parallelism, seconds / ideal))
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }

    /// Runs async work from the synchronous benchmark entry point.
    static func blocking(_ body: @escaping @Sendable () async throws -> Void) throws {
        let done = DispatchSemaphore(value: 0)
        let failure = FailureBox()
        Task {
            do { try await body() } catch { failure.set(error) }
            done.signal()
        }
        done.wait()
        if let error = failure.get() { throw error }
    }
}

/// Holds a benchmark's error across the semaphore.
private final class FailureBox: @unchecked Sendable {
    // `@unchecked Sendable`: `error` is only touched under `lock`.
    private let lock = NSLock()
    private var error: (any Error)?
    func set(_ error: any Error) { lock.withLock { self.error = error } }
    func get() -> (any Error)? { lock.withLock { error } }
}

private struct BenchmarkFailure: Error {
    var message: String
}

/// Canned answers for the requests the benchmark makes, each after `latency`.
private actor CannedConsole: HTTPTransport {
    static let base = URL(string: "http://console.bench") ?? URL(fileURLWithPath: "/")
    let latency: Double
    let projects: Int
    private(set) var requestCount = 0
    private var nextId = 0
    private var listing = false

    init(latency: Double, projects: Int) {
        self.latency = latency
        self.projects = projects
    }

    func switchToListing() { listing = true }

    func send(_ request: HTTPTransportRequest) async throws -> HTTPTransportResponse {
        requestCount += 1
        nextId += 1
        let id = nextId
        let path = request.url.path
        let answer = answer(request.method, path, query: request.url.query ?? "", id: id)
        try await Task.sleep(nanoseconds: UInt64(latency * 1e9))
        return answer
    }

    private func answer(_ method: String, _ path: String, query: String, id: Int) -> HTTPTransportResponse {
        let parts = path.split(separator: "/").map(String.init)
        switch (method, parts.last ?? "") {
        case ("GET", "organizations"): return json(#"[{"id":"1","code":"BENCH@AdobeOrg"}]"#)
        case ("GET", "projects"):
            guard listing, query.contains("page=1&") else { return json("[]") }
            let items = (0..<projects).map { n in
                #"{"id":"p\#(n)","name":"app\#(n)","title":"App \#(n)","description":"d","metadata":{"workspaces":[{"id":"w\#(n)","name":"Production"}]}}"#
            }
            return json("[" + items.joined(separator: ",") + "]")
        case ("POST", "projects"): return json(#"{"projectId":"p\#(id)","workspaceId":"w\#(id)"}"#, status: 201)
        case ("POST", "oauth-server-to-server"): return json(#"{"id":"c\#(id)","apiKey":"ak\#(id)"}"#)
        case ("PUT", "services"): return json(#"{"sdkList":["UserMgmtSDK"]}"#)
        case ("POST", "registrations"): return json(#"{"registration_id":"r\#(id)","name":"hook"}"#, status: 201)
        case ("GET", "credentials"):
            return json(#"[{"id_workspace":"w","id_integration":"c-\#(parts[4])","flow_type":"entp","credential_type":"oauth_server_to_server"}]"#)
        case ("GET", "registrations"):
            return json(#"{"_embedded":{"registrations":[{"registration_id":"r1","name":"hook","webhook_url":"https://h.example.com/x","events_of_interest":[{"provider_id":"ccstorage","event_code":"asset_created"}]}]}}"#)
        default:
            if method == "GET", parts.count == 5, parts[3] == "integrations" {
                return json(#"{"id":"\#(parts[4])","apikey":"ak","sdkList":["UserMgmtSDK"]}"#)
            }
            return json(#"{"message":"not canned: \#(method) \#(path)"}"#, status: 404)
        }
    }

    private func json(_ text: String, status: Int = 200) -> HTTPTransportResponse {
        HTTPTransportResponse(status: status, text: text)
    }
}
