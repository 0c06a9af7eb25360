import Foundation
import KeyformCore
import KeyformJSON

/// Runs a reviewed plan: makes sure a state exists, records the plan's state refresh, executes
/// the actions with progress lines, saves the state once at the end (every action was already
/// durable in the journal), and prints the summary.
struct ApplyExecution {
    var plan: Plan
    var store: any StateStore
    var provider: any ConsoleProvider
    var parallelism: Int
    /// Record the plan's id in the state, so applying the same saved plan again is refused.
    var recordPlanId: Bool
    /// Raised by SIGINT/SIGTERM: nothing new starts.
    var monitor: InterruptMonitor
    var context: CommandContext

    func run() async -> Int32 {
        let steps = ApplyStep.steps(for: plan)
        if steps.isEmpty, plan.stateRefresh.isEmpty {
            // A saved plan is applied once, changes or not: its id goes into the state.
            if recordPlanId {
                do {
                    var state = try existingOrNewState()
                    let expectedSerial = state.serial
                    state.lastAppliedPlan = plan.id
                    try store.write(state, expectedSerial: expectedSerial)
                } catch {
                    context.stderr.write(ApplyCommand.render(error))
                    return CLI.ExitCode.failure
                }
            }
            context.stdout.write("\nApply complete: nothing to do.\n")
            return CLI.ExitCode.success
        }
        var state: StateDocument
        let journal: any StateJournal
        do {
            state = try existingOrNewState()
            journal = try store.openJournal()
            for change in plan.stateRefresh {
                try journal.append(change)
                change.apply(to: &state)
            }
        } catch {
            context.stderr.write(ApplyCommand.render(error))
            return CLI.ExitCode.failure
        }
        let expectedSerial = state.serial

        let progress = ProgressPrinter(output: context.stdout)
        let executor = ApplyExecutor(
            provider: provider, journal: journal, state: state, parallelism: parallelism,
            retryPolicy: provider.handlesTransientFailures ? .none : RetryPolicy(),
            shouldStop: { monitor.isRaised }, onEvent: { progress.handle($0) })
        if !steps.isEmpty { context.stdout.write("\n") }
        let result = await executor.run(steps)

        var final = result.state
        if recordPlanId { final.lastAppliedPlan = plan.id }
        final.keyformVersion = CLI.version
        do {
            try store.write(final, expectedSerial: expectedSerial)
            try journal.close()
        } catch {
            context.stderr.write(ApplyCommand.render(error))
            context.stderr.write("note: every completed action is in the journal; the next run recovers it\n")
            return CLI.ExitCode.failure
        }

        context.stdout.write(summary(result))
        for (step, error) in result.failed {
            if case ApplyError.webhookNotVerified(let url, let status) = error {
                context.stderr.write(Self.unverifiedWebhook(step, url: url, status: status))
            } else {
                context.stderr.write("error[KF501]: \(Diagnostic.displayable(step.address)): \(step.operation.verb) failed: \(describe(error))\n")
            }
        }
        if monitor.isRaised { return CLI.ExitCode.interrupted }
        return result.failed.isEmpty ? CLI.ExitCode.success : CLI.ExitCode.failure
    }

    /// The stored state, or a new empty one written first (the journal needs a state to follow).
    private func existingOrNewState() throws -> StateDocument {
        if let snapshot = try store.read() { return snapshot.state }
        let fresh = StateDocument(lineage: UUID().uuidString.lowercased(), keyformVersion: CLI.version)
        try store.write(fresh, expectedSerial: nil)
        guard let written = try store.read() else { return fresh }
        return written.state
    }

    /// KF502: the step's registration exists (the state records it), but the console could not
    /// verify its webhook. The status comes from the network: shown escaped.
    static func unverifiedWebhook(_ step: ApplyStep, url: String, status: String) -> String {
        let done = if case .register = step.operation { "registered" } else { "updated" }
        let shownURL = Diagnostic.displayable(url)
        let challenge = shownURL + (shownURL.contains("?") ? "&" : "?") + "challenge=…"
        return "error[KF502]: \(Diagnostic.displayable(step.address)): \(done), but the console could not verify the webhook (\(Diagnostic.displayable(status)))\n"
            + "help: \(shownURL) must answer GET \(challenge) with 200 and the challenge (as text, or as {\"challenge\": …});"
            + " the next `keyform apply` asks the console to verify it again\n"
    }

    private func summary(_ result: ApplyExecutor.Result) -> String {
        var text = "\nApply complete: \(result.succeeded.count) succeeded, \(result.failed.count) failed, \(result.skipped.count) skipped"
        if !result.notStarted.isEmpty { text += ", \(result.notStarted.count) not started (interrupted)" }
        text += ".\n"
        for (step, because) in result.skipped {
            text += "  skipped \(Diagnostic.displayable(step.address)) (\(step.operation.verb)): \(because) failed\n"
        }
        if !result.notStarted.isEmpty {
            text += "Run 'keyform apply' again to finish: the state records everything that was done.\n"
        }
        return text
    }
}

func describe(_ error: any Error) -> String {
    switch error {
    case let error as ConsoleError: error.userMessage
    case let error as StateStoreError: error.description
    case ApplyError.unknownIntegration(let name): "the state does not know '\(name)' (its create did not complete)"
    case ApplyError.webhookNotVerified(_, let status):
        "the console could not verify the webhook (\(Diagnostic.displayable(status)))"
    default: Diagnostic.displayable(String(describing: error))
    }
}

/// Prints one line per step start and end, Terraform-style, with elapsed times.
final class ProgressPrinter: @unchecked Sendable {
    // @unchecked: `started` is guarded by `lock`; the output sink is thread-safe.
    private let lock = NSLock()
    private var started: [String: Date] = [:]
    private let output: any OutputSink

    init(output: any OutputSink) {
        self.output = output
    }

    func handle(_ event: ApplyExecutor.Event) {
        switch event {
        case .started(let step):
            lock.withLock { started[step.id] = Date() }
            output.write("\(Diagnostic.displayable(step.address)): \(step.operation.verb)…\n")
        case .succeeded(let step, let detail):
            let elapsed = elapsed(step)
            // The detail quotes the console (an API key, a registration id): shown escaped.
            let shown = detail.map { " (\(Diagnostic.displayable($0)))" } ?? ""
            output.write("\(Diagnostic.displayable(step.address)): \(step.operation.verb) complete after \(elapsed)\(shown)\n")
        case .failed(let step, ApplyError.interrupted):
            output.write("\(Diagnostic.displayable(step.address)): \(step.operation.verb) not sent after \(elapsed(step)) (interrupted)\n")
        case .failed(let step, _):
            output.write("\(Diagnostic.displayable(step.address)): \(step.operation.verb) FAILED after \(elapsed(step))\n")
        case .retrying(let step, let error, let delay):
            output.write("\(Diagnostic.displayable(step.address)): \(error.userMessage); retrying in \(String(format: "%.1f", delay))s\n")
        }
    }

    /// `1.2s`: seconds to one decimal (as `%.1f` writes them, without `String(format:)`,
    /// which costs more than the rest of a progress line).
    private func elapsed(_ step: ApplyStep) -> String {
        let start = lock.withLock { started.removeValue(forKey: step.id) } ?? Date()
        let tenths = Int((max(0, Date().timeIntervalSince(start)) * 10).rounded(.toNearestOrEven))
        return "\(tenths / 10).\(tenths % 10)s"
    }
}
