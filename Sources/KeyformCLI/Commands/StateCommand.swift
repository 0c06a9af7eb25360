import Foundation
import KeyformCore
import KeyformJSON
import KeyformState

extension Command {
    static let state = Command(
        name: "state", summary: "Inspect or change the stored state: list, show, rm, pull, push.",
        usage: "state list | state show NAME | state rm NAME | state pull | state push [--force] FILE",
        discussion: """
            list      the integrations the state records, one name a line
            show NAME one integration: ids, API key, services, registrations
            rm NAME   forget an integration (the console keeps it; Keyform stops managing it)
            pull      print the state document (JSON) to stdout
            push FILE replace the stored state with FILE (same lineage, serial not older;
                      --force accepts an older serial, to restore a backup)
            rm and push take the state lock.
            """,
        options: [.flag("force", "push: accept a FILE older than the stored state (restoring a .backup)")],
        positionals: 2,
        run: { arguments, context in StateCommand.run(arguments, context) })
}

enum StateCommand {
    static let subcommands = ["list", "show", "rm", "pull", "push"]
    static let seeHelp = "Run 'keyform help state' for usage.\n"

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) -> Int32 {
        guard let sub = arguments.positionals.first else {
            context.stderr.write("error: 'keyform state' needs a subcommand: \(subcommands.joined(separator: ", "))\n\(seeHelp)")
            return CLI.ExitCode.usage
        }
        guard subcommands.contains(sub) else {
            var message = "error: unknown state subcommand '\(sub)'"
            if let guess = Suggestion.closest(to: sub, among: subcommands) { message += "\nhelp: did you mean '\(guess)'?" }
            context.stderr.write(message + "\n" + seeHelp)
            return CLI.ExitCode.usage
        }
        let operand = arguments.positionals.dropFirst().first
        let needsOperand = ["show", "rm", "push"].contains(sub)
        if needsOperand != (operand != nil) {
            context.stderr.write("error: usage: keyform state \(sub)\(needsOperand ? (sub == "push" ? " FILE" : " NAME") : "")\n\(seeHelp)")
            return CLI.ExitCode.usage
        }
        if arguments.flag("force"), sub != "push" {
            context.stderr.write("error: --force applies to 'keyform state push FILE' only\n\(seeHelp)")
            return CLI.ExitCode.usage
        }
        switch sub {
        case "list":
            guard let state = StateReading.read(arguments, context) else { return CLI.ExitCode.failure }
            for name in state.integrations.keys.sorted() { context.stdout.write(Diagnostic.displayable(name) + "\n") }
        case "show":
            guard let state = StateReading.read(arguments, context),
                let record = StateReading.record(operand ?? "", in: state, context)
            else { return CLI.ExitCode.failure }
            context.stdout.write(StateReading.describe(record))
        case "pull":
            guard let state = StateReading.read(arguments, context) else { return CLI.ExitCode.failure }
            context.stdout.write(state.canonicalText())
        case "rm":
            // Read first: with no state (or no such name) there is nothing to lock.
            guard let state = StateReading.read(arguments, context), StateReading.record(operand ?? "", in: state, context) != nil else {
                return CLI.ExitCode.failure
            }
            return locked(arguments, context, operation: "state rm") { store, snapshot in
                guard var state = snapshot?.state else { return "no state at \(store.displayName)" }
                guard let record = StateReading.record(operand ?? "", in: state, context) else { return "" }
                state.integrations[record.name] = nil
                try store.write(state, expectedSerial: state.serial)
                context.stdout.write(
                    "Removed '\(Diagnostic.displayable(record.name))' from the state. The console still holds it; Keyform no longer manages it.\n")
                return nil
            }
        default:
            return push(operand ?? "", arguments, context)
        }
        return CLI.ExitCode.success
    }

    static func push(_ file: String, _ arguments: ParsedArguments, _ context: CommandContext) -> Int32 {
        let bytes: [UInt8]
        do {
            bytes = try LocalFileSystem(currentDirectory: context.currentDirectory).readFile(at: file)
        } catch {
            context.stderr.write("error[KF420]: cannot read \(file): \(error.reason)\nhelp: name a state file, such as one written by `keyform state pull`\n")
            return CLI.ExitCode.failure
        }
        let pushed: StateDocument
        do {
            pushed = try StateDocument(decoding: bytes, path: file)
        } catch {
            // Another of Keyform's files: say which, rather than its first unknown member.
            if case .corrupt(_, let diagnostic) = error, diagnostic.code == "KF421",
                let kind = KeyformFileKind(guessing: bytes), kind != .state
            {
                context.stderr.write(DiagnosticRenderer(sources: [:]).render(.error(
                    "KF421", "\(file) is \(kind.described(file)), not a state",
                    suggestion: "`keyform state push` takes a state file, such as one written by `keyform state pull`")))
                return CLI.ExitCode.failure
            }
            context.stderr.write(DiagnosticRenderer(sources: [file: bytes]).render([error.diagnostic]))
            return CLI.ExitCode.failure
        }
        return locked(arguments, context, operation: "state push") { store, snapshot in
            if let stored = snapshot?.state {
                if stored.lineage != pushed.lineage {
                    return "\(file) has lineage \(Diagnostic.displayable(pushed.lineage)), the stored state \(Diagnostic.displayable(stored.lineage)): "
                        + "they are different states\n"
                        + "help: check that --state (or \"state\" in keyform.json) names the state you mean; "
                        + "to replace it with another state, move \(store.displayName) away first"
                }
                if pushed.serial < stored.serial, !arguments.flag("force") {
                    return "\(file) has serial \(pushed.serial), older than the stored state's \(stored.serial)\n"
                        + "help: to go back to it on purpose (restoring a .backup), run `keyform state push --force \(file)`"
                }
            }
            try store.write(pushed, expectedSerial: snapshot?.state.serial)
            context.stdout.write("Pushed \(file) to the state.\n")
            return nil
        }
    }

    /// Runs `body` holding the state lock; `body` returns an error message or nil.
    static func locked(
        _ arguments: ParsedArguments, _ context: CommandContext, operation: String,
        _ body: (FileStateStore, StateSnapshot?) throws -> String?
    ) -> Int32 {
        let workspace = Workspace(arguments, context)
        if workspace.hasErrors {
            // Never write a state somewhere a broken keyform.json did not mean.
            context.stderr.write(workspace.render(workspace.diagnostics))
            return CLI.ExitCode.failure
        }
        do {
            let store = try workspace.stateStore()
            let lock = LockInfo.current(operation: operation, environment: context.environment)
            try store.lock(lock)
            defer { try? store.unlock(id: lock.id) }
            if let message = try body(store, try store.read()) {
                if !message.isEmpty { context.stderr.write("error[KF461]: \(message)\n") }
                return CLI.ExitCode.failure
            }
            return CLI.ExitCode.success
        } catch let error as WorkspaceError {
            context.stderr.write("\(error.description)\n")
        } catch {
            context.stderr.write(ApplyCommand.render(error, doing: "write the state"))
        }
        return CLI.ExitCode.failure
    }
}
