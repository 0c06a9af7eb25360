import Foundation
import KeyformCore
import KeyformHTTPServer
import Testing
@testable import KeyformHTTP

/// `URLSessionTransport` and the provider over real sockets on 127.0.0.1.
@Suite struct ProviderTransportTests {
    static func url(_ server: ProviderLoopbackServer, _ target: String) -> URL {
        URL(string: "http://127.0.0.1:\(server.port)\(target)")!
    }

    @Test func sendsHeadersAndBodyAndReturnsTheAnswer() async throws {
        let server = try ProviderLoopbackServer { _ in
            .answer(status: "201 Created", headers: ["x-request-id": "abc123", "Content-Type": "application/json"], body: #"{"projectId":"p1"}"#)
        }
        defer { server.stop() }
        let request = HTTPTransportRequest(
            method: "POST", url: Self.url(server, "/console/organizations/1/projects?title=A%20B"),
            headers: ["Authorization": "Bearer t0k", "x-api-key": "k3y", "Content-Type": "application/json"],
            body: Array(#"{"name":"x"}"#.utf8), timeout: 5)
        let response = try await URLSessionTransport(timeout: 5).send(request)

        #expect(response.status == 201)
        #expect(response.header("X-Request-Id") == "abc123")
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"projectId":"p1"}"#)
        let received = try #require(server.requests.first)
        #expect(received.method == "POST")
        #expect(received.target == "/console/organizations/1/projects?title=A%20B")
        #expect(received.headers["authorization"] == "Bearer t0k")
        #expect(received.headers["x-api-key"] == "k3y")
        #expect(received.body == #"{"name":"x"}"#)
    }

    @Test func redirectsAreReturnedNotFollowed() async throws {
        let server = try ProviderLoopbackServer { request in
            request.target == "/start"
                ? .answer(status: "302 Found", headers: ["Location": "/elsewhere"], body: "")
                : .answer(status: "200 OK", headers: [:], body: "stolen")
        }
        defer { server.stop() }
        let response = try await URLSessionTransport(timeout: 5).send(
            HTTPTransportRequest(method: "GET", url: Self.url(server, "/start"), headers: ["Authorization": "Bearer t0k"], timeout: 5))
        #expect(response.status == 302)
        #expect(server.requests.map(\.target) == ["/start"])
    }

    @Test func aConnectionClosedWithoutAnswerIsConnectionLost() async throws {
        let server = try ProviderLoopbackServer { _ in .close }
        defer { server.stop() }
        let error = await #expect(throws: HTTPTransportError.self) {
            try await URLSessionTransport(timeout: 5).send(HTTPTransportRequest(method: "GET", url: Self.url(server, "/x"), timeout: 5))
        }
        guard case .connectionLost? = error else {
            Issue.record("expected connectionLost, got \(String(describing: error))")
            return
        }
    }

    @Test func noAnswerWithinTheTimeoutIsTimedOut() async throws {
        let server = try ProviderLoopbackServer { _ in .hang(seconds: 3) }
        defer { server.stop() }
        await #expect(throws: HTTPTransportError.timedOut(after: 0.5)) {
            try await URLSessionTransport(timeout: 0.5).send(HTTPTransportRequest(method: "GET", url: Self.url(server, "/slow"), timeout: 0.5))
        }
    }

    /// A body that never ends is refused once it passes the limit (it was read on until the
    /// memory ran out: 24 GB before the kernel stopped it).
    @Test func aBodyThatNeverEndsIsRefusedAtTheSizeLimit() async throws {
        let server = try ProviderLoopbackServer { _ in .endless(chunk: 4096, interval: 0, limit: 1 << 20) }
        defer { server.stop() }
        await #expect(throws: HTTPTransportError.tooLarge(limit: 65536)) {
            try await URLSessionTransport(timeout: 5, maximumBodySize: 65536).send(
                HTTPTransportRequest(method: "GET", url: Self.url(server, "/flood"), timeout: 5))
        }
    }

    @Test func aContentLengthAboveTheLimitIsRefused() async throws {
        let server = try ProviderLoopbackServer { _ in .answer(status: "200 OK", headers: [:], body: String(repeating: " ", count: 2048)) }
        defer { server.stop() }
        await #expect(throws: HTTPTransportError.tooLarge(limit: 1024)) {
            try await URLSessionTransport(timeout: 5, maximumBodySize: 1024).send(
                HTTPTransportRequest(method: "GET", url: Self.url(server, "/big"), timeout: 5))
        }
    }

    /// A body sent a little at a time, never finished: the timeout bounds the whole answer,
    /// not each silence (it never ended). The server gives up after 30 s and closes, which
    /// would be a lost connection: only the timeout ends it as `timedOut`.
    @Test func aBodyThatTricklesForeverEndsAtTheTimeout() async throws {
        let server = try ProviderLoopbackServer { _ in .endless(chunk: 1, interval: 0.1, limit: 300) }
        defer { server.stop() }
        await #expect(throws: HTTPTransportError.timedOut(after: 2)) {
            try await URLSessionTransport(timeout: 2).send(HTTPTransportRequest(method: "GET", url: Self.url(server, "/trickle"), timeout: 2))
        }
    }

    /// A listing whose credential list for one project does not decode: the error ends it,
    /// every time. The other reads in flight are cancelled as their answers arrive;
    /// `URLSession.data(for:)` deadlocked in some rounds (swift-corelibs-foundation #5412) and
    /// `plan` hung for good.
    @Test func aListingEndsOnABadAnswerWhileOtherReadsAreInFlight() async throws {
        let emulator = try EmulatorFixture.emulator()
        var broken = ""
        for i in 0..<12 { broken = try await emulator.makeIntegration("spreadread\(i)").project }
        let target = "/projects/\(broken)/workspaces/"
        // Answers spread over a few milliseconds, so that some arrive as others are cancelled.
        let server = HTTPServer(configuration: .init(port: 0)) { request in
            try? await Task.sleep(nanoseconds: UInt64.random(in: 0...3_000_000))
            var response = await emulator.handle(request)
            if request.path.contains(target), request.path.hasSuffix("/credentials") { response.body = Array("[{}]".utf8) }
            return response
        }
        let port = try server.start()
        defer { server.shutdown(); emulator.close() }
        let configuration = try HTTPProvider.Configuration(
            consoleURL: URL(string: "http://127.0.0.1:\(port)")!, eventsURL: URL(string: "http://127.0.0.1:\(port)")!,
            org: emulator.organizationCode, accessToken: EmulatorFixture.token, apiKey: EmulatorFixture.apiKey, timeout: 10,
            retryPolicy: .none, readConcurrency: 8)
        let transport = URLSessionTransport(timeout: 10)
        let rounds = Task {
            for _ in 0..<40 {
                let provider = HTTPProvider(configuration: configuration, transport: transport)
                do {
                    _ = try await provider.listIntegrations()
                    return false
                } catch ConsoleError.badResponse {
                    continue
                } catch {
                    return false
                }
            }
            return true
        }
        let ended = await Self.ends(within: 30) { _ = await rounds.value }
        #expect(ended, "a listing did not end within 30 s")
        if ended { #expect(await rounds.value, "a listing did not end with the bad answer's error") }
    }

    /// Whether `work` ends within `seconds`; one that never ends is left behind, not awaited.
    static func ends(within seconds: Double, _ work: @escaping @Sendable () async -> Void) async -> Bool {
        final class Once: @unchecked Sendable {
            // `@unchecked Sendable`: `continuation` is only touched under `lock`.
            private let lock = NSLock()
            private var continuation: CheckedContinuation<Bool, Never>?
            init(_ continuation: CheckedContinuation<Bool, Never>) { self.continuation = continuation }
            func resume(_ value: Bool) {
                let taken = lock.withLock { () -> CheckedContinuation<Bool, Never>? in
                    defer { continuation = nil }
                    return continuation
                }
                taken?.resume(returning: value)
            }
        }
        return await withCheckedContinuation { continuation in
            let once = Once(continuation)
            Task {
                await work()
                once.resume(true)
            }
            Task {
                try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
                once.resume(false)
            }
        }
    }

    @Test func aRefusedConnectionIsCannotConnect() async throws {
        let server = try ProviderLoopbackServer { _ in .close }
        let port = server.port
        server.stop()
        let error = await #expect(throws: HTTPTransportError.self) {
            try await URLSessionTransport(timeout: 2).send(
                HTTPTransportRequest(method: "GET", url: URL(string: "http://127.0.0.1:\(port)/x")!, timeout: 2))
        }
        #expect(error == .cannotConnect(reason: "connection refused (URLError -1004)"))
    }

    @Test func theProviderReadsTheCatalogOverRealSockets() async throws {
        let server = try ProviderLoopbackServer { request in
            switch request.target {
            case "/console/organizations":
                .answer(status: "200 OK", headers: ["Content-Type": "application/json"], body: #"[{"id":"77","code":"LOOP@AdobeOrg"}]"#)
            case "/console/organizations/77/services":
                .answer(status: "200 OK", headers: [:], body: #"[{"code":"StockSDK","name":"Adobe Stock","type":"adobeid","enabled":true}]"#)
            case "/events/77/providers?eventmetadata=true":
                .answer(status: "200 OK", headers: [:], body: #"{"_embedded":{"providers":[{"id":"aem","label":"AEM"}]}}"#)
            default:
                .answer(status: "404 Not Found", headers: [:], body: "")
            }
        }
        defer { server.stop() }
        let configuration = try HTTPProvider.Configuration.fromEnvironment(
            ["KEYFORM_ACCESS_TOKEN": "loop-token", "KEYFORM_API_KEY": "loop-key"],
            host: .custom(URL(string: "http://127.0.0.1:\(server.port)")!), org: "LOOP@AdobeOrg", timeout: 5)
        let catalog = try await HTTPProvider(configuration: configuration).catalog()
        #expect(catalog == Catalog(
            services: [.init(code: "StockSDK", name: "Adobe Stock", credentialTypes: [.apiKey, .oauth], isEntitled: true)],
            eventProviders: [.init(id: "aem", label: "AEM", eventCodes: [])]))
        let events = try #require(server.requests.first { $0.target.hasPrefix("/events/") })
        #expect(events.headers["x-ims-org-id"] == "LOOP@AdobeOrg")
        #expect(events.headers["authorization"] == "Bearer loop-token")
        #expect(events.headers["accept"] == "application/hal+json")
    }
}
