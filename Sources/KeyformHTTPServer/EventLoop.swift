import Foundation
import Glibc

/// The server's one I/O thread: a poll loop over the listening socket, the mailbox's wake-up
/// pipe and every connection (non-blocking sockets). It parses requests, starts a
/// task per request for the async handler, writes the answers the tasks post back, and sweeps
/// deadlines a few times per timeout. All its state is confined to the thread that runs it.
///
///     poll ─▶ listener readable  ─▶ accept … (503 and close beyond maxConnections)
///          ─▶ connection event   ─▶ recv ─▶ parse ─▶ Task { handler } ─┐
///          ─▶ mailbox pipe       ─▶ answers ─▶ serialize ─▶ send ◀──────┘
///          ─▶ every sweep        ─▶ 408 / close what is past its deadline
final class EventLoop {
    static let listenerKey: UInt64 = 0
    static let mailboxKey: UInt64 = 1

    let configuration: HTTPServer.Configuration
    let limits: RequestHeadLimits
    let handler: HTTPServer.Handler
    let mailbox: LoopMailbox
    /// Where handlers run (not the cooperative pool; see `HandlerExecutor`).
    let handlerExecutor = HandlerExecutor()
    var pollSet = PollSet()
    var listener: Int32?
    var connections: [UInt64: Connection] = [:]
    var nextID: UInt64 = 2
    var now: UInt64 = 0
    var acceptPausedUntil: UInt64?
    var shuttingDown = false
    var graceDeadline: UInt64 = 0
    var scratch = [UInt8](repeating: 0, count: 65536)
    private var dateSecond = -1
    private var dateText = ""

    init(listener: Int32, mailbox: LoopMailbox, configuration: HTTPServer.Configuration, handler: @escaping HTTPServer.Handler) {
        self.listener = listener
        self.mailbox = mailbox
        self.configuration = configuration
        self.handler = handler
        self.limits = RequestHeadLimits(
            maxRequestLineBytes: configuration.maxRequestLineBytes,
            maxHeaderBytes: configuration.maxHeaderBytes,
            maxHeaderFields: configuration.maxHeaderFields
        )
    }

    /// Runs until a graceful shutdown has drained every connection (or its grace period ran
    /// out), then closes every descriptor it owns.
    func run() {
        if let listener { pollSet.add(listener, key: Self.listenerKey, events: Self.readable) }
        pollSet.add(mailbox.wakeDescriptor, key: Self.mailboxKey, events: Self.readable)
        let sweepInterval = Self.sweepInterval(configuration)
        now = Self.monotonicNow()
        var nextSweep = now + sweepInterval
        while true {
            let timeout = Int32(clamping: (nextSweep > now ? nextSweep - now : 0) / 1_000_000 + 1)
            let ready = pollSet.wait(milliseconds: timeout)
            now = Self.monotonicNow()
            for (key, events) in ready {
                switch key {
                case Self.listenerKey: acceptConnections()
                case Self.mailboxKey: drainMailbox()
                default: connectionEvent(key: key, events: events)
                }
            }
            if now >= nextSweep {
                sweep()
                nextSweep = now + sweepInterval
            }
            if shuttingDown && (connections.isEmpty || now >= graceDeadline) { break }
        }
        for connection in Array(connections.values) { closeConnection(connection) }
        closeListener()
    }

    /// A quarter of the shortest timeout, between 10 ms and 250 ms.
    private static func sweepInterval(_ configuration: HTTPServer.Configuration) -> UInt64 {
        let shortest = [configuration.headerTimeout, configuration.bodyTimeout, configuration.idleTimeout, configuration.writeTimeout]
            .map(\.nanoseconds).min() ?? 1_000_000_000
        return min(250_000_000, max(10_000_000, shortest / 4))
    }

    static func monotonicNow() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    /// Accepts what is pending, up to 64 at a time so connections already open are not starved.
    private func acceptConnections() {
        guard let listener else { return }
        for _ in 0..<64 {
            let descriptor = accept(listener, nil, nil)
            if descriptor < 0 {
                switch errno {
                case EINTR, ECONNABORTED, EPROTO: continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    // Out of descriptors: stop accepting for a moment instead of spinning.
                    pollSet.remove(key: Self.listenerKey)
                    acceptPausedUntil = now + 100_000_000
                    return
                default: return
                }
            }
            if connections.count >= configuration.maxConnections {
                let refusal = ResponseSerializer.tooManyConnections()
                _ = refusal.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                close(descriptor)
                continue
            }
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
            var one: Int32 = 1
            _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let connection = Connection(
                id: nextID, descriptor: descriptor,
                phase: .head(deadline: now + configuration.headerTimeout.nanoseconds),
                interest: Self.readable
            )
            nextID += 1
            connections[connection.id] = connection
            pollSet.add(descriptor, key: connection.id, events: Self.readable)
        }
    }

    /// Writes the answers handlers posted, and starts a shutdown that was asked for.
    private func drainMailbox() {
        let (completions, shutdownRequested) = mailbox.take()
        if shutdownRequested && !shuttingDown { beginShutdown() }
        for completion in completions {
            guard let connection = connections[completion.connectionID] else { continue }
            answer(connection, with: completion.response)
        }
    }

    /// Stops accepting and closes the connections with no request being handled: idle ones,
    /// and ones still receiving a request (a half-sent head or body is not in flight, and a
    /// client that stalls must not hold the shutdown for its timeout). Requests in flight
    /// finish and their connections close after the answer.
    private func beginShutdown() {
        shuttingDown = true
        graceDeadline = now + configuration.shutdownGracePeriod.nanoseconds
        closeListener()
        for connection in Array(connections.values) {
            switch connection.phase {
            case .idle, .head, .body: closeConnection(connection)
            default: break
            }
        }
    }

    /// Times out what is past its deadline, and resumes accepting after a pause.
    private func sweep() {
        if let paused = acceptPausedUntil, now >= paused {
            acceptPausedUntil = nil
            if let listener, !shuttingDown { pollSet.add(listener, key: Self.listenerKey, events: Self.readable) }
        }
        for connection in Array(connections.values) {
            switch connection.phase {
            case .idle(let deadline), .writing(let deadline), .lingering(let deadline):
                if now >= deadline { closeConnection(connection) }
            case .head(let deadline):
                guard now >= deadline else { continue }
                if connection.hasPartialRequest {
                    refuse(connection, .headerTimeout(seconds: configuration.headerTimeout.seconds))
                } else {
                    closeConnection(connection)
                }
            case .body(_, let deadline):
                if now >= deadline { refuse(connection, .bodyTimeout(seconds: configuration.bodyTimeout.seconds)) }
            case .handling:
                continue
            }
        }
    }

    private func closeListener() {
        guard let listener else { return }
        pollSet.remove(key: Self.listenerKey)
        close(listener)
        self.listener = nil
    }

    /// The `date` field value, formatted once per second.
    var date: String {
        let second = HTTPDate.nowSeconds()
        if second != dateSecond {
            dateSecond = second
            dateText = HTTPDate.format(secondsSince1970: second)
        }
        return dateText
    }

    static let readable = Int16(POLLIN)
    static let writable = Int16(POLLOUT)

    func setInterest(_ connection: Connection, _ events: Int16) {
        guard connection.interest != events else { return }
        pollSet.update(key: connection.id, events: events)
        connection.interest = events
    }

    func closeConnection(_ connection: Connection) {
        pollSet.remove(key: connection.id)
        close(connection.descriptor)
        connections.removeValue(forKey: connection.id)
    }
}
