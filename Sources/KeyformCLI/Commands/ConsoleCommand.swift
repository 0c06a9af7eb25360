import Foundation
import KeyformConsole
import KeyformCore
import KeyformJSON

/// `keyform console SUBCOMMAND`: `list` prints what the console holds; `serve` runs the console
/// engine behind the Console API (added with the HTTP provider).
extension Command {
    static let console = Command(
        name: "console", summary: "List what the console holds, or serve the local console over HTTP.",
        usage: "console list [--json] | console serve [OPTIONS]",
        discussion: """
            console list    every integration the console holds, sorted by name: type, API key,
                            services and event registrations (never a secret)
            console serve   the local console behind the Adobe Console and I/O Events APIs
            The console is --console local:PATH (default: .keyform/console.json).
            """,
        options: ConsoleSubcommand.all.flatMap(\.options),
        positionals: 1,
        run: { arguments, context in
            let names = ConsoleSubcommand.all.map(\.name)
            guard let name = arguments.positionals.first else {
                context.stderr.write("error: 'keyform console' needs a subcommand: \(names.joined(separator: " or "))\nRun 'keyform help console' for usage.\n")
                return CLI.ExitCode.usage
            }
            guard let subcommand = ConsoleSubcommand.all.first(where: { $0.name == name }) else {
                var message = "error: unknown console subcommand '\(name)'"
                if let guess = Suggestion.closest(to: name, among: names) { message += "\nhelp: did you mean '\(guess)'?" }
                context.stderr.write(message + "\nRun 'keyform help console' for usage.\n")
                return CLI.ExitCode.usage
            }
            let allowed = Set((subcommand.options + Command.globalOptions).map(\.name))
            if let stray = (Array(arguments.flags) + Array(arguments.values.keys)).sorted().first(where: { !allowed.contains($0) }) {
                context.stderr.write("error: option '--\(stray)' does not apply to 'console \(name)'\nRun 'keyform help console' for usage.\n")
                return CLI.ExitCode.usage
            }
            return await subcommand.run(arguments, context)
        })
}

/// One subcommand of `keyform console`, with the options it accepts.
struct ConsoleSubcommand: Sendable {
    var name: String
    var options: [OptionSpec]
    var run: @Sendable (ParsedArguments, CommandContext) async -> Int32

    static let all: [ConsoleSubcommand] = [.list, .serve]

    static let list = ConsoleSubcommand(
        name: "list", options: [.flag("json", "print JSON instead of a table")],
        run: { arguments, context in
            await ConsoleListing.run(arguments, context)
        })

    /// `console serve` (see `ConsoleServe`).
    static let serve = ConsoleServe.subcommand
}

/// `keyform console list [--json]`.
enum ConsoleListing {
    /// The default console location, relative to the current directory.
    static let defaultPath = ".keyform/console.json"

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) async -> Int32 {
        let workspace = Workspace(arguments, context)
        if workspace.hasErrors {
            context.stderr.write(workspace.render(workspace.diagnostics))
            return CLI.ExitCode.failure
        }
        let location = workspace.consoleLocation
        let records: [IntegrationRecord]
        do {
            // Read-only: no lock taken, so listing works while an apply runs.
            let console = try workspace.provider(readOnly: true)
            defer { console.close() }
            records = try await console.provider.listIntegrations()
        } catch let error as WorkspaceError {
            context.stderr.write("\(error.description)\n")
            if case .invalidConsole = error { return CLI.ExitCode.usage }
            return CLI.ExitCode.failure
        } catch {
            context.stderr.write(ApplyCommand.render(error, doing: "list the console's integrations"))
            return CLI.ExitCode.failure
        }
        // A URL's password never reaches the output, as it never reaches a message.
        let shown = location.hasPrefix("local:") ? location : URLCredentials.redacted(location)
        let path = shown.hasPrefix("local:") ? String(shown.dropFirst("local:".count)) : shown
        if !arguments.flag("json"), records.isEmpty, location.hasPrefix("local:"),
            !FileManager.default.fileExists(atPath: context.absolutePath(path))
        {
            // Not "empty": a mistyped --console local:PATH must not read as a console with nothing in it.
            context.stdout.write("No integrations in \(path): the file does not exist (the first apply creates it).\n")
            return CLI.ExitCode.success
        }
        context.stdout.write(arguments.flag("json") ? json(records, location: shown) : table(records, path: path))
        return CLI.ExitCode.success
    }

    static func table(_ records: [IntegrationRecord], path: String) -> String {
        guard !records.isEmpty else { return "No integrations in \(path).\n" }
        let header = ["NAME", "TYPE", "API KEY", "SERVICES", "REGISTRATIONS"]
        // Cells are shown escaped: an HTTP console's names are anyone's, and a control
        // character in one must not act on the terminal.
        let rows = records.map { record in
            [record.name, record.attributes.type.rawValue, record.apiKey,
             record.services.isEmpty ? "-" : record.services.joined(separator: ","), String(record.registrations.count)]
                .map(Diagnostic.displayable)
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        var text = ""
        for row in [header] + rows {
            let cells = row.indices.map { column in
                column == row.count - 1 ? row[column] : row[column] + String(repeating: " ", count: widths[column] - row[column].count)
            }
            text += cells.joined(separator: "  ") + "\n"
        }
        let count = records.count == 1 ? "1 integration" : "\(records.count) integrations"
        return text + "\n\(count) in \(path).\n"
    }

    /// `{"formatVersion": 1, "console": …, "integrations": [...]}`: ids, API keys and
    /// attributes, never a secret.
    static func json(_ records: [IntegrationRecord], location: String) -> String {
        let strings = { (values: [String]) in JSON.array(values.map { .string($0) }) }
        let integrations = records.map { record in
            JSON.object([
                JSONMember("name", .string(record.name)),
                JSONMember("title", .string(record.attributes.title)),
                JSONMember("description", .string(record.attributes.description)),
                JSONMember("type", .string(record.attributes.type.rawValue)),
                JSONMember("apiKey", .string(record.apiKey)),
                JSONMember("projectId", .string(record.id.projectId)),
                JSONMember("workspaceId", .string(record.id.workspaceId)),
                JSONMember("credentialId", .string(record.id.credentialId)),
                JSONMember("allowedDomains", strings(record.attributes.allowedDomains)),
                JSONMember("redirectUris", strings(record.attributes.redirectUris)),
                JSONMember("services", strings(record.services)),
                JSONMember("registrations", .array(record.registrations.map { registration in
                    .object([
                        JSONMember("name", .string(registration.name)),
                        JSONMember("id", .string(registration.id)),
                        JSONMember("provider", .string(registration.spec.provider)),
                        JSONMember("eventCodes", strings(registration.spec.eventCodes)),
                        JSONMember("webhookUrl", .string(registration.spec.webhookUrl)),
                    ])
                })),
            ])
        }
        return JSON.object([
            JSONMember("formatVersion", 1),
            JSONMember("console", .string(location)),
            JSONMember("integrations", .array(integrations)),
        ]).canonicalText()
    }
}
