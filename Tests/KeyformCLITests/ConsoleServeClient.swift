import Foundation
import Glibc

/// A blocking HTTP/1.1 client on a raw loopback socket for the `console serve` tests: it sends
/// exactly the bytes it is given — malformed, cut off, one at a time — and reads answers with
/// a receive timeout. Its calls block: run it on its own thread, never on the Swift
/// concurrency pool.
final class ConsoleServeClient {
    struct Answer: Equatable {
        var status: Int
        /// Header fields with lower-cased names.
        var headers: [String: String]
        var body: String
    }

    enum Failure: Error, Equatable {
        case connect(errno: Int32)
        case send(errno: Int32)
        case timedOut
        /// The server closed the connection before a whole answer came.
        case closed
    }

    private let descriptor: Int32
    private var buffer: [UInt8] = []

    init(port: Int, timeout: Double = 10) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let code = errno
            close(descriptor)
            throw Failure.connect(errno: code)
        }
        var interval = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close(descriptor)
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw Failure.send(errno: errno) }
            offset += sent
        }
    }

    /// Ends the sending side: the server sees the end of the request stream.
    func finishSending() {
        shutdown(descriptor, Int32(SHUT_WR))
    }

    /// A request with the headers every API client sends (token, API key, host).
    func request(_ method: String, _ path: String, body: String? = nil, authorized: Bool = true) throws -> Answer {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        if authorized { head += "Authorization: Bearer serve-test-token\r\nx-api-key: serve-test-key\r\n" }
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n" }
        try send(head + "\r\n" + (body ?? ""))
        return try readAnswer()
    }

    /// Reads one answer (`Content-Length` bodies only, as the server sends).
    func readAnswer() throws -> Answer {
        var headEnd = headEndIndex()
        while headEnd == nil {
            try fill()
            headEnd = headEndIndex()
        }
        guard let end = headEnd else { throw Failure.closed }
        let lines = String(decoding: buffer[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ").dropFirst().first ?? "") ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while buffer.count < end + 4 + length { try fill() }
        let body = String(decoding: buffer[(end + 4)..<(end + 4 + length)], as: UTF8.self)
        buffer.removeFirst(end + 4 + length)
        return Answer(status: status, headers: headers, body: body)
    }

    /// Whether the server closed the connection (nothing more to read) within the timeout.
    func isClosedByServer() -> Bool {
        do {
            while true { try fill() }
        } catch {
            return error as? Failure == .closed
        }
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = recv(descriptor, &chunk, chunk.count, 0)
        if count > 0 {
            buffer += chunk[0..<count]
        } else if count == 0 || errno == ECONNRESET {
            throw Failure.closed
        } else if errno == EAGAIN || errno == EWOULDBLOCK {
            throw Failure.timedOut
        } else {
            throw Failure.closed
        }
    }

    private func headEndIndex() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for index in 0...(buffer.count - 4) where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index
        }
        return nil
    }
}

/// Runs blocking work on a thread of its own and awaits its result.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
