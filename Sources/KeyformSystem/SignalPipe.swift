#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Catches signals with a plain `sigaction` handler that writes the signal's number to a pipe,
/// and calls the handler registered for it on a thread of its own.
///
/// A signal is caught from the moment `catch` returns. (With `signal(SIG_IGN)` and a Dispatch
/// signal source, one that came before Dispatch had armed its source, which it does
/// asynchronously, was dropped: a server signalled right after it started never stopped.)
/// Writing one byte to a pipe is async-signal-safe; everything else runs on the reader thread.
public enum SignalPipe {
    /// The pipe's write end, for the C handler (which can capture nothing). Set once, under
    /// `state`'s lock, before any handler is installed; read only by the handler.
    nonisolated(unsafe) private static var writeEnd: Int32 = -1

    private struct State {
        var started = false
        var handlers: [Int32: @Sendable (Int32) -> Void] = [:]
    }

    private static let state = Mutex(State())

    /// Delivers each of `signals` to `handler` from now on, replacing an earlier handler for
    /// it; the signal's default action is suspended until `release`. Handlers run one at a
    /// time, in the order the signals came, on the reader thread.
    /// - Returns: false when no pipe or thread could be made (the signals keep their actions).
    @discardableResult
    public static func `catch`(_ signals: [Int32], handler: @escaping @Sendable (Int32) -> Void) -> Bool {
        state.withLock { state in
            if !state.started {
                guard let readEnd = openPipe(), startReader(readEnd) else { return false }
                state.started = true
            }
            for number in signals {
                state.handlers[number] = handler
                var action = sigaction()
                #if canImport(Glibc)
                action.__sigaction_handler.sa_handler = { number in
                    var byte = UInt8(truncatingIfNeeded: number)
                    _ = write(SignalPipe.writeEnd, &byte, 1)
                }
                #else
                action.__sigaction_u.__sa_handler = { number in
                    var byte = UInt8(truncatingIfNeeded: number)
                    _ = write(SignalPipe.writeEnd, &byte, 1)
                }
                #endif
                sigemptyset(&action.sa_mask)
                action.sa_flags = SA_RESTART
                sigaction(number, &action, nil)
            }
            return true
        }
    }

    /// Stops delivering `signals`; `restoringDefault` gives them back their default actions,
    /// else they stay caught and are dropped (ignored).
    public static func release(_ signals: [Int32], restoringDefault: Bool) {
        state.withLock { state in
            for number in signals {
                state.handlers[number] = nil
                if restoringDefault { signal(number, SIG_DFL) }
            }
        }
    }

    private static func openPipe() -> Int32? {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return nil }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        // A full pipe drops a signal rather than blocking the interrupted thread.
        _ = fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK)
        writeEnd = ends[1]
        return ends[0]
    }

    private static func startReader(_ readEnd: Int32) -> Bool {
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { context in
            let readEnd = Int32(Int(bitPattern: context))
            var byte: UInt8 = 0
            while true {
                let count = read(readEnd, &byte, 1)
                if count == 1 {
                    let number = Int32(byte)
                    if let handler = SignalPipe.state.withLock({ $0.handlers[number] }) { handler(number) }
                } else if count < 0, errno == EINTR {
                    continue
                } else {
                    return nil
                }
            }
        }, UnsafeMutableRawPointer(bitPattern: Int(readEnd)))
        guard started == 0 else { return false }
        pthread_detach(thread)
        return true
    }
}
