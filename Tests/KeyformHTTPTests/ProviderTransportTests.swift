import Foundation
import KeyformCore
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
