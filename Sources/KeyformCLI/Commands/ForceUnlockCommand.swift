import KeyformCore
import KeyformJSON
import KeyformState

extension Command {
    static let forceUnlock = Command(
        name: "force-unlock", summary: "Remove a state lock left behind by an apply that is no longer running.",
        usage: "force-unlock [--force] LOCK_ID [--state PATH]",
        discussion: """
            The lock id is printed by the command that found the state locked. Only the lock with
            exactly this id is removed. A lock whose process has died on this host is taken over
            automatically; force-unlock is for the others (a job killed on another machine).
            The state is the one every other command uses: --state PATH, else "state" in
            keyform.json (found here or above), else keyform.state.json.
            """,
        // Terraform scripts say `force-unlock -force ID` to skip its prompt; there is none here.
        options: [.flag("force", "accepted for scripts written for Terraform; force-unlock never asks for confirmation")],
        positionals: 1,
        run: { arguments, context in ForceUnlockCommand.run(arguments, context) })
}

enum ForceUnlockCommand {
    static func run(_ arguments: ParsedArguments, _ context: CommandContext) -> Int32 {
        guard let id = arguments.positionals.first, !id.isEmpty else {
            context.stderr.write("error: missing LOCK_ID\nRun 'keyform help force-unlock' for usage.\n")
            return CLI.ExitCode.usage
        }
        // The same state as the apply that took the lock: keyform.json's path counts, or the
        // id printed by a locked apply would be looked for in another file.
        let workspace = Workspace(arguments, context)
        if workspace.hasErrors {
            context.stderr.write(workspace.render(workspace.diagnostics))
            return CLI.ExitCode.failure
        }
        let store: FileStateStore
        do {
            store = try workspace.stateStore()
        } catch {
            context.stderr.write("\(error.description)\n")
            return CLI.ExitCode.failure
        }
        do {
            let holder = try store.currentLock()
            try store.forceUnlock(id: id)
            if let holder {
                if holder.holderIsRunningHere {
                    context.stderr.write("warning: process \(holder.pid) that took the lock is still running on this host\n")
                }
                context.stdout.write(
                    Diagnostic.displayable("Removed lock \(id) from \(store.displayName) (held by \(holder.holderDescription)).") + "\n")
            }
            return CLI.ExitCode.success
        } catch let error as StateStoreError {
            var diagnostic = error.diagnostic
            if case .noSuchLock = error {
                diagnostic.message += " on \(store.displayName)"
                diagnostic.suggestion = nil
                let current = try? store.currentLock()
                diagnostic.notes.append(Diagnostic.Note(
                    current.map { "the state is locked by \($0.holderDescription) (lock \($0.id))" } ?? "the state is not locked"))
            }
            context.stderr.write(DiagnosticRenderer(sources: [:]).render(diagnostic))
            return CLI.ExitCode.failure
        } catch {
            context.stderr.write(ApplyCommand.render(error, doing: "remove the lock"))
            return CLI.ExitCode.failure
        }
    }
}
