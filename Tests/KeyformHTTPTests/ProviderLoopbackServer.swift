import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A tiny HTTP/1.1 responder on 127.0.0.1 for the transport tests: one request per
/// connection, answered as the handler says (or not at all).
final class ProviderLoopbackServer: @unchecked Sendable {
    // `@unchecked Sendable`: `received` and `stopped` are only touched under `lock`.

    struct Received: Sendable {
        var method: String
        var target: String
        /// Header fields with lower-cased names.
        var headers: [String: String]
        var body: String
    }

    enum Reply: Sendable {
        /// The raw response; `Content-Length` and `Connection: close` are added.
        case answer(status: String, headers: [String: String], body: String)
        /// Close the connection without a word.
        case close
        /// Say nothing for this long, then close.
        case hang(seconds: Double)
        /// A 200 whose chunked body never ends: `chunk` spaces every `interval` seconds
        /// (0: as fast as the client reads), `limit` bytes at most, until the client goes.
        /// (A flood without limit holds the URL sessions' shared work queue, and with it every
        /// other test's requests.)
        case endless(chunk: Int, interval: Double, limit: Int)
    }

    let port: UInt16
    private let socket: Int32
    private let lock = NSLock()
    private var received: [Received] = []
    private var stopped = false

    init(handler: @escaping @Sendable (Received) -> Reply) throws {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.socket = socket
        var yes: Int32 = 1
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(socket, 16) == 0 else {
            close(socket)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        let listener = socket
        Thread.detachNewThread { [self] in
            while true {
                let connection = accept(listener, nil, nil)
                if connection < 0 { return }
                // A thread per connection: answers block (hang, endless), and the global
                // queues' few threads are shared with the code under test.
                Thread.detachNewThread { self.serve(connection, handler) }
            }
        }
    }

    /// The requests received so far.
    var requests: [Received] { lock.withLock { received } }

    func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        if first {
            shutdown(socket, Int32(SHUT_RDWR))
            close(socket)
        }
    }

    deinit { stop() }

    private func serve(_ connection: Int32, _ handler: (Received) -> Reply) {
        defer { Self.lingeringClose(connection) }
        guard let request = Self.read(connection) else { return }
        lock.withLock { received.append(request) }
        switch handler(request) {
        case .close:
            return
        case .hang(let seconds):
            Thread.sleep(forTimeInterval: seconds)
        case .answer(let status, let headers, let body):
            var head = "HTTP/1.1 \(status)\r\n"
            for (name, value) in headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
            head += "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
            _ = Self.write(Array((head + body).utf8), to: connection)
        case .endless(let chunk, let interval, let limit):
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            guard Self.write(Array(head.utf8), to: connection) else { return }
            let piece = Array(String(chunk, radix: 16).utf8) + [13, 10] + [UInt8](repeating: 32, count: chunk) + [13, 10]
            var sent = 0
            while sent < limit, Self.write(piece, to: connection) {
                sent += chunk
                if interval > 0 { Thread.sleep(forTimeInterval: interval) }
            }
        }
    }

    /// Sends all of `bytes`; false once the client has gone.
    private static func write(_ bytes: [UInt8], to connection: Int32) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            sent += n
        }
        return true
    }

    /// Closes after the client has read the answer: stop sending, drain what the client still
    /// sends (for at most a second), then close — a plain close with unread input would reset
    /// the connection and could cut the answer off on a loaded machine.
    private static func lingeringClose(_ connection: Int32) {
        shutdown(connection, Int32(SHUT_WR))
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var scratch = [UInt8](repeating: 0, count: 1024)
        while recv(connection, &scratch, scratch.count, 0) > 0 {}
        close(connection)
    }

    private static func read(_ connection: Int32) -> Received? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var headEnd: Int?
        var expected = Int.max
        while data.count < expected {
            let n = recv(connection, &buffer, buffer.count, 0)
            if n <= 0 { return nil }
            data += buffer[0..<n]
            if headEnd == nil, let range = findHeadEnd(data) {
                headEnd = range
                let head = String(decoding: data[0..<range], as: UTF8.self)
                let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                expected = range + 4 + length
            }
        }
        guard let end = headEnd else { return nil }
        let lines = String(decoding: data[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Received(
            method: String(requestLine[0]), target: String(requestLine[1]), headers: headers,
            body: String(decoding: data[(end + 4)...], as: UTF8.self))
    }

    private static func findHeadEnd(_ data: [UInt8]) -> Int? {
        guard data.count >= 4 else { return nil }
        for i in 0...(data.count - 4) where data[i] == 13 && data[i + 1] == 10 && data[i + 2] == 13 && data[i + 3] == 10 {
            return i
        }
        return nil
    }
}
