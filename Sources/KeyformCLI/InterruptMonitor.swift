import Dispatch
import Foundation

/// Turns SIGINT and SIGTERM into a flag that long-running commands poll: apply starts nothing
/// new once it is raised, lets in-flight work finish, saves, and exits 130. A second signal
/// (of either) is for the impatient, as a second Ctrl-C is in Terraform: `onRepeat` runs.
final class InterruptMonitor: @unchecked Sendable {
    // @unchecked: `raised` and `sources` are only touched under `lock`.
    private let lock = NSLock()
    private var raised = false
    private var signalName: String?
    private var sources: [any DispatchSourceSignal] = []
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
        lock.withLock {
            for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { [weak self] in self?.raise(name) }
                source.resume()
                sources.append(source)
            }
        }
    }

    /// Stops watching. The signals stay ignored: Dispatch installs its handler only once per
    /// signal and process, so restoring the default action here could not be undone by a later
    /// `start` (the signal would then be fatal). The process is about to exit anyway.
    func stop() {
        lock.withLock {
            for source in sources { source.cancel() }
            sources.removeAll()
        }
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
