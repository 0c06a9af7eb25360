extension Command {
    static let forceUnlock = Command(
        name: "force-unlock", summary: "(not yet available)", usage: "force-unlock",
        positionals: 8,
        run: notYetAvailable("force-unlock"))
}
