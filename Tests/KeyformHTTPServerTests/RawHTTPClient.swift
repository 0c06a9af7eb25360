import Foundation
import Glibc
import KeyformHTTPServer

/// A blocking raw-socket HTTP/1.1 client for tests: sends exactly the bytes it is given
/// (malformed, slow, cut off) and reads answers with a receive timeout. Run it off the Swift
/// concurrency pool (`onThread`), since its calls block.
final class RawHTTPClient {
    /// One answer as read from the wire.
    struct Response: Sendable {
        var status: Int
        var reason: String
        var headers: HTTPHeaders
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    enum ClientError: Error, Equatable {
        case connectFailed(errno: Int32)
        case sendFailed(errno: Int32)
        case timedOut
        /// The server closed the connection; `received` holds unread bytes of a partial answer.
        case closed(received: [UInt8])
        case malformed(String)
    }

    private let descriptor: Int32
    private var buffer: [UInt8] = []

    /// Connects to 127.0.0.1:`port`; reads time out after `timeout` seconds.
    init(port: Int, timeout: Double = 5) throws(ClientError) {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw .connectFailed(errno: code)
        }
        var interval = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        Glibc.close(descriptor)
    }

    func send(_ text: String) throws(ClientError) {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws(ClientError) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw .sendFailed(errno: errno) }
            offset += sent
        }
    }

    /// Closes the sending side (the server sees end of input).
    func shutdownWrite() {
        _ = Glibc.shutdown(descriptor, Int32(SHUT_WR))
    }

    /// Reads one answer (a `100 Continue` counts as one); `head` for answers to HEAD.
    func readResponse(head: Bool = false) throws(ClientError) -> Response {
        var headEnd: Int?
        while headEnd == nil {
            headEnd = findHeadEnd()
            if headEnd == nil { try fill() }
        }
        let end = headEnd!
        let lines = String(decoding: buffer[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = lines[0].split(separator: " ", maxSplits: 2).map(String.init)
        guard statusLine.count == 3, statusLine[0] == "HTTP/1.1", let status = Int(statusLine[1]) else {
            throw .malformed(lines[0])
        }
        var headers = HTTPHeaders()
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { throw .malformed(line) }
            headers.add(String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        buffer.removeFirst(end + 4)
        let length = head || status < 200 ? 0 : Int(headers["content-length"] ?? "0") ?? 0
        while buffer.count < length { try fill() }
        let body = Array(buffer[0..<length])
        buffer.removeFirst(length)
        return Response(status: status, reason: statusLine[2], headers: headers, body: body)
    }

    /// Whether the server closes the connection (end of input or reset) before the read
    /// timeout, with nothing more to read.
    func isClosedByServer() -> Bool {
        do throws(ClientError) {
            try fill()
            return false
        } catch {
            return error == .closed(received: [])
        }
    }

    private func fill() throws(ClientError) {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            buffer.append(contentsOf: chunk[0..<count])
        } else if count == 0 || errno == ECONNRESET {
            throw .closed(received: buffer)
        } else {
            throw .timedOut
        }
    }

    private func findHeadEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4)
        where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index
        }
        return nil
    }
}

/// Runs blocking work on a thread of its own, so it cannot starve the concurrency pool that
/// the server's handlers run on.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// Starts a server on a free port, runs `body`, then shuts it down and waits for it.
func withServer(
    _ configuration: HTTPServer.Configuration = .init(),
    handler: @escaping HTTPServer.Handler = echoHandler,
    _ body: (HTTPServer, Int) async throws -> Void
) async throws {
    let server = HTTPServer(configuration: configuration, handler: handler)
    let port = try server.start()
    do {
        try await body(server, port)
    } catch {
        server.shutdown()
        await server.wait()
        throw error
    }
    server.shutdown()
    await server.wait()
}

/// Answers `METHOD path [query] body` as text; `/missing` is 404, `/slow?ms=N` sleeps first.
let echoHandler: HTTPServer.Handler = { request in
    if request.path == "/missing" { return .text(status: 404, "no route for /missing\n") }
    if request.path == "/slow", let ms = request.queryValue("ms").flatMap(Int.init) {
        try? await Task.sleep(for: .milliseconds(ms))
    }
    let query = request.query.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    return .text("\(request.method) \(request.path) [\(query)] \(String(decoding: request.body, as: UTF8.self))",
                 headers: ["x-seen-request-id": request.requestId])
}
