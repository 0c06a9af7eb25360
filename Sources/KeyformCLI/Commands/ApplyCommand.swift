extension Command {
    static let apply = Command(
        name: "apply", summary: "(not yet available)", usage: "apply",
        positionals: 8,
        run: notYetAvailable("apply"))
}
