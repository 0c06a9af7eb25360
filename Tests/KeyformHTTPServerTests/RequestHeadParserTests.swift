import Testing
@testable import KeyformHTTPServer

@Suite struct RequestHeadParserTests {
    static let limits = RequestHeadLimits(maxRequestLineBytes: 64, maxHeaderBytes: 128, maxHeaderFields: 4)

    private func parse(_ text: String) -> Result<RequestHead, HTTPRequestError> {
        let bytes = Array(text.utf8)
        guard case .complete(let start, let end) = RequestHeadParser.scan(bytes, from: 0, limits: Self.limits) else {
            return .failure(.malformedRequestLine)
        }
        return RequestHeadParser.parse(bytes, start: start, end: end, limits: Self.limits)
    }

    @Test func parsesAHead() throws {
        let head = try parse("\r\nPOST /v1/orgs/a%2Fb/?page=2&name=x%20y+z&flag HTTP/1.1\r\nHost: h\r\nContent-Length:  12 \r\nX-A: 1\r\nx-a: 2\r\n\r\n").get()
        #expect(head.method == "POST")
        #expect(head.target.path == "/v1/orgs/a%2Fb/")
        #expect(head.target.pathComponents == ["v1", "orgs", "a/b"])
        #expect(head.target.query.map { "\($0.name)=\($0.value)" } == ["page=2", "name=x y+z", "flag="])
        #expect(head.contentLength == 12)
        #expect(head.headers.values(for: "X-A") == ["1", "2"])
        #expect(head.headers["content-length"] == "12")
        #expect(head.keepAlive)
        #expect(!head.expectsContinue)
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\nHost: h\r\n\r\n", true),
        ("GET / HTTP/1.1\r\nHost: h\r\nConnection: Keep-Alive, Close\r\n\r\n", false),
        ("GET / HTTP/1.0\r\n\r\n", false),
        ("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true),
    ])
    func keepAlive(text: String, expected: Bool) throws {
        #expect(try parse(text).get().keepAlive == expected)
    }

    @Test(arguments: [
        ("GET /  HTTP/1.1\r\nHost: h\r\n\r\n", HTTPRequestError.malformedRequestLine),
        ("GET / HTTP/1.1 \r\nHost: h\r\n\r\n", .malformedRequestLine),
        ("GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n", .malformedRequestLine),
        ("GET / HTTP/11\r\nHost: h\r\n\r\n", .malformedRequestLine),
        ("G(T / HTTP/1.1\r\nHost: h\r\n\r\n", .invalidMethod),
        ("GET relative HTTP/1.1\r\nHost: h\r\n\r\n", .invalidRequestTarget),
        ("GET /a#frag HTTP/1.1\r\nHost: h\r\n\r\n", .invalidRequestTarget),
        ("GET * HTTP/1.1\r\nHost: h\r\n\r\n", .invalidRequestTarget),
        ("GET /%zz HTTP/1.1\r\nHost: h\r\n\r\n", .invalidPercentEncoding("%zz")),
        ("GET /?a=%ff HTTP/1.1\r\nHost: h\r\n\r\n", .invalidPercentEncoding("a=%ff")),
        ("GET / HTTP/2.0\r\nHost: h\r\n\r\n", .unsupportedVersion("HTTP/2.0")),
        ("GET / HTTP/1.1\r\nHost : h\r\n\r\n", .malformedHeaderField(line: 2)),
        ("GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n", .malformedHeaderField(line: 3)),
        ("GET / HTTP/1.1\r\nHost: h\r\nX: a\u{1}b\r\n\r\n", .malformedHeaderField(line: 3)),
        ("GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n", .malformedHeaderField(line: 3)),
        ("GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n", .obsoleteLineFolding(line: 3)),
        ("GET / HTTP/1.1\r\n\r\n", .missingHost),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", .duplicateHost),
        ("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", .invalidContentLength("-1")),
        ("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1, 1\r\n\r\n", .invalidContentLength("1, 1")),
        ("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n", .duplicateContentLength),
        ("GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", .unsupportedTransferEncoding("chunked")),
        ("GET / HTTP/1.1\r\nHost: h\r\nExpect: magic\r\n\r\n", .unsupportedExpectation("magic")),
        ("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", .tooManyHeaderFields(limit: 4)),
    ])
    func refuses(text: String, expected: HTTPRequestError) {
        #expect(throws: expected) { try parse(text).get() }
    }

    @Test(arguments: [
        ("GET /\(String(repeating: "a", count: 60)) HTTP/1.1\r\n", RequestHeadParser.Scan.failed(.requestLineTooLong(limit: 64))),
        ("GET /\(String(repeating: "a", count: 70))", .failed(.requestLineTooLong(limit: 64))),
        (String(repeating: "\r\n", count: 40), .failed(.requestLineTooLong(limit: 64))),
        ("GET / HTTP/1.1\r\nX: \(String(repeating: "v", count: 130))", .failed(.headerSectionTooLarge(limit: 128))),
        ("GET / HTTP/1.1\r\nX: \(String(repeating: "v", count: 124))\r\n\r\n", .failed(.headerSectionTooLarge(limit: 128))),
        ("GET / HTTP/1.1\r\nX: \(String(repeating: "v", count: 123))\r\n\r\n", .complete(start: 0, end: 146)),
        ("GET / HTTP/1.1\nHost: h\n\n", .failed(.malformedRequestLine)),
        ("GET / HTTP/1.1\r\nHost: h\n\n", .failed(.malformedHeaderField(line: 2))),
        ("GET / HTTP/1.1\r\nHost: h\r\n", .incomplete),
        ("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\nextra", .complete(start: 4, end: 31)),
        ("\r", .incomplete),
    ])
    func scans(text: String, expected: RequestHeadParser.Scan) {
        #expect(RequestHeadParser.scan(Array(text.utf8), from: 0, limits: Self.limits) == expected)
    }

    @Test func absoluteFormAndAsterisk() throws {
        let absolute = try parse("GET HTTP://example.com:80/a/b?c=d HTTP/1.1\r\nHost: example.com\r\n\r\n").get()
        #expect(absolute.target.path == "/a/b")
        #expect(absolute.target.query.map(\.value) == ["d"])
        let bare = try parse("GET http://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n").get()
        #expect(bare.target.path == "/")
        let options = try parse("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n").get()
        #expect(options.target.path == "*")
        #expect(options.target.pathComponents == [])
    }

    @Test func expectContinue() throws {
        #expect(try parse("PUT / HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 3\r\n\r\n").get().expectsContinue)
    }
}
