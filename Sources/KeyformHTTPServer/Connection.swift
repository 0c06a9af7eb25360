/// One accepted socket and where it is in the request/answer cycle; owned by the event loop
/// thread and never touched elsewhere.
///
///     accept ─▶ head ─▶ body ─▶ handling ─▶ writing ─▶ idle ─▶ head …   (keep-alive)
///                 │       │                    │
///                 └───────┴─ refused (4xx) ────┴─▶ lingering ─▶ closed  (connection ends)
final class Connection {
    /// The phase and the monotonic instant (ns) at which it times out.
    enum Phase {
        /// Keep-alive, between requests, nothing received yet.
        case idle(deadline: UInt64)
        /// Reading the request line and headers.
        case head(deadline: UInt64)
        /// Reading a `Content-Length` body.
        case body(RequestHead, deadline: UInt64)
        /// The handler runs; nothing is read until it answers (no deadline).
        case handling(RequestHead, requestId: String)
        /// Sending an answer the socket did not take at once.
        case writing(deadline: UInt64)
        /// After a refusal: our side is shut, the client's leftovers are read and dropped so
        /// that closing does not reset the connection before the answer is read.
        case lingering(deadline: UInt64)
    }

    let id: UInt64
    let descriptor: Int32
    var phase: Phase
    /// Bytes received and not yet consumed (a partial head or body, or pipelined requests).
    var input: [UInt8] = []
    /// The answer being sent, and how much of it is sent.
    var output: [UInt8] = []
    var outputOffset = 0
    /// What to do once `output` is sent.
    var closeAfterWrite = false
    var lingerAfterWrite = false
    /// The poll events currently watched.
    var interest: Int16

    init(id: UInt64, descriptor: Int32, phase: Phase, interest: Int16) {
        self.id = id
        self.descriptor = descriptor
        self.phase = phase
        self.interest = interest
    }

    /// Whether a request has begun arriving (anything but the empty lines allowed before one).
    var hasPartialRequest: Bool {
        input.contains { $0 != ASCII.cr && $0 != ASCII.lf }
    }
}
