extension Command {
    static let validate = Command(
        name: "validate", summary: "(not yet available)", usage: "validate",
        positionals: 8,
        run: notYetAvailable("validate"))
}
