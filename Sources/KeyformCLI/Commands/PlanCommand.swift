import Foundation
import KeyformCore
import KeyformJSON

extension Command {
    static let plan = Command(
        name: "plan", summary: "Show what apply would change: create, update, subscribe, register, delete.",
        usage: "plan [PATH] [--out FILE] [--json] [--markdown] [--detailed-exitcode] [--refresh | --no-refresh] [--allow-delete]",
        discussion: """
            Compares the manifests under PATH with the stored state and prints the actions that
            would bring the console in line. By default the state is first refreshed from the
            console, and changes made outside Keyform are reported as drift. --out saves the plan
            for 'keyform apply FILE', which then applies exactly what was reviewed.
            Exit status: 0 success; 1 error; with --detailed-exitcode, 2 when there are changes.
            """,
        options: [
            .value("out", "FILE", "save the plan to FILE for 'keyform apply FILE'"),
            .flag("json", "print the plan as JSON (schemas/plan.schema.json)"),
            .flag("markdown", "print the plan as Markdown, for a pull-request comment"),
            .flag("detailed-exitcode", "exit 2 when the plan has changes, 0 when it has none"),
            .flag("refresh", "refresh the state from the console first (the default)"),
            .flag("no-refresh", "diff against the stored state alone"),
            .flag("allow-delete", "allow the plan to delete integrations"),
        ],
        positionals: 1,
        run: { arguments, context in await PlanCommand.run(arguments, context) })
}

/// `keyform plan`.
enum PlanCommand {
    static func run(_ arguments: ParsedArguments, _ context: CommandContext) async -> Int32 {
        if arguments.flag("json"), arguments.flag("markdown") {
            context.stderr.write("error: --json and --markdown cannot be used together\n")
            return CLI.ExitCode.usage
        }
        if arguments.flag("refresh"), arguments.flag("no-refresh") {
            context.stderr.write("error: --refresh and --no-refresh cannot be used together\n")
            return CLI.ExitCode.usage
        }
        let workspace = Workspace(arguments, context)
        // Where the plan goes is checked first: no plan is made only to be refused.
        var output: PlanOutput?
        if let out = arguments.value("out") {
            do throws(PlanOutput.Refusal) {
                output = try PlanOutput(out, workspace)
            } catch {
                context.stderr.write(error.message + "\n")
                return CLI.ExitCode.failure
            }
        }
        guard let made = await makePlan(workspace, readOnlyConsole: true) else { return CLI.ExitCode.failure }
        let code = respond(made.plan, output: output, arguments, context)
        BackgroundRelease.release(consume made)
        return code
    }

    /// Saves and prints the plan.
    private static func respond(_ plan: Plan, output: PlanOutput?, _ arguments: ParsedArguments, _ context: CommandContext) -> Int32 {
        if let output {
            do throws(PlanOutput.Refusal) {
                try output.write(PlanFile.encode(plan))
            } catch {
                context.stderr.write(error.message + "\n")
                return CLI.ExitCode.failure
            }
        }
        context.stdout.write(render(plan, arguments, context))
        if !arguments.flag("json"), !arguments.flag("markdown") {
            if let out = arguments.value("out") {
                context.stdout.write("\nSaved the plan to \(out). To perform exactly these actions: keyform apply \(out)\n")
            }
        }
        if arguments.flag("detailed-exitcode"), plan.hasChanges { return CLI.ExitCode.changesPresent }
        return CLI.ExitCode.success
    }

    /// The plan as `--json`, `--markdown` or text (coloured on a terminal) asks.
    static func render(_ plan: Plan, _ arguments: ParsedArguments, _ context: CommandContext) -> String {
        if arguments.flag("json") { return JSONPlanRenderer().render(plan) }
        if arguments.flag("markdown") { return MarkdownPlanRenderer().render(plan) }
        return TextPlanRenderer(color: context.useColor).render(plan)
    }

    /// A plan and what it was made from.
    struct Made {
        var plan: Plan
        var outcome: PlanPipeline.Outcome
    }

    /// Runs the plan pipeline for a command, printing diagnostics and notes to stderr.
    /// - Returns: nil after printing why there is no plan.
    static func makePlan(_ workspace: Workspace, readOnlyConsole: Bool) async -> Made? {
        let context = workspace.context
        if workspace.hasErrors {
            context.stderr.write(workspace.render(workspace.diagnostics))
            return nil
        }
        let console: OpenConsole
        let stateStore: any StateStore
        do throws(WorkspaceError) {
            stateStore = try workspace.stateStore()
            if let refusal = workspace.missingConsoleRefusal(besides: stateStore) {
                context.stderr.write(refusal)
                return nil
            }
            console = try workspace.provider(readOnly: readOnlyConsole, catalogFirst: workspace.arguments.flag("no-refresh"))
        } catch {
            context.stderr.write("\(error.description)\n")
            return nil
        }
        defer { console.close() }
        return await makePlan(workspace, console: console.provider, store: stateStore)
    }

    /// Runs the plan pipeline against an open console and store.
    static func makePlan(_ workspace: Workspace, console: any ConsoleProvider, store: any StateStore) async -> Made? {
        let context = workspace.context
        var pipeline = PlanPipeline(
            manifestPath: workspace.manifestPath, fileSystem: workspace.fileSystem,
            environment: context.environment, provider: console, store: store,
            refresh: !workspace.arguments.flag("no-refresh"), allowDelete: workspace.allowDelete)
        pipeline.recordsStateDigest = workspace.arguments.value("out") != nil || workspace.arguments.flag("json")
        let outcome = await pipeline.run(planId: UUID().uuidString.lowercased(), createdAt: Timestamp.now())
        for note in outcome.notes { context.stderr.write("note: \(note)\n") }
        let shown = workspace.diagnostics + outcome.diagnostics
        if !shown.isEmpty { context.stderr.write(workspace.render(shown, manifests: outcome.manifests)) }
        guard let plan = outcome.plan, !outcome.hasErrors else { return nil }
        return Made(plan: plan, outcome: outcome)
    }

}

/// ISO 8601 UTC timestamps, for plans and progress.
enum Timestamp {
    /// `2025-01-31T09:05:00Z`: what `ISO8601DateFormatter` with `.withInternetDateTime` writes,
    /// without creating a formatter (which costs more than the rest of a small plan).
    static func now() -> String {
        format(secondsSince1970: Int(Date().timeIntervalSince1970.rounded(.down)))
    }

    static func format(secondsSince1970 seconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        guard gmtime_r(&time, &parts) != nil else {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime]
            return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        }
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
