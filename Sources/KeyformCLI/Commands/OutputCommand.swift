import KeyformCore
import KeyformJSON

extension Command {
    static let output = Command(
        name: "output", summary: "Print API keys and console ids (never secrets).",
        usage: "output [NAME] [--json]",
        discussion: """
            Without NAME, lists every integration's API key. With NAME, prints that API key
            alone (for scripts: KEY=$(keyform output web)), or its ids with --json.
            API keys are public client ids; client secrets never leave the console.
            """,
        options: [.flag("json", "print JSON: API key and console ids")],
        positionals: 1,
        run: { arguments, context in OutputCommand.run(arguments, context) })
}

enum OutputCommand {
    static func run(_ arguments: ParsedArguments, _ context: CommandContext) -> Int32 {
        guard let state = StateReading.read(arguments, context) else { return CLI.ExitCode.failure }
        if let name = arguments.positionals.first {
            guard let record = StateReading.record(name, in: state, context) else { return CLI.ExitCode.failure }
            context.stdout.write(arguments.flag("json") ? json(record).canonicalText() : Diagnostic.displayable(record.apiKey) + "\n")
            return CLI.ExitCode.success
        }
        let records = state.integrations.keys.sorted().compactMap { state.integrations[$0] }
        if arguments.flag("json") {
            context.stdout.write(JSON.object(records.map { JSONMember($0.name, json($0)) }).canonicalText())
        } else {
            // Shown escaped: a name or key holding a control character must not act on the terminal.
            let rows = records.map { (Diagnostic.displayable($0.name), Diagnostic.displayable($0.apiKey)) }
            let width = rows.map(\.0.count).max() ?? 0
            for (name, apiKey) in rows {
                context.stdout.write(name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + apiKey + "\n")
            }
        }
        return CLI.ExitCode.success
    }

    static func json(_ record: IntegrationRecord) -> JSON {
        .object([
            JSONMember("apiKey", .string(record.apiKey)),
            JSONMember("type", .string(record.attributes.type.rawValue)),
            JSONMember("projectId", .string(record.id.projectId)),
            JSONMember("workspaceId", .string(record.id.workspaceId)),
            JSONMember("credentialId", .string(record.id.credentialId)),
            JSONMember("registrations", .object(record.registrations.map { JSONMember($0.name, .string($0.id)) })),
        ])
    }
}
