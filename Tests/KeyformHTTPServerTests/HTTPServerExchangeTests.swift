import Foundation
import Testing
import KeyformHTTPServer

/// Requests and answers over real sockets on 127.0.0.1.
@Suite struct HTTPServerExchangeTests {
    static let host = "Host: 127.0.0.1\r\n"

    @Test func getAndPostWithBodies() async throws {
        try await withServer { _, port in
            let (get, post) = try await onThread {
                let client = try RawHTTPClient(port: port)
                try client.send("GET /v1/orgs/a%20b?x=1&y=%C3%A9 HTTP/1.1\r\n\(Self.host)\r\n")
                let get = try client.readResponse()
                try client.send("POST /things HTTP/1.1\r\n\(Self.host)Content-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"name\":\"é\"}")
                return (get, try client.readResponse())
            }
            #expect(get.status == 200)
            #expect(get.reason == "OK")
            #expect(get.text == "GET /v1/orgs/a%20b [x=1&y=é] ")
            #expect(get.headers["content-type"] == "text/plain; charset=utf-8")
            #expect(get.headers["content-length"] == "\(get.body.count)")
            #expect(get.headers["date"]?.hasSuffix(" GMT") == true)
            #expect(post.status == 200)
            #expect(post.text == "POST /things [] {\"name\":\"é\"}")
        }
    }

    @Test func keepAliveServesManyRequestsOnOneConnection() async throws {
        try await withServer { _, port in
            let answers = try await onThread {
                let client = try RawHTTPClient(port: port)
                return try (1...5).map { index in
                    try client.send("GET /n/\(index) HTTP/1.1\r\n\(Self.host)\r\n")
                    return try client.readResponse()
                }
            }
            #expect(answers.map(\.text) == (1...5).map { "GET /n/\($0) [] " })
            #expect(answers.allSatisfy { $0.headers["connection"] == nil })
            let ids = answers.compactMap { $0.headers["x-request-id"] }
            #expect(Set(ids).count == 5)
            #expect(answers.map { $0.headers["x-request-id"] } == answers.map { $0.headers["x-seen-request-id"] })
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await withServer { _, port in
            let answers = try await onThread {
                let client = try RawHTTPClient(port: port)
                try client.send(
                    "GET /slow?ms=50 HTTP/1.1\r\n\(Self.host)\r\n"
                    + "POST /second HTTP/1.1\r\n\(Self.host)Content-Length: 3\r\n\r\nabc"
                    + "GET /third HTTP/1.1\r\n\(Self.host)Connection: close\r\n\r\n"
                )
                let answers = try (0..<3).map { _ in try client.readResponse() }
                return (answers, client.isClosedByServer())
            }
            #expect(answers.0.map(\.text) == ["GET /slow [ms=50] ", "POST /second [] abc", "GET /third [] "])
            #expect(answers.0.map { $0.headers["connection"] } == [nil, nil, "close"])
            #expect(answers.1)
        }
    }

    @Test func handlerStatusesHeadAndHTTP10() async throws {
        try await withServer { _, port in
            let (missing, head, old, oldClosed) = try await onThread {
                let client = try RawHTTPClient(port: port)
                try client.send("GET /missing HTTP/1.1\r\n\(Self.host)\r\n")
                let missing = try client.readResponse()
                try client.send("HEAD /x HTTP/1.1\r\n\(Self.host)\r\n")
                let head = try client.readResponse(head: true)
                let old = try RawHTTPClient(port: port)
                try old.send("GET /old HTTP/1.0\r\n\r\n")
                return (missing, head, try old.readResponse(), old.isClosedByServer())
            }
            #expect(missing.status == 404)
            #expect(missing.reason == "Not Found")
            #expect(missing.text == "no route for /missing\n")
            #expect(head.status == 200)
            #expect(head.headers["content-length"] == "\("HEAD /x [] ".utf8.count)")
            #expect(head.body.isEmpty)
            #expect(old.text == "GET /old [] ")
            #expect(old.headers["connection"] == "close")
            #expect(oldClosed)
        }
    }

    @Test func expectContinueGetsAnInterimAnswer() async throws {
        try await withServer { _, port in
            let (interim, final) = try await onThread {
                let client = try RawHTTPClient(port: port)
                try client.send("PUT /upload HTTP/1.1\r\n\(Self.host)Expect: 100-continue\r\nContent-Length: 5\r\n\r\n")
                let interim = try client.readResponse()
                try client.send("hello")
                return (interim, try client.readResponse())
            }
            #expect(interim.status == 100)
            #expect(final.text == "PUT /upload [] hello")
        }
    }

    @Test func requestIdsAreFreshUUIDs() async throws {
        try await withServer { _, port in
            let ids = try await onThread {
                let client = try RawHTTPClient(port: port)
                var ids: [String] = []
                for index in 0..<50 {
                    // Refused requests get an id too.
                    try client.send(index == 49 ? "BAD\r\n\r\n" : "GET / HTTP/1.1\r\n\(Self.host)\r\n")
                    ids.append(try client.readResponse().headers["x-request-id"] ?? "")
                }
                return ids
            }
            #expect(Set(ids).count == 50)
            #expect(ids.allSatisfy { UUID(uuidString: $0) != nil && $0 == $0.lowercased() })
        }
    }
}
