import Glibc

/// Why the server could not start; each message says what to change.
public enum HTTPServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `start()` was called on a server that was already started (servers are not restartable).
    case alreadyStarted
    /// The host is not an IPv4 or IPv6 address (or `localhost`).
    case invalidHost(String)
    /// The port is outside 0–65535.
    case invalidPort(Int)
    /// The listening socket could not be created (`errno`).
    case socketFailed(errno: Int32)
    /// The address could not be bound, typically because the port is in use (`errno`).
    case bindFailed(host: String, port: Int, errno: Int32)
    /// The socket could not listen (`errno`).
    case listenFailed(errno: Int32)
    /// The event loop's wake-up pipe could not be created (`errno`).
    case eventLoopFailed(errno: Int32)

    public var description: String {
        switch self {
        case .alreadyStarted:
            "the server was already started; create a new HTTPServer to serve again"
        case .invalidHost(let host):
            "invalid host `\(host)`; use an IP address such as 127.0.0.1 or ::1"
        case .invalidPort(let port):
            "invalid port \(port); use 0–65535 (0 picks a free port)"
        case .socketFailed(let code):
            "could not create a socket: \(Self.explain(code))"
        case .bindFailed(let host, let port, let code) where code == EADDRINUSE:
            "port \(port) on \(host) is already in use; choose another port, or 0 for a free one"
        case .bindFailed(let host, let port, let code):
            "could not bind \(host):\(port): \(Self.explain(code))"
        case .listenFailed(let code):
            "could not listen: \(Self.explain(code))"
        case .eventLoopFailed(let code):
            "could not create the event loop: \(Self.explain(code))"
        }
    }

    static func explain(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text)
    }
}
