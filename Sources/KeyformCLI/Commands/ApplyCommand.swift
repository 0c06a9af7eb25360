import Foundation
import KeyformCore
import KeyformJSON
import KeyformState

extension Command {
    static let apply = Command(
        name: "apply", summary: "Perform a plan against the console and record the result.",
        usage: "apply [PLANFILE | PATH] [--auto-approve] [--parallelism N] [--allow-delete] [--refresh | --no-refresh]",
        discussion: """
            With PATH (a manifest directory or file), plans as 'keyform plan' does, shows the
            plan and asks for 'yes' on a terminal (without one, --auto-approve is required).
            With PLANFILE (saved by 'keyform plan --out'), applies exactly that plan, and refuses
            it if the state changed since it was made or it was already applied.
            The state is locked for the whole apply and every completed action is recorded at
            once, so an interrupted apply loses nothing: run apply again to finish. SIGINT and
            SIGTERM start nothing new, let what is in flight finish, save, and exit 130; a
            second one stops at once, without waiting (the next apply recovers what was done).
            """,
        options: [
            .flag("auto-approve", "apply without asking for confirmation"),
            .value("parallelism", "N", "console requests in flight at once (default 4)"),
            .flag("allow-delete", "allow the plan to delete integrations"),
            .flag("refresh", "refresh the state from the console first (the default)"),
            .flag("no-refresh", "plan against the stored state alone"),
        ],
        positionals: 1,
        run: { arguments, context in await ApplyCommand.run(arguments, context) })
}

/// `keyform apply`: lock, plan (or load the saved plan), confirm, execute, save, unlock.
enum ApplyCommand {
    static func run(_ arguments: ParsedArguments, _ context: CommandContext) async -> Int32 {
        var parallelism = 4
        if let given = arguments.value("parallelism") {
            guard let n = Int(given), n >= 1, n <= 256 else {
                context.stderr.write("error: --parallelism takes a whole number from 1 to 256, not '\(given)'\n")
                return CLI.ExitCode.usage
            }
            parallelism = n
        }
        // Catch SIGINT/SIGTERM from the start: an interrupt while planning changes nothing, and
        // one while executing lets in-flight work finish and saves. A second one does not wait
        // for a slow console: it ends the process at once, as safely as a SIGKILL would (every
        // completed action is in the journal, and the next run takes over the lock of a process
        // that is gone).
        let monitor = InterruptMonitor(
            onInterrupt: { signal in
                context.stderr.write("\n\(signal) received: starting nothing new, waiting for what is in flight, then saving the state.\n")
            },
            onRepeat: { signal in
                context.stderr.write(
                    "\nSecond signal (\(signal)): stopping now, without waiting for what is in flight.\n"
                        + "Every completed action is recorded in the state's journal: run 'keyform apply' again to finish.\n")
                _exit(CLI.ExitCode.interrupted)
            })
        monitor.start()
        defer { monitor.stop() }
        let workspace = Workspace(arguments, context)
        if workspace.hasErrors {
            context.stderr.write(workspace.render(workspace.diagnostics))
            return CLI.ExitCode.failure
        }
        let savedPlan: Plan?
        switch loadSavedPlan(arguments.positionals.first, context) {
        case .none: savedPlan = nil
        case .plan(let plan):
            // What was decided when the plan was made cannot be changed when it is applied.
            let planning = ["allow-delete", "refresh", "no-refresh"].filter { arguments.flag($0) }
            if let option = planning.first {
                context.stderr.write(
                    "error: --\(option) has no effect on a saved plan: it was decided when the plan was made\n"
                        + "help: make the plan again with `keyform plan --\(option) --out FILE`, or apply without the option\n")
                return CLI.ExitCode.usage
            }
            savedPlan = plan
        case .failed(let message):
            context.stderr.write(message)
            return CLI.ExitCode.failure
        }

        let store: FileStateStore
        do throws(WorkspaceError) {
            store = try workspace.stateStore()
        } catch {
            context.stderr.write("\(error.description)\n")
            return CLI.ExitCode.failure
        }
        let lock = LockInfo.current(operation: "apply", environment: context.environment)
        do {
            try store.lock(lock)
        } catch {
            context.stderr.write(render(error))
            return CLI.ExitCode.failure
        }
        defer { try? store.unlock(id: lock.id) }

        if let refusal = workspace.missingConsoleRefusal(besides: store) {
            context.stderr.write(refusal)
            return CLI.ExitCode.failure
        }
        let console: OpenConsole
        do throws(WorkspaceError) {
            console = try workspace.provider(readOnly: false, stopRetrying: { monitor.isRaised })
        } catch {
            context.stderr.write("\(error.description)\n")
            return CLI.ExitCode.failure
        }
        defer { console.close() }

        let plan: Plan
        if let savedPlan {
            guard let file = arguments.positionals.first,
                let checked = await check(savedPlan, file: file, store: store, console: console.provider, context)
            else {
                return interruptedOr(CLI.ExitCode.failure, monitor, context)
            }
            plan = checked
        } else {
            guard let made = await PlanCommand.makePlan(workspace, console: console.provider, store: store) else {
                return interruptedOr(CLI.ExitCode.failure, monitor, context)
            }
            plan = made.plan
        }

        context.stdout.write(TextPlanRenderer(color: context.useColor).render(plan))
        if plan.hasChanges, savedPlan == nil, !arguments.flag("auto-approve") {
            guard confirm(context) else { return CLI.ExitCode.failure }
        }
        if monitor.isRaised { return interruptedOr(CLI.ExitCode.success, monitor, context) }
        let execution = ApplyExecution(
            plan: plan, store: store, provider: console.provider, parallelism: parallelism,
            recordPlanId: savedPlan != nil, monitor: monitor, context: context)
        return await execution.run()
    }

    /// `status`, unless an interrupt came before anything was applied: then 130, saying so.
    static func interruptedOr(_ status: Int32, _ monitor: InterruptMonitor, _ context: CommandContext) -> Int32 {
        guard monitor.isRaised else { return status }
        context.stderr.write("Interrupted before any change: nothing was applied.\n")
        return CLI.ExitCode.interrupted
    }

    /// Asks for "yes" on a terminal.
    static func confirm(_ context: CommandContext) -> Bool {
        guard context.stdin.isTerminal else {
            context.stderr.write(
                "error: apply needs a confirmation and there is no terminal to ask on\nhelp: review the plan and pass --auto-approve, or save it with 'keyform plan --out FILE' and run 'keyform apply FILE'\n")
            return false
        }
        context.stdout.write("\nDo you want to perform these actions? Only 'yes' will be accepted.\n  Enter a value: ")
        guard context.stdin.readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
            context.stderr.write("Apply cancelled: nothing was changed.\n")
            return false
        }
        return true
    }

    enum SavedPlanLoad {
        case none
        case plan(Plan)
        case failed(String)
    }

    /// A positional naming a file that is not a manifest is a saved plan.
    static func loadSavedPlan(_ positional: String?, _ context: CommandContext) -> SavedPlanLoad {
        guard let positional else { return .none }
        let bytes: [UInt8]
        do {
            bytes = try LocalFileSystem(currentDirectory: context.currentDirectory).readFile(at: positional)
        } catch {
            switch error {
            case .notFound, .isADirectory: return .none  // a manifest path, read as such
            default: return .failed("error[KF440]: cannot read \(positional): \(error.reason)\n")
            }
        }
        do {
            return .plan(try PlanFile.decode(bytes))
        } catch {
            // Not a plan: a manifest file (top-level "integrations") is a PATH.
            if let document = try? JSONDocument.parse(bytes, file: positional, allowDuplicateKeys: true),
                document.root["integrations"] != nil
            {
                return .none
            }
            let diagnostic = error.diagnostic(file: positional)
            return .failed(DiagnosticRenderer(sources: [positional: bytes]).render([diagnostic]))
        }
    }

    /// Refuses a saved plan that was applied already, made against another state or catalog, or
    /// that does not fit the state it names (`Plan.misfit(in:)`).
    static func check(
        _ plan: Plan, file: String, store: any StateStore, console: any ConsoleProvider, _ context: CommandContext
    ) async -> Plan? {
        let snapshot: StateSnapshot?
        do {
            snapshot = try store.read()
        } catch {
            context.stderr.write(render(error))
            return nil
        }
        let rerun = "help: run 'keyform plan --out FILE' again, review it, and apply the new plan"
        if let applied = snapshot?.state.lastAppliedPlan, applied == plan.id {
            context.stderr.write("error[KF450]: this plan (\(Diagnostic.displayable(plan.id))) was already applied\n\(rerun)\n")
            return nil
        }
        let current = (snapshot?.state.lineage, snapshot?.state.serial, snapshot?.digest)
        let planned = (plan.stateLineage, plan.stateSerial, plan.stateDigest)
        if current != planned || (snapshot?.replayedChanges ?? 0) > 0 {
            context.stderr.write("error[KF451]: the plan is stale: \(Self.staleness(plan, snapshot))\n\(rerun)\n")
            return nil
        }
        if let misfit = plan.misfit(in: snapshot?.state) {
            context.stderr.write(DiagnosticRenderer(sources: [:]).render([misfit.diagnostic(file: file)]))
            return nil
        }
        do {
            let catalog = try await console.catalog()
            if catalog.digest != plan.catalogDigest {
                context.stderr.write("error[KF452]: the plan is stale: the console's catalog changed since it was made\n\(rerun)\n")
                return nil
            }
        } catch {
            context.stderr.write(render(error))
            return nil
        }
        return plan
    }

    /// How the state differs from the one the plan was made against, most telling first: another
    /// state altogether (lineage), a later one (serial), or the same serial changed since (its
    /// digest, or changes recorded in the journal).
    static func staleness(_ plan: Plan, _ snapshot: StateSnapshot?) -> String {
        guard let snapshot else { return "it was made against a stored state, and there is none now" }
        guard let lineage = plan.stateLineage, let serial = plan.stateSerial else {
            return "it was made when there was no state, and there is one now (serial \(snapshot.state.serial))"
        }
        if lineage != snapshot.state.lineage {
            // The plan's lineage is read from a file: shown escaped, as every value from one.
            return "it was made against another state (lineage \(Diagnostic.displayable(lineage))), "
                + "not this one (lineage \(Diagnostic.displayable(snapshot.state.lineage))): "
                + "a plan from another workspace, or a state replaced since"
        }
        if serial != snapshot.state.serial {
            return "it was made against serial \(serial), and the state is now at serial \(snapshot.state.serial)"
        }
        return "the state at serial \(serial) changed after the plan was made (an apply recorded changes since)"
    }

    /// An error as `error[KF500]: could not <what>: …` (a state store error as its own diagnostic).
    /// - Parameter what: what the command was doing; other commands than apply say their own.
    static func render(_ error: any Error, doing what: String = "apply") -> String {
        DiagnosticRenderer(sources: [:]).render([PlanPipeline.diagnostic(for: error, doing: what)])
    }
}
