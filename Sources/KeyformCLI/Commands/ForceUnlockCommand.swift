import KeyformCore
import KeyformJSON
import KeyformState

extension Command {
    static let forceUnlock = Command(
        name: "force-unlock", summary: "Remove a state lock left behind by an apply that is no longer running.",
        usage: "force-unlock LOCK_ID [--state PATH]",
        discussion: """
            The lock id is printed by the command that found the state locked. Only the lock with
            exactly this id is removed. A lock whose process has died on this host is taken over
            automatically; force-unlock is for the others (a job killed on another machine).
            """,
        positionals: 1,
        run: { arguments, context in
            guard let id = arguments.positionals.first, !id.isEmpty else {
                context.stderr.write("error: missing LOCK_ID\nRun 'keyform help force-unlock' for usage.\n")
                return CLI.ExitCode.usage
            }
            let location = stateLocation(arguments)
            if location.contains("://") {
                context.stderr.write("error: the state backend of '\(URLCredentials.redacted(location))' is not available in this build; give a file path\n")
                return CLI.ExitCode.failure
            }
            let store = FileStateStore(path: context.absolutePath(location), displayName: location)
            do {
                let holder = try store.currentLock()
                try store.forceUnlock(id: id)
                if let holder {
                    if holder.holderIsRunningHere {
                        context.stderr.write("warning: process \(holder.pid) that took the lock is still running on this host\n")
                    }
                    context.stdout.write("Removed lock \(id) from \(store.displayName) (held by \(holder.holderDescription)).\n")
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
                context.stderr.write(render(diagnostic))
                return CLI.ExitCode.failure
            } catch {
                context.stderr.write("error: \(error)\n")
                return CLI.ExitCode.failure
            }
        })

    /// Where the state is for this invocation, as the user names it: `--state PATH|URL`, else
    /// `keyform.state.json` (relative to the current directory). Configuration from
    /// `keyform.json` will be resolved here.
    static func stateLocation(_ arguments: ParsedArguments) -> String {
        arguments.value("state") ?? "keyform.state.json"
    }

    /// `path:line:column: error[KF123]: message`, then `note:` and `help:` lines.
    private static func render(_ diagnostic: Diagnostic) -> String {
        var text = ""
        if let location = diagnostic.location { text += "\(location.file):\(location.line):\(location.column): " }
        text += "\(diagnostic.severity.rawValue)[\(diagnostic.code)]: \(diagnostic.message)\n"
        for note in diagnostic.notes { text += "note: \(note.message)\n" }
        if let suggestion = diagnostic.suggestion { text += "help: \(suggestion)\n" }
        return text
    }
}
