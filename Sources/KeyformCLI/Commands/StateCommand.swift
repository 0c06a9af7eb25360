extension Command {
    static let state = Command(
        name: "state", summary: "(not yet available)", usage: "state",
        positionals: 8,
        run: notYetAvailable("state"))
}
