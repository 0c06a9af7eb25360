import KeyformJSON

/// One option a command accepts.
public struct OptionSpec: Sendable {
    public var name: String
    /// `nil` for a flag; otherwise the placeholder shown in help (`FILE`).
    public var valueName: String?
    public var help: String
    /// Whether the option may be given more than once (values collected in order).
    public var repeatable: Bool

    public static func flag(_ name: String, _ help: String) -> OptionSpec {
        OptionSpec(name: name, valueName: nil, help: help, repeatable: false)
    }

    public static func value(_ name: String, _ valueName: String, _ help: String, repeatable: Bool = false) -> OptionSpec {
        OptionSpec(name: name, valueName: valueName, help: help, repeatable: repeatable)
    }
}

/// The arguments of one invocation, after parsing.
public struct ParsedArguments: Sendable {
    public var flags: Set<String> = []
    public var values: [String: [String]] = [:]
    public var positionals: [String] = []

    public func flag(_ name: String) -> Bool { flags.contains(name) }
    public func value(_ name: String) -> String? { values[name]?.last }
}

public struct UsageError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

enum ArgumentParser {
    /// Whether `argument` names one of `options` (`--json`, `--out=x`): then it is not the
    /// value of the option before it (`--out --json` lacks a value, rather than naming a file).
    static func isOption(_ argument: String, among options: [OptionSpec]) -> Bool {
        guard argument.hasPrefix("--") else { return false }
        let name = argument.dropFirst(2).prefix { $0 != "=" }
        return options.contains { $0.name == name }
    }

    /// Parses `--name`, `--name VALUE`, `--name=VALUE` and positionals (`--` ends options).
    /// - Parameter positionals: the most positionals accepted.
    static func parse(_ arguments: [String], options: [OptionSpec], positionals maxPositionals: Int) throws(UsageError) -> ParsedArguments {
        var result = ParsedArguments()
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument.isEmpty {
                throw UsageError(description: "an empty argument (an unset variable?): a path or name cannot be empty")
            }
            if optionsEnded || !argument.hasPrefix("-") || argument == "-" {
                result.positionals.append(argument)
                continue
            }
            if argument == "--" { optionsEnded = true; continue }
            var name = String(argument.drop(while: { $0 == "-" }))
            var inlineValue: String?
            if let eq = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            guard let spec = options.first(where: { $0.name == name }) else {
                var message = "unknown option '\(argument)'"
                if let guess = Suggestion.closest(to: name, among: options.map(\.name)) {
                    message += "\nhelp: did you mean '--\(guess)'?"
                }
                throw UsageError(description: message)
            }
            if spec.valueName == nil {
                if inlineValue != nil { throw UsageError(description: "option '--\(name)' takes no value") }
                result.flags.insert(name)
                continue
            }
            let value: String
            if let inlineValue {
                value = inlineValue
            } else if index < arguments.count, !Self.isOption(arguments[index], among: options) {
                value = arguments[index]
                index += 1
            } else {
                throw UsageError(description: "option '--\(name)' needs a value (\(spec.valueName ?? "VALUE"))")
            }
            if value.isEmpty {
                throw UsageError(description: "option '--\(name)' needs a value (\(spec.valueName ?? "VALUE")), not an empty one")
            }
            if !spec.repeatable, result.values[name] != nil {
                throw UsageError(description: "option '--\(name)' given more than once")
            }
            result.values[name, default: []].append(value)
        }
        if result.positionals.count > maxPositionals {
            let extra = result.positionals[maxPositionals]
            throw UsageError(description: "unexpected argument '\(extra)'")
        }
        return result
    }
}
