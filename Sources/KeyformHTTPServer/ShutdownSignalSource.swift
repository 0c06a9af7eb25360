import Dispatch
import Glibc
import KeyformSystem
import Synchronization

/// Catches signals (SIGTERM by default) through `SignalPipe` and turns the first one into an action,
/// such as a graceful server shutdown; a second one (of any of them) ends the process at once,
/// by that signal, as a second Ctrl-C does elsewhere. The signals' default actions are
/// suspended until `cancel()`; keep the value alive as long as the signals should be caught.
public final class ShutdownSignalSource: Sendable {
    private let signals: [Int32]

    /// Starts catching `signals`; `action` runs once, on a Dispatch queue, with the first signal
    /// received.
    public init(signals: [Int32] = [SIGTERM], action: @escaping @Sendable (Int32) -> Void) {
        self.signals = signals
        let fired = Mutex(false)
        SignalPipe.catch(signals) { number in
            let first = fired.withLock { fired -> Bool in
                defer { fired = true }
                return !fired
            }
            guard first else { Self.dieBy(number) }
            // Off the signal thread, so that a second signal is seen while the action runs.
            DispatchQueue.global().async { action(number) }
        }
    }

    /// Ends the process by `number`, as its default action would: the catching is undone and
    /// the signal unblocked on this thread first, then raised; should
    /// the process still run, it exits with 128 + the signal, as a shell reports it.
    private static func dieBy(_ number: Int32) -> Never {
        signal(number, SIG_DFL)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, number)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        raise(number)
        _exit(128 + number)
    }

    /// Stops catching the signals and restores their default actions.
    public func cancel() {
        SignalPipe.release(signals, restoringDefault: true)
    }
}

extension HTTPServer {
    /// Shuts the server down gracefully on the first of `signals` (SIGTERM by default).
    /// - Parameter onSignal: called first with the signal, e.g. to print "shutting down".
    /// - Returns: the source; keep it, and `cancel()` it to stop catching the signals.
    public func shutdownOnSignals(
        _ signals: [Int32] = [SIGTERM],
        onSignal: @escaping @Sendable (Int32) -> Void = { _ in }
    ) -> ShutdownSignalSource {
        ShutdownSignalSource(signals: signals) { [self] number in
            onSignal(number)
            shutdown()
        }
    }
}
