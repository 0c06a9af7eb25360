import Foundation
import Glibc
import Synchronization

/// A small HTTP/1.1 server on loopback sockets, for the console emulator and tests.
///
///     let server = HTTPServer(configuration: .init(port: 0)) { request in
///         request.path == "/health" ? .text("ok\n") : .text(status: 404, "not found\n")
///     }
///     let port = try server.start()          // the bound port (a free one for port 0)
///     let signals = server.shutdownOnSignals() // graceful shutdown on SIGTERM
///     await server.wait()                    // returns once shutdown() has drained
///
/// One event-loop thread (poll) accepts connections, reads and parses requests strictly,
/// enforces the limits and timeouts of `Configuration`, and writes answers; each complete
/// request runs `handler` in its own task, so a slow handler holds no thread and idle
/// keep-alive connections cost only a descriptor. Bodies must come with `Content-Length`
/// (`Transfer-Encoding` is refused with 501). Every answer carries a fresh `x-request-id`.
public final class HTTPServer: Sendable {
    /// Answers one request; may suspend (sleep, await I/O) as long as it needs. It runs on the
    /// Swift concurrency pool (as many threads as cores), so work that blocks a thread (fsync,
    /// waiting on a lock) should be moved off it, or it stalls other requests' handlers.
    public typealias Handler = @Sendable (HTTPRequest) async -> HTTPResponse

    private enum Phase {
        case created, starting, running, stopping, stopped
    }

    private struct State {
        var phase = Phase.created
        var port: Int?
        var mailbox: LoopMailbox?
        var shutdownPending = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    /// The configuration the server was created with.
    public let configuration: Configuration
    private let handler: Handler
    private let state = Mutex(State())

    /// Creates a server; nothing is bound until `start()`.
    public init(configuration: Configuration = Configuration(), handler: @escaping Handler) {
        self.configuration = configuration
        self.handler = handler
    }

    /// Binds, listens and starts serving on a thread of its own.
    /// - Returns: the bound port (the free one picked when the configured port is 0).
    /// - Throws: `HTTPServerError` when the address cannot be bound or the server was started
    ///   before.
    @discardableResult
    public func start() throws(HTTPServerError) -> Int {
        let claimed = state.withLock { state -> Bool in
            guard state.phase == .created else { return false }
            state.phase = .starting
            return true
        }
        guard claimed else { throw .alreadyStarted }
        let listener: (descriptor: Int32, port: Int)
        let mailbox: LoopMailbox
        do throws(HTTPServerError) {
            listener = try Listener.open(host: configuration.host, port: configuration.port)
        } catch {
            state.withLock { $0.phase = .created }
            throw error
        }
        do throws(HTTPServerError) {
            mailbox = try LoopMailbox()
        } catch {
            close(listener.descriptor)
            state.withLock { $0.phase = .created }
            throw error
        }
        let configuration = self.configuration
        let handler = self.handler
        let thread = Thread { [self] in
            EventLoop(listener: listener.descriptor, mailbox: mailbox, configuration: configuration, handler: handler).run()
            self.finished()
        }
        thread.name = "keyform-http-\(listener.port)"
        let shutdownPending = state.withLock { state -> Bool in
            state.phase = .running
            state.port = listener.port
            state.mailbox = mailbox
            return state.shutdownPending
        }
        thread.start()
        if shutdownPending { shutdown() }
        return listener.port
    }

    /// The bound port while the server runs (and after it stopped), `nil` before `start()`.
    public var port: Int? {
        state.withLock { $0.port }
    }

    /// Starts a graceful shutdown and returns at once: stop accepting, close idle connections,
    /// let requests in flight finish (closing their connections after the answer), and after
    /// `shutdownGracePeriod` close whatever is left. `wait()` returns once it is done.
    /// Calling it again, or before `start()`, is harmless.
    public func shutdown() {
        let action = state.withLock { state -> (mailbox: LoopMailbox?, waiters: [CheckedContinuation<Void, Never>]) in
            switch state.phase {
            case .created:
                state.phase = .stopped
                defer { state.waiters = [] }
                return (nil, state.waiters)
            case .starting:
                state.shutdownPending = true
                return (nil, [])
            case .running:
                state.phase = .stopping
                return (state.mailbox, [])
            case .stopping, .stopped:
                return (nil, [])
            }
        }
        action.mailbox?.requestShutdown()
        for waiter in action.waiters { waiter.resume() }
    }

    /// Suspends until the server has stopped (returns at once if it is not running).
    public func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state -> Bool in
                switch state.phase {
                case .created, .stopped:
                    return true
                case .starting, .running, .stopping:
                    state.waiters.append(continuation)
                    return false
                }
            }
            if done { continuation.resume() }
        }
    }

    /// Called on the loop thread when the loop has closed everything.
    private func finished() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.phase = .stopped
            state.mailbox = nil
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
