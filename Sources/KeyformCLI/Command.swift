/// A subcommand: its name, help, options and what it runs.
struct Command: Sendable {
    var name: String
    var summary: String
    /// Usage line after `keyform `, e.g. `plan [PATH] [--out FILE]`.
    var usage: String
    var discussion: String = ""
    var options: [OptionSpec] = []
    /// The most positional arguments accepted.
    var positionals: Int = 0
    var run: @Sendable (ParsedArguments, CommandContext) async -> Int32

    static let globalOptions: [OptionSpec] = [
        .value("config", "FILE", "configuration file (default: keyform.json here or above)"),
        .value("state", "PATH|URL", "state location, overriding the configuration"),
        .value("console", "local:PATH|URL", "console provider, overriding the configuration"),
        .flag("no-color", "never colour the output (also: NO_COLOR)"),
    ]

    func helpText() -> String {
        var text = "USAGE: keyform \(usage)\n\n\(summary)\n"
        if !discussion.isEmpty { text += "\n\(discussion)\n" }
        let all = options + Command.globalOptions
        if !all.isEmpty {
            text += "\nOPTIONS:\n"
            let rows = all.map { spec in
                ("--\(spec.name)" + (spec.valueName.map { " \($0)" } ?? ""), spec.help)
            }
            let width = rows.map(\.0.count).max() ?? 0
            for (left, right) in rows {
                text += "  " + left + String(repeating: " ", count: width - left.count + 2) + right + "\n"
            }
        }
        return text
    }

    static func overview() -> String {
        var text = "keyform \(CLI.version): Adobe I/O Console integrations as code.\n\nUSAGE: keyform COMMAND [OPTIONS]\n\nCOMMANDS:\n"
        let width = CLI.commands.map(\.name.count).max() ?? 0
        for command in CLI.commands {
            text += "  " + command.name + String(repeating: " ", count: width - command.name.count + 2) + command.summary + "\n"
        }
        text += "\nRun 'keyform help COMMAND' or 'keyform COMMAND --help' for a command's options.\n"
        return text
    }
}

extension Command {
    static let version = Command(
        name: "version", summary: "Print the version.", usage: "version",
        run: { _, context in
            context.stdout.write("keyform \(CLI.version)\n")
            return CLI.ExitCode.success
        })

    static let help = Command(
        name: "help", summary: "Show help for keyform or one command.", usage: "help [COMMAND]", positionals: 1,
        run: { arguments, context in
            guard let name = arguments.positionals.first else {
                context.stdout.write(overview())
                return CLI.ExitCode.success
            }
            guard let command = CLI.commands.first(where: { $0.name == name }) else {
                var message = "error: unknown command '\(name)'"
                if let guess = Suggestion.closest(to: name, among: CLI.commands.map(\.name)) {
                    message += "\nhelp: did you mean '\(guess)'?"
                }
                context.stderr.write(message + "\n")
                return CLI.ExitCode.usage
            }
            context.stdout.write(command.helpText())
            return CLI.ExitCode.success
        })
}

import KeyformJSON
