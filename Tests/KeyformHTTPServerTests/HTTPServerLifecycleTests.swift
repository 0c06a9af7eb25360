import Foundation
import Glibc
import Testing
import KeyformHTTPServer

/// Many connections, connection limits, start errors and graceful shutdown.
@Suite struct HTTPServerLifecycleTests {
    static let host = "Host: 127.0.0.1\r\n"

    @Test func aHundredConcurrentConnectionsAreAllAnswered() async throws {
        try await withServer { _, port in
            let texts = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<100 {
                    group.addTask {
                        try await onThread {
                            let client = try RawHTTPClient(port: port)
                            try client.send("GET /slow?ms=100&i=\(index) HTTP/1.1\r\n\(Self.host)\r\n")
                            return try client.readResponse().text
                        }
                    }
                }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(texts == Set((0..<100).map { "GET /slow [ms=100&i=\($0)] " }))
        }
    }

    @Test func twoHundredIdleKeepAliveConnectionsDoNotStarveANewOne() async throws {
        try await withServer { _, port in
            let (idleStatuses, fresh) = try await onThread {
                var idle: [RawHTTPClient] = []
                var statuses = Set<Int>()
                for _ in 0..<200 {
                    let client = try RawHTTPClient(port: port)
                    try client.send("GET /hold HTTP/1.1\r\n\(Self.host)\r\n")
                    statuses.insert(try client.readResponse().status)
                    idle.append(client)
                }
                let fresh = try RawHTTPClient(port: port, timeout: 2)
                try fresh.send("GET /fresh HTTP/1.1\r\n\(Self.host)\r\n")
                let text = try fresh.readResponse().text
                withExtendedLifetime(idle) {}
                return (statuses, text)
            }
            #expect(idleStatuses == [200])
            #expect(fresh == "GET /fresh [] ")
        }
    }

    @Test func connectionsBeyondTheLimitGet503() async throws {
        try await withServer(.init(maxConnections: 2)) { _, port in
            let (first, refused) = try await onThread {
                let a = try RawHTTPClient(port: port)
                let b = try RawHTTPClient(port: port)
                try a.send("GET /a HTTP/1.1\r\n\(Self.host)\r\n")
                try b.send("GET /b HTTP/1.1\r\n\(Self.host)\r\n")
                let first = [try a.readResponse().status, try b.readResponse().status]
                let c = try RawHTTPClient(port: port)
                let refused = try c.readResponse()
                return (first, refused)
            }
            #expect(first == [200, 200])
            #expect(refused.status == 503)
            #expect(refused.headers["connection"] == "close")
            #expect(refused.headers["retry-after"] == "1")
            #expect(refused.headers["content-type"] == "application/json")
            #expect(refused.text
                == #"{"status":503,"error_code":"ERR_SERVICE_UNAVAILABLE","message":"the server has as many connections as it takes; try again shortly"}"#)
        }
    }

    /// A handler that records that it started, then sleeps `ms` (from the query) and echoes.
    private static func recordingHandler(_ started: Flag) -> HTTPServer.Handler {
        { request in
            if request.path == "/slow" { started.set() }
            return await echoHandler(request)
        }
    }

    @Test func gracefulShutdownFinishesInFlightRequestsAndClosesIdleOnes() async throws {
        let started = Flag()
        let server = HTTPServer(handler: Self.recordingHandler(started))
        let port = try server.start()
        #expect(server.port == port)
        async let slow = onThread { () throws -> RawHTTPClient.Response in
            let client = try RawHTTPClient(port: port)
            try client.send("GET /slow?ms=600 HTTP/1.1\r\n\(Self.host)\r\n")
            return try client.readResponse()
        }
        let idleClosed = try await onThread { () throws -> Bool in
            let idle = try RawHTTPClient(port: port, timeout: 3)
            try idle.send("GET / HTTP/1.1\r\n\(Self.host)\r\n")
            _ = try idle.readResponse()
            started.wait()
            server.shutdown()
            return idle.isClosedByServer()
        }
        #expect(idleClosed)
        let refused = try await onThread { () -> RawHTTPClient.ClientError? in
            do throws(RawHTTPClient.ClientError) {
                _ = try RawHTTPClient(port: port)
                return nil
            } catch {
                return error
            }
        }
        #expect(refused == .connectFailed(errno: ECONNREFUSED))
        let answer = try await slow
        #expect(answer.status == 200)
        #expect(answer.text == "GET /slow [ms=600] ")
        #expect(answer.headers["connection"] == "close")
        await server.wait()
        server.shutdown()
        await server.wait()
    }

    @Test func shutdownGivesUpAfterTheGracePeriod() async throws {
        let started = Flag()
        let server = HTTPServer(configuration: .init(shutdownGracePeriod: .milliseconds(200))) { _ in
            started.set()
            try? await Task.sleep(for: .seconds(3))
            return .text("late")
        }
        let port = try server.start()
        let outcome = try await onThread { () throws -> RawHTTPClient.ClientError? in
            let client = try RawHTTPClient(port: port, timeout: 2)
            try client.send("GET / HTTP/1.1\r\n\(Self.host)\r\n")
            started.wait()
            server.shutdown()
            do throws(RawHTTPClient.ClientError) {
                _ = try client.readResponse()
                return nil
            } catch {
                return error
            }
        }
        #expect(outcome == .closed(received: []))
        await server.wait()
    }

    @Test func aSignalShutsTheServerDown() async throws {
        let server = HTTPServer(handler: echoHandler)
        _ = try server.start()
        let received = SignalBox()
        let source = server.shutdownOnSignals([SIGUSR2]) { received.set($0) }
        // Dispatch arms the source asynchronously; until then the signal is ignored, so send
        // it until it is seen.
        for _ in 0..<250 where received.value == nil {
            kill(getpid(), SIGUSR2)
            try await Task.sleep(for: .milliseconds(20))
        }
        await server.wait()
        source.cancel()
        #expect(received.value == SIGUSR2)
    }

    @Test func startErrorsSayWhatToChange() throws {
        let first = HTTPServer(handler: echoHandler)
        let port = try first.start()
        defer { first.shutdown() }
        #expect(throws: HTTPServerError.alreadyStarted) { try first.start() }
        let taken = HTTPServer(configuration: .init(port: port), handler: echoHandler)
        #expect(throws: HTTPServerError.bindFailed(host: "127.0.0.1", port: port, errno: EADDRINUSE)) { try taken.start() }
        #expect(HTTPServerError.bindFailed(host: "127.0.0.1", port: port, errno: EADDRINUSE).description
            == "port \(port) on 127.0.0.1 is already in use; choose another port, or 0 for a free one")
        #expect(throws: HTTPServerError.invalidHost("example.com")) {
            try HTTPServer(configuration: .init(host: "example.com"), handler: echoHandler).start()
        }
        #expect(throws: HTTPServerError.invalidPort(70000)) {
            try HTTPServer(configuration: .init(port: 70000), handler: echoHandler).start()
        }
        // IPv6 loopback, where the machine has it.
        let v6 = HTTPServer(configuration: .init(host: "::1"), handler: echoHandler)
        do throws(HTTPServerError) {
            #expect(try v6.start() > 0)
            v6.shutdown()
        } catch {
            #expect([.socketFailed(errno: EAFNOSUPPORT), .bindFailed(host: "::1", port: 0, errno: EADDRNOTAVAIL)].contains(error))
        }
    }
}

/// A flag a handler raises and a test thread waits for.
private final class Flag: @unchecked Sendable {
    // @unchecked: `raised` is only touched under `condition`.
    private let condition = NSCondition()
    private var raised = false

    func set() {
        condition.withLock {
            raised = true
            condition.broadcast()
        }
    }

    /// Blocks until `set()` (at most 5 s).
    func wait() {
        condition.withLock {
            let deadline = Date().addingTimeInterval(30)
            while !raised && condition.wait(until: deadline) {}
        }
    }
}

/// The signal a `ShutdownSignalSource` reported.
private final class SignalBox: @unchecked Sendable {
    // @unchecked: `stored` is only touched under `lock`.
    private let lock = NSLock()
    private var stored: Int32?
    func set(_ value: Int32) { lock.withLock { stored = value } }
    var value: Int32? { lock.withLock { stored } }
}
