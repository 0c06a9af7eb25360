import Foundation
import KeyformSystem

/// Turns SIGINT and SIGTERM into a flag that long-running commands poll: apply starts nothing
/// new once it is raised, lets in-flight work finish, saves, and exits 130. A second signal
/// (of either) is for the impatient, as a second Ctrl-C is in Terraform: `onRepeat` runs.
final class InterruptMonitor: @unchecked Sendable {
    // @unchecked: `raised` and `signalName` are only touched under `lock`.
    private let lock = NSLock()
    private var raised = false
    private var signalName: String?
    private let onInterrupt: @Sendable (String) -> Void
    private let onRepeat: @Sendable (String) -> Void

    /// - Parameters:
    ///   - onInterrupt: called once, on the first signal, with its name.
    ///   - onRepeat: called on every later signal, with its name (apply ends the process).
    init(onInterrupt: @escaping @Sendable (String) -> Void = { _ in }, onRepeat: @escaping @Sendable (String) -> Void = { _ in }) {
        self.onInterrupt = onInterrupt
        self.onRepeat = onRepeat
    }

    /// Starts catching SIGINT and SIGTERM (their default actions are suspended until `stop`).
    func start() {
        SignalPipe.catch([SIGINT, SIGTERM]) { [weak self] number in self?.raise(number == SIGINT ? "SIGINT" : "SIGTERM") }
    }

    /// Stops watching. The signals stay caught and are dropped from then on: the process is
    /// about to exit, and a late Ctrl-C must not cut short the saving of the state.
    func stop() {
        SignalPipe.release([SIGINT, SIGTERM], restoringDefault: false)
    }

    func raise(_ name: String) {
        let first = lock.withLock { () -> Bool in
            defer { raised = true; signalName = signalName ?? name }
            return !raised
        }
        if first { onInterrupt(name) } else { onRepeat(name) }
    }

    var isRaised: Bool { lock.withLock { raised } }
}
