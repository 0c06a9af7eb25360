import Glibc
import Synchronization

/// How handler tasks and `shutdown()` talk to the event loop thread: a locked queue plus a
/// pipe whose read end the loop polls. A byte is written only when the queue goes from empty
/// to non-empty, so a burst of answers costs one wake-up.
final class LoopMailbox: Sendable {
    /// A handler's answer for the request in flight on connection `connectionID`.
    struct Completion: Sendable {
        var connectionID: UInt64
        var response: HTTPResponse
    }

    private struct State {
        var completions: [Completion] = []
        var wakePending = false
        var shutdownRequested = false
    }

    /// The pipe's read end, which the loop polls. Both ends are closed when the last task
    /// holding the mailbox is done, so a late answer never writes into a reused descriptor.
    let wakeDescriptor: Int32
    private let signalDescriptor: Int32
    private let state = Mutex(State())

    init() throws(HTTPServerError) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw .eventLoopFailed(errno: errno) }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        wakeDescriptor = ends[0]
        signalDescriptor = ends[1]
    }

    deinit {
        close(wakeDescriptor)
        close(signalDescriptor)
    }

    /// Queues an answer and wakes the loop.
    func post(_ completion: Completion) {
        let wake = state.withLock { state -> Bool in
            state.completions.append(completion)
            defer { state.wakePending = true }
            return !state.wakePending
        }
        if wake { signal() }
    }

    /// Asks the loop to shut down gracefully.
    func requestShutdown() {
        let wake = state.withLock { state -> Bool in
            state.shutdownRequested = true
            defer { state.wakePending = true }
            return !state.wakePending
        }
        if wake { signal() }
    }

    /// Takes everything queued (on the loop thread, once the pipe is readable).
    func take() -> (completions: [Completion], shutdownRequested: Bool) {
        var drain = [UInt8](repeating: 0, count: 64)
        while drain.withUnsafeMutableBytes({ read(wakeDescriptor, $0.baseAddress, $0.count) }) > 0 {}
        return state.withLock { state in
            defer {
                state.completions.removeAll(keepingCapacity: true)
                state.wakePending = false
            }
            return (state.completions, state.shutdownRequested)
        }
    }

    private func signal() {
        var byte: UInt8 = 1
        _ = write(signalDescriptor, &byte, 1)
    }
}
