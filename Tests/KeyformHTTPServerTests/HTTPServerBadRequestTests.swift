import Foundation
import Testing
import KeyformHTTPServer

/// Malformed, oversized, cut-off and slow requests: each gets a 4xx/5xx or a closed
/// connection, and the server keeps answering others.
@Suite struct HTTPServerBadRequestTests {
    static let host = "Host: 127.0.0.1\r\n"
    static let limited = HTTPServer.Configuration(maxRequestLineBytes: 1024, maxHeaderBytes: 2048, maxBodyBytes: 1000)

    /// Sends a good request on a fresh connection and returns its status.
    static func goodRequest(_ port: Int) throws -> Int {
        let client = try RawHTTPClient(port: port, timeout: 2)
        try client.send("GET /still-there HTTP/1.1\r\n\(host)\r\n")
        return try client.readResponse().status
    }

    @Test(arguments: [
        ("BAD\r\n\r\n", 400, "400 Bad Request: malformed request line; expected `METHOD /path HTTP/1.1` followed by CRLF\n"),
        ("GET / HTTP/1.1\nHost: x\n\n", 400, "400 Bad Request: malformed request line; expected `METHOD /path HTTP/1.1` followed by CRLF\n"),
        ("GET /\(String(repeating: "u", count: 1100)) HTTP/1.1\r\n\(host)\r\n", 414, "414 URI Too Long: the request line is longer than 1024 bytes; shorten the URI\n"),
        ("GET / HTTP/1.1\r\n\(host)X-Big: \(String(repeating: "h", count: 3000))\r\n\r\n", 431,
         "431 Request Header Fields Too Large: the header section is larger than 2048 bytes; send fewer or shorter headers\n"),
        ("POST / HTTP/1.1\r\n\(host)Content-Length: 200000\r\n\r\n\(String(repeating: "b", count: 200_000))", 413,
         "413 Content Too Large: the body of 200000 bytes is larger than the limit of 1000 bytes\n"),
        ("POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 501,
         "501 Not Implemented: Transfer-Encoding `chunked` is not supported; send the body with a Content-Length\n"),
        ("GET / HTTP/2.0\r\n\(host)\r\n", 505, "505 HTTP Version Not Supported: unsupported protocol version `HTTP/2.0`; use HTTP/1.1\n"),
        ("PUT / HTTP/1.1\r\n\(host)Expect: later\r\nContent-Length: 1\r\n\r\n", 417, "417 Expectation Failed: Expect `later` is not supported; only `100-continue` is\n"),
        ("GET / HTTP/1.1\r\n\(host)Content-Length: ten\r\n\r\n", 400, "400 Bad Request: invalid Content-Length `ten`; expected a decimal number of bytes\n"),
    ])
    func refusesAndCloses(request: String, status: Int, message: String) async throws {
        try await withServer(Self.limited) { _, port in
            let (response, closed, other) = try await onThread {
                let client = try RawHTTPClient(port: port)
                try client.send(request)
                let response = try client.readResponse()
                return (response, client.isClosedByServer(), try Self.goodRequest(port))
            }
            #expect(response.status == status)
            #expect(response.text == Self.jsonError(message))
            #expect(response.headers["content-type"] == "application/json")
            #expect(response.headers["connection"] == "close")
            #expect(response.headers["x-request-id"]?.count == 36)
            #expect(closed)
            #expect(other == 200)
        }
    }

    /// The JSON error body for a refusal written as `"413 Content Too Large: message\n"`:
    /// `{"status":413,"error_code":"ERR_CONTENT_TOO_LARGE","message":"message"}`.
    static func jsonError(_ line: String) -> String {
        let parts = line.split(separator: ": ", maxSplits: 1).map(String.init)
        let status = parts[0].prefix { $0.isNumber }
        let code = "ERR_" + parts[0].drop { $0.isNumber || $0 == " " }.uppercased().replacingOccurrences(of: " ", with: "_")
        return #"{"status":\#(status),"error_code":"\#(code)","message":"\#(parts[1].dropLast())"}"#
    }

    /// What the request said, quoted in the error, keeps the body valid JSON.
    @Test func theErrorBodyIsValidJSONWhateverTheRequestHeld() async throws {
        try await withServer(Self.limited) { _, port in
            let response = try await onThread {
                let client = try RawHTTPClient(port: port)
                try client.send("GET / HTTP/1.1\r\n\(Self.host)Content-Length: a\"b\\c\r\n\r\n")
                return try client.readResponse()
            }
            #expect(response.status == 400)
            let body = try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any]
            #expect(body?["message"] as? String == "invalid Content-Length `a\"b\\c`; expected a decimal number of bytes")
            #expect(body?["error_code"] as? String == "ERR_BAD_REQUEST")
        }
    }

    @Test func requestsCutOffHalfWayLeaveTheServerServing() async throws {
        try await withServer { _, port in
            let statuses = try await onThread {
                for partial in ["GET /half HTTP/1.1\r\nHo", "POST / HTTP/1.1\r\n\(Self.host)Content-Length: 100\r\n\r\nonly ten b"] {
                    let client = try RawHTTPClient(port: port)
                    try client.send(partial)
                    client.shutdownWrite()
                    guard client.isClosedByServer() else { return [0] }
                }
                return try (0..<3).map { _ in try Self.goodRequest(port) }
            }
            #expect(statuses == [200, 200, 200])
        }
    }

    @Test func aByteAtATimeIsCutOffByTheHeaderTimeoutWhileOthersAreServed() async throws {
        let configuration = HTTPServer.Configuration(headerTimeout: .seconds(1))
        try await withServer(configuration) { _, port in
            async let slow = onThread { () throws -> (RawHTTPClient.Response, Double, Int, Bool) in
                let client = try RawHTTPClient(port: port, timeout: 0.25)
                let start = Date()
                let bytes = Array("GET /never-finished HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ".utf8) + Array(repeating: UInt8(ascii: "p"), count: 100)
                for (sent, byte) in bytes.enumerated() {
                    do {
                        try client.send([byte])
                    } catch {
                        return (RawHTTPClient.Response(status: 0, reason: "send failed", headers: [:], body: []), Date().timeIntervalSince(start), sent, false)
                    }
                    do {
                        let response = try client.readResponse()
                        return (response, Date().timeIntervalSince(start), sent + 1, client.isClosedByServer())
                    } catch RawHTTPClient.ClientError.timedOut {
                        continue
                    }
                }
                return (RawHTTPClient.Response(status: 0, reason: "never cut off", headers: [:], body: []), Date().timeIntervalSince(start), bytes.count, false)
            }
            async let others = onThread { () throws -> [Int] in
                let client = try RawHTTPClient(port: port, timeout: 2)
                var statuses: [Int] = []
                for _ in 0..<12 {
                    try client.send("GET /other HTTP/1.1\r\n\(Self.host)\r\n")
                    statuses.append(try client.readResponse().status)
                    Thread.sleep(forTimeInterval: 0.1)
                }
                return statuses
            }
            let (response, elapsed, sent, closed) = try await slow
            #expect(response.status == 408)
            #expect(response.text == Self.jsonError("408 Request Timeout: the request line and headers did not arrive within 1 s\n"))
            #expect(closed)
            #expect(elapsed >= 0.9)
            #expect(sent < 20)
            #expect(try await others == Array(repeating: 200, count: 12))
        }
    }

    @Test func silentAndIdleConnectionsAreClosed() async throws {
        let configuration = HTTPServer.Configuration(headerTimeout: .milliseconds(300), idleTimeout: .milliseconds(300))
        try await withServer(configuration) { _, port in
            let (silentClosed, idleStatus, idleClosed) = try await onThread {
                let silent = try RawHTTPClient(port: port, timeout: 3)
                let idle = try RawHTTPClient(port: port, timeout: 3)
                try idle.send("GET / HTTP/1.1\r\n\(Self.host)\r\n")
                let status = try idle.readResponse().status
                return (silent.isClosedByServer(), status, idle.isClosedByServer())
            }
            #expect(silentClosed)
            #expect(idleStatus == 200)
            #expect(idleClosed)
        }
    }

    @Test func aSlowBodyIsCutOffByTheBodyTimeout() async throws {
        let configuration = HTTPServer.Configuration(bodyTimeout: .milliseconds(300))
        try await withServer(configuration) { _, port in
            let (response, closed) = try await onThread {
                let client = try RawHTTPClient(port: port, timeout: 3)
                try client.send("POST / HTTP/1.1\r\n\(Self.host)Content-Length: 10\r\n\r\nabc")
                return (try client.readResponse(), client.isClosedByServer())
            }
            #expect(response.status == 408)
            #expect(response.text == Self.jsonError("408 Request Timeout: the request body did not arrive within 0.3 s\n"))
            #expect(closed)
        }
    }

    @Test func aClientThatDoesNotReadIsCutOffByTheWriteTimeout() async throws {
        let big = [UInt8](repeating: UInt8(ascii: "x"), count: 32 << 20)
        let configuration = HTTPServer.Configuration(writeTimeout: .milliseconds(300))
        try await withServer(configuration, handler: { _ in HTTPResponse(body: big) }) { _, port in
            let outcome = try await onThread { () throws -> (Int, Bool) in
                let client = try RawHTTPClient(port: port, timeout: 3)
                try client.send("GET /big HTTP/1.1\r\n\(Self.host)\r\n")
                Thread.sleep(forTimeInterval: 1)
                do {
                    _ = try client.readResponse()
                    return (32 << 20, false)
                } catch RawHTTPClient.ClientError.closed(let received) {
                    return (received.count, true)
                }
            }
            #expect(outcome.1)
            #expect(outcome.0 < 32 << 20)
        }
    }
}
