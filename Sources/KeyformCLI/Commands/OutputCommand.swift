extension Command {
    static let output = Command(
        name: "output", summary: "(not yet available)", usage: "output",
        positionals: 8,
        run: notYetAvailable("output"))
}
