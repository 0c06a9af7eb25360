import Foundation
import KeyformJSON

/// The command line: parses arguments, resolves configuration, runs a command, renders and
/// maps errors to exit codes. `main` only calls `CLI.run`; tests call it directly.
public enum CLI {
    public static let version = "0.1.0"

    /// Exit codes of DESIGN.md.
    public enum ExitCode {
        public static let success: Int32 = 0
        public static let failure: Int32 = 1
        public static let changesPresent: Int32 = 2
        public static let usage: Int32 = 64
        public static let interrupted: Int32 = 130
    }

    /// Every command, in the order `help` lists them.
    static let commands: [Command] = [
        .validate, .fmt, .plan, .apply, .show, .output, .state, .forceUnlock, .console, .version, .help,
    ]

    /// Runs one invocation and returns its exit code.
    public static func run(
        arguments: [String],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath,
        stdout: any OutputSink = StandardStream.stdout,
        stderr: any OutputSink = StandardStream.stderr,
        stdin: any InputSource = StandardStream.stdin
    ) async -> Int32 {
        let context = CommandContext(
            environment: environment, currentDirectory: currentDirectory,
            stdout: stdout, stderr: stderr, stdin: stdin)
        var arguments = arguments
        // No argument of Keyform's (a path, a name, a value) holds a control character: one
        // that does would be echoed into messages, where it could act on the terminal.
        if let (position, argument) = arguments.enumerated().first(where: { Diagnostic.displayable($0.element) != $0.element }) {
            stderr.write(
                "error: argument \(position + 1) ('\(Diagnostic.displayable(argument))') holds a control character\n"
                    + "help: paths, names and values are written without control characters\n")
            return ExitCode.usage
        }
        if arguments.first == "--help" || arguments.first == "-h" { arguments[0] = "help" }
        if arguments.first == "--version" { arguments[0] = "version" }
        guard let name = arguments.first else {
            stdout.write(Command.overview())
            return ExitCode.usage
        }
        guard let command = commands.first(where: { $0.name == name }) else {
            if let message = optionsBeforeCommand(arguments) {
                stderr.write(message)
                return ExitCode.usage
            }
            var message = "error: unknown command '\(name)'"
            if let guess = Suggestion.closest(to: name, among: commands.map(\.name)) {
                message += "\nhelp: did you mean '\(guess)'?"
            }
            stderr.write(message + "\nRun 'keyform help' to list the commands.\n")
            return ExitCode.usage
        }
        let rest = Array(arguments.dropFirst())
        if rest.contains("--help") || rest.contains("-h") {
            stdout.write(command.helpText())
            return ExitCode.success
        }
        let parsed: ParsedArguments
        do {
            parsed = try ArgumentParser.parse(rest, options: command.options + Command.globalOptions, positionals: command.positionals)
        } catch {
            stderr.write("error: \(error.description)\nRun 'keyform help \(command.name)' for usage.\n")
            return ExitCode.usage
        }
        var commandContext = context
        commandContext.useColor = stdout.isTerminal && environment["NO_COLOR"] == nil && !parsed.flag("no-color")
        return await command.run(parsed, commandContext)
    }

    /// The usage error for options written before the command (`keyform --state s.json state
    /// list`), with the command line that works; nil when the first argument is no option or
    /// no command follows it. Without this, `--state` read as an unknown command whose closest
    /// match is `state`.
    static func optionsBeforeCommand(_ arguments: [String]) -> String? {
        guard let first = arguments.first, first.hasPrefix("-"),
            let index = arguments.firstIndex(where: { argument in commands.contains { $0.name == argument } })
        else { return nil }
        let reordered = [arguments[index]] + arguments[..<index] + arguments[(index + 1)...]
        let shown = reordered.map { argument in
            argument.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=@%+,".contains($0) } ? argument
                : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }
        return "error: '\(first)' comes before the command; options go after it\n"
            + "help: keyform \(shown.joined(separator: " "))\n"
    }
}

/// Everything a command needs from the outside world.
public struct CommandContext: Sendable {
    public var environment: [String: String]
    public var currentDirectory: String
    public var stdout: any OutputSink
    public var stderr: any OutputSink
    public var stdin: any InputSource
    public var useColor = false

    /// Resolves a path given on the command line against the current directory.
    public func absolutePath(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        if currentDirectory.hasSuffix("/") { return currentDirectory + path }
        return currentDirectory + "/" + path
    }
}
