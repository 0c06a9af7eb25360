extension Command {
    static let console = Command(
        name: "console", summary: "(not yet available)", usage: "console",
        positionals: 8,
        run: notYetAvailable("console"))
}
