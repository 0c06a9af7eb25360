import Testing
@testable import KeyformHTTPServer

@Suite struct HTTPValueTests {
    @Test func headersLookUpWithoutCase() {
        var headers: HTTPHeaders = ["Content-Type": "a", "Vary": "x", "vary": "y"]
        #expect(headers["content-type"] == "a")
        #expect(headers["CONTENT-TYPE"] == "a")
        #expect(headers["missing"] == nil)
        #expect(headers.values(for: "VARY") == ["x", "y"])
        headers.set("VARY", "z")
        #expect(headers.fields == [.init(name: "Content-Type", value: "a"), .init(name: "VARY", value: "z")])
        headers.add("X-Extra", "1")
        headers.remove("content-type")
        #expect(headers.fields.map(\.name) == ["VARY", "X-Extra"])
        #expect(headers.contains("x-extra"))
        #expect(!HTTPHeaders.namesMatch("abc", "abcd"))
    }

    @Test func requestFromTarget() throws {
        let request = try HTTPRequest(method: "GET", target: "/v1/orgs/1%2F2?page=3&q=a%26b", headers: ["X-Api-Key": "k"])
        #expect(request.path == "/v1/orgs/1%2F2")
        #expect(request.pathComponents == ["v1", "orgs", "1/2"])
        #expect(request.queryValue("page") == "3")
        #expect(request.queryValue("q") == "a&b")
        #expect(request.queryValue("none") == nil)
        #expect(request.headers["x-api-key"] == "k")
        #expect(request.requestId == "test-request")
        #expect(throws: HTTPRequestError.invalidPercentEncoding("%4")) { try HTTPRequest(method: "GET", target: "/%4") }
        #expect(throws: HTTPRequestError.invalidRequestTarget) { try HTTPRequest(method: "GET", target: "/a b") }
    }

    private func wire(_ response: HTTPResponse, head: Bool = false, keepAlive: Bool = true, minor: Int = 1) -> String {
        let context = ResponseSerializer.Context(isHead: head, minorVersion: minor, keepAlive: keepAlive, requestId: "rid", date: "Thu, 01 Jan 1970 00:00:00 GMT")
        return String(decoding: ResponseSerializer.serialize(response, context: context), as: UTF8.self)
    }

    @Test func serializesAnswers() {
        let json = HTTPResponse.json(status: 201, body: Array("{}".utf8), headers: ["Location": "/x", "Content-Length": "99", "X-Request-Id": "mine"])
        #expect(wire(json) == "HTTP/1.1 201 Created\r\nLocation: /x\r\ncontent-type: application/json\r\ncontent-length: 2\r\ndate: Thu, 01 Jan 1970 00:00:00 GMT\r\nx-request-id: rid\r\n\r\n{}")
        #expect(wire(.text("hi"), head: true, keepAlive: false) == "HTTP/1.1 200 OK\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 2\r\ndate: Thu, 01 Jan 1970 00:00:00 GMT\r\nx-request-id: rid\r\nconnection: close\r\n\r\n")
        #expect(wire(.empty(), minor: 0) == "HTTP/1.1 204 No Content\r\ndate: Thu, 01 Jan 1970 00:00:00 GMT\r\nx-request-id: rid\r\nconnection: keep-alive\r\n\r\n")
        #expect(wire(HTTPResponse(status: 799)).hasPrefix("HTTP/1.1 500 Internal Server Error\r\n"))
        #expect(wire(HTTPResponse(status: 101)).hasPrefix("HTTP/1.1 500 Internal Server Error\r\n"))
        #expect(wire(HTTPResponse(status: 304, body: [1])) == "HTTP/1.1 304 Not Modified\r\ndate: Thu, 01 Jan 1970 00:00:00 GMT\r\nx-request-id: rid\r\n\r\n")
        #expect(wire(HTTPResponse(headers: ["X-Bad": "a\r\nInjected: 1"])).hasSuffix("\r\n\r\nthe handler produced an invalid status or header field\n"))
    }

    @Test func formatsDates() {
        #expect(HTTPDate.format(secondsSince1970: 0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.format(secondsSince1970: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }

    @Test func describesErrors() {
        #expect(HTTPRequestError.headerTimeout(seconds: 1).description == "the request line and headers did not arrive within 1 s")
        #expect(HTTPRequestError.bodyTimeout(seconds: 0.5).description == "the request body did not arrive within 0.5 s")
        #expect(HTTPRequestError.bodyTooLarge(length: 10, limit: 5).status == 413)
        #expect(HTTPResponse.reasonPhrase(for: 431) == "Request Header Fields Too Large")
        #expect(HTTPResponse.reasonPhrase(for: 299) == "Unknown")
    }
}
