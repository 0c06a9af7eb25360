import Dispatch
import Foundation
import KeyformConsole
import KeyformCore
import KeyformHTTP
import KeyformHTTPServer

/// `keyform-bench serve`: the console emulator (`keyform console serve`'s handler, in process,
/// over a console file in a temporary directory) behind `HTTPServer` on loopback.
///
/// 1. With 20 ms latency: 300 integrations (project, credential, services, one registration)
///    created through the `http` provider (`URLSession`) by 16 concurrent tasks, against the
///    ideal requests × 20 ms ÷ 16.
/// 2. Without latency: keep-alive `GET /console/organizations` per second from a small
///    blocking client (1, 4 and 16 connections), then from `wrk` when it is on PATH.
enum ServeBenchmark {
    static let count = 300
    static let latency = 0.020
    static let parallelism = 16
    static let token = "bench-token"
    static let apiKey = "bench-key"

    static func run() throws {
        try HTTPProviderBenchmark.blocking { try await applyAtLatency() }
        try simpleGets()
    }

    private static func applyAtLatency() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keyform-bench-serve-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let engine = try ConsoleEngine.open(path: directory.appendingPathComponent("console.json").path)
        let emulator = try ConsoleEmulator(engine: engine, configuration: .init(latency: .milliseconds(Int(latency * 1000)), engineThreads: 32))
        let server = HTTPServer(configuration: .init(port: 0), handler: emulator.handle)
        let port = try server.start()
        let base = URL(string: "http://127.0.0.1:\(port)")!
        let transport = CountingTransport(URLSessionTransport(timeout: 30, maxConnectionsPerHost: parallelism))
        let provider = HTTPProvider(configuration: try HTTPProvider.Configuration(
            consoleURL: base, eventsURL: base, org: emulator.organizationCode, accessToken: token, apiKey: apiKey, readConcurrency: parallelism),
            transport: transport)
        let hook = EventRegistrationSpec(name: "hook", provider: "aem", eventCodes: ["asset_published"], webhookUrl: "https://hooks.example.com/aem")

        let cpuBefore = cpuSeconds()
        let start = DispatchTime.now()
        let nodes = (0..<count).map { GraphRunner.Node(id: $0, dependsOn: []) }
        let outcomes = await GraphRunner.run(nodes, parallelism: parallelism) { n in
            let type: CredentialType = [.apiKey, .oauth, .serviceAccount][n % 3]
            let record = try await provider.createIntegration(IntegrationAttributes(
                name: "app\(n)", title: "App \(n)", description: "Benchmark integration \(n).", type: type,
                allowedDomains: type == .apiKey ? ["app\(n).example.com"] : [],
                redirectUris: type == .oauth ? ["https://app\(n).example.com/callback"] : []))
            try await provider.setServices(record.id, to: type == .oauth ? ["CCStorageSdk"] : ["StockSDK"])
            _ = try await provider.createRegistration(record.id, hook)
        }
        let seconds = HTTPProviderBenchmark.seconds(since: start)
        let cpu = cpuSeconds() - cpuBefore
        for (n, outcome) in outcomes {
            if case .failed(let error) = outcome { throw ServeBenchmarkFailure(description: "app\(n): \(error)") }
        }
        let requests = await transport.count
        HTTPProviderBenchmark.report("apply \(count) through the emulator at 20 ms", requests: requests, seconds: seconds, parallelism: parallelism)
        print(String(format: "  CPU (client and server in this process): %.2f s on 2 cores; engine: %@", cpu, "\(engine.storageStatistics)"))
        let listed = try await LocalProvider(engine: engine).listIntegrations()
        print("  console holds \(listed.count) integrations, \(listed.reduce(0) { $0 + $1.registrations.count }) registrations")

        server.shutdown()
        await server.wait()
        emulator.close()
        try engine.close()
    }

    private static func simpleGets() throws {
        let emulator = try ConsoleEmulator(engine: ConsoleEngine())
        let server = HTTPServer(configuration: .init(port: 0, maxConnections: 4096), handler: emulator.handle)
        let port = try server.start()
        defer {
            server.shutdown()
            let done = DispatchSemaphore(value: 0)
            Task {
                await server.wait()
                done.signal()
            }
            done.wait()
        }
        let request = Array("GET /console/organizations HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\nx-api-key: \(apiKey)\r\n\r\n".utf8)
        for connections in [1, 4, 16] {
            let (count, seconds, failures) = keepAliveGets(port: port, request: request, connections: connections, for: 3)
            print("keep-alive client: \(connections) connection(s), \(count) GET /console/organizations in \(String(format: "%.2f", seconds)) s = \(Int(Double(count) / seconds)) GETs/s, \(failures) failures")
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        if let wrk = path.split(separator: ":").map({ "\($0)/wrk" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: wrk)
            process.arguments = ["-t2", "-c16", "-d5s", "-H", "Authorization: Bearer \(token)", "-H", "x-api-key: \(apiKey)",
                                 "http://127.0.0.1:\(port)/console/organizations"]
            print("$ wrk -t2 -c16 -d5s -H 'Authorization: Bearer …' -H 'x-api-key: …' http://127.0.0.1:PORT/console/organizations")
            fflush(nil)
            try process.run()
            process.waitUntilExit()
        } else {
            print("wrk not found on PATH; install it (apt-get install -y wrk) for the wrk figure")
        }
    }

    /// User and system CPU time of this process so far.
    private static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// `connections` client threads, each sending `request` on one keep-alive connection.
    private static func keepAliveGets(port: Int, request: [UInt8], connections: Int, for duration: Double) -> (Int, Double, Int) {
        let group = DispatchGroup()
        let totals = ServeBenchTotals()
        let start = Date()
        let deadline = start.addingTimeInterval(duration)
        for _ in 0..<connections {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                guard let client = BenchClient(port: port) else { return totals.add(0, failed: true) }
                defer { client.close() }
                var count = 0
                while Date() < deadline {
                    guard client.send(request), client.readResponse() == 200 else { return totals.add(count, failed: true) }
                    count += 1
                }
                totals.add(count, failed: false)
            }
        }
        group.wait()
        let (count, failures) = totals.values
        return (count, Date().timeIntervalSince(start), failures)
    }
}

/// Counts the requests a provider sends.
private actor CountingTransport: HTTPTransport {
    private let inner: any HTTPTransport
    private(set) var count = 0

    init(_ inner: any HTTPTransport) {
        self.inner = inner
    }

    func send(_ request: HTTPTransportRequest) async throws -> HTTPTransportResponse {
        count += 1
        return try await inner.send(request)
    }
}

/// Totals from the client threads.
private final class ServeBenchTotals: @unchecked Sendable {
    // @unchecked: `count` and `failures` are only touched under `lock`.
    private let lock = NSLock()
    private var count = 0
    private var failures = 0

    func add(_ count: Int, failed: Bool) {
        lock.withLock {
            self.count += count
            if failed { failures += 1 }
        }
    }

    var values: (Int, Int) { lock.withLock { (count, failures) } }
}

private struct ServeBenchmarkFailure: Error, CustomStringConvertible {
    var description: String
}
