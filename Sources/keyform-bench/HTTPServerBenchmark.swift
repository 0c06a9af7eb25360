import Foundation
import Glibc
import KeyformHTTPServer

/// `keyform-bench httpserver`: simple keep-alive GETs per second against an in-process
/// `HTTPServer` on loopback, from a small blocking client (one thread per connection), then
/// from `wrk` when it is on PATH. With `KEYFORM_BENCH_HTTP_SERVE=SECONDS` it only serves
/// `GET /health` for that long, for running `wrk` by hand.
enum HTTPServerBenchmark {
    static let requestSeconds = 3.0

    static func run() throws {
        let body = Array(#"{"status":"ok"}"#.utf8)
        let server = HTTPServer(configuration: .init(maxConnections: 4096)) { request in
            request.path == "/health" ? .json(body: body) : .text(status: 404, "not found\n")
        }
        let port = try server.start()
        defer { stop(server) }
        let environment = ProcessInfo.processInfo.environment
        if let text = environment["KEYFORM_BENCH_HTTP_SERVE"], let seconds = Double(text) {
            let line = "serving http://127.0.0.1:\(port)/health for \(text) s; try: wrk -t2 -c16 -d10s http://127.0.0.1:\(port)/health\n"
            FileHandle.standardOutput.write(Data(line.utf8))
            Thread.sleep(forTimeInterval: seconds)
            return
        }
        for connections in [1, 4, 16] {
            let (count, seconds, failures) = measure(port: port, connections: connections)
            let rate = Double(count) / seconds
            print("in-process client: \(connections) keep-alive connection(s), \(count) GETs in \(String(format: "%.2f", seconds)) s = \(Int(rate)) GETs/s, \(failures) failures")
        }
        if let wrk = findExecutable("wrk") {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: wrk)
            process.arguments = ["-t2", "-c16", "-d5s", "http://127.0.0.1:\(port)/health"]
            print("$ wrk -t2 -c16 -d5s http://127.0.0.1:PORT/health")
            fflush(nil)
            try process.run()
            process.waitUntilExit()
        } else {
            print("wrk not found on PATH; install it (apt-get install -y wrk) for the wrk figure")
        }
    }

    /// Runs `connections` client threads for `requestSeconds`.
    private static func measure(port: Int, connections: Int) -> (count: Int, seconds: Double, failures: Int) {
        let group = DispatchGroup()
        let results = LockedCounts()
        let start = Date()
        let deadline = start.addingTimeInterval(requestSeconds)
        for _ in 0..<connections {
            group.enter()
            let thread = Thread {
                let (count, failed) = clientLoop(port: port, until: deadline)
                results.add(count: count, failed: failed)
                group.leave()
            }
            thread.start()
        }
        group.wait()
        let (count, failures) = results.totals
        return (count, Date().timeIntervalSince(start), failures)
    }

    /// GETs `/health` on one keep-alive connection until `deadline`.
    private static func clientLoop(port: Int, until deadline: Date) -> (count: Int, failed: Bool) {
        guard let client = BenchClient(port: port) else { return (0, true) }
        defer { client.close() }
        let request = Array("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        var count = 0
        while Date() < deadline {
            for _ in 0..<100 {
                guard client.send(request), client.readResponse() == 200 else { return (count, true) }
                count += 1
            }
        }
        return (count, false)
    }

    private static func stop(_ server: HTTPServer) {
        server.shutdown()
        let done = DispatchSemaphore(value: 0)
        Task {
            await server.wait()
            done.signal()
        }
        done.wait()
    }

    private static func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// Totals from the client threads.
private final class LockedCounts: @unchecked Sendable {
    // @unchecked: `count` and `failures` are only touched under `lock`.
    private let lock = NSLock()
    private var count = 0
    private var failures = 0

    func add(count: Int, failed: Bool) {
        lock.withLock {
            self.count += count
            if failed { failures += 1 }
        }
    }

    var totals: (Int, Int) { lock.withLock { (count, failures) } }
}
