import Foundation
import KeyformCore
import KeyformJSON

extension Command {
    static let show = Command(
        name: "show", summary: "Show the stored state, or a saved plan.",
        usage: "show [PLANFILE] [--json] [--markdown]",
        discussion: """
            Without PLANFILE, prints every integration the state records: ids, API key,
            services and event registrations (never a secret). With PLANFILE, prints the saved
            plan as text, JSON or Markdown.
            """,
        options: [
            .flag("json", "print JSON (the state document, or the plan's JSON)"),
            .flag("markdown", "print a saved plan as Markdown"),
        ],
        positionals: 1,
        run: { arguments, context in ShowCommand.run(arguments, context) })
}

enum ShowCommand {
    static func run(_ arguments: ParsedArguments, _ context: CommandContext) -> Int32 {
        if arguments.flag("json"), arguments.flag("markdown") {
            context.stderr.write("error: --json and --markdown cannot be used together\n")
            return CLI.ExitCode.usage
        }
        if let file = arguments.positionals.first {
            let bytes: [UInt8]
            do {
                bytes = try LocalFileSystem(currentDirectory: context.currentDirectory).readFile(at: file)
            } catch {
                context.stderr.write("error[KF440]: cannot read the plan file \(file): \(error.reason)\nhelp: name a plan saved with `keyform plan --out FILE`\n")
                return CLI.ExitCode.failure
            }
            let plan: Plan
            do {
                plan = try PlanFile.decode(bytes)
            } catch {
                var diagnostic = error.diagnostic(file: file)
                // Another of Keyform's files (the state, a manifest): say which, and what shows it.
                if case .notAPlan = error, let kind = KeyformFileKind(guessing: bytes), kind != .plan {
                    diagnostic.message = "'\(file)' is \(kind.described(file)), not a plan"
                    diagnostic.suggestion = "`keyform show PLANFILE` shows a plan written by `keyform plan --out PLANFILE`"
                }
                context.stderr.write(DiagnosticRenderer(sources: [file: bytes]).render([diagnostic]))
                return CLI.ExitCode.failure
            }
            context.stdout.write(PlanCommand.render(plan, arguments, context))
            return CLI.ExitCode.success
        }
        if arguments.flag("markdown") {
            context.stderr.write("error: --markdown applies to a saved plan: keyform show PLANFILE --markdown\n")
            return CLI.ExitCode.usage
        }
        guard let state = StateReading.read(arguments, context) else { return CLI.ExitCode.failure }
        if arguments.flag("json") {
            context.stdout.write(state.canonicalText())
            return CLI.ExitCode.success
        }
        var text = "State serial \(state.serial), lineage \(Diagnostic.displayable(state.lineage)): "
            + "\(state.integrations.count) integration\(state.integrations.count == 1 ? "" : "s")\n"
        for name in state.integrations.keys.sorted() {
            if let record = state.integrations[name] { text += "\n" + StateReading.describe(record) }
        }
        if !state.pendingCreates.isEmpty {
            text += "\nPending creates (the next plan looks them up): \(Diagnostic.displayable(state.pendingCreates.sorted().joined(separator: ", ")))\n"
        }
        context.stdout.write(text)
        return CLI.ExitCode.success
    }
}
