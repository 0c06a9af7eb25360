extension Command {
    static let plan = Command(
        name: "plan", summary: "(not yet available)", usage: "plan",
        positionals: 8,
        run: notYetAvailable("plan"))
}
