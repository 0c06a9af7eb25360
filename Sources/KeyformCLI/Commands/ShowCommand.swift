extension Command {
    static let show = Command(
        name: "show", summary: "(not yet available)", usage: "show",
        positionals: 8,
        run: notYetAvailable("show"))
}
