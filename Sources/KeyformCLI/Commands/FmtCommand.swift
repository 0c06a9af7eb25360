extension Command {
    static let fmt = Command(
        name: "fmt", summary: "(not yet available)", usage: "fmt",
        positionals: 8,
        run: notYetAvailable("fmt"))
}
