import Foundation
import KeyformCLI
import KeyformTestSupport
import Testing

/// `state`, `show` and `output` handed what a failing CI job hands them: no state, the wrong
/// file, a broken keyform.json, an older state to restore, names with control characters.
@Suite struct StateCommandTests {
    let directory = ScratchDirectory("keyform-state-command")

    private func run(_ arguments: [String], in subdirectory: String = "") async -> (status: Int32, stdout: String, stderr: String) {
        let out = OutputBuffer(), err = OutputBuffer()
        let status = await CLI.run(
            arguments: arguments, environment: [:], currentDirectory: directory.path + subdirectory, stdout: out, stderr: err)
        return (status, out.text, err.text)
    }

    /// Copies examples/quickstart to `integrations/` and applies it.
    private func applyQuickstart() async throws {
        try FileManager.default.copyItem(
            at: TestPaths.packageRoot.appendingPathComponent("examples/quickstart"), to: directory.url.appendingPathComponent("integrations"))
        let apply = await run(["apply", "--auto-approve", "integrations"])
        try #require(apply.status == 0, "\(apply.stderr)")
    }

    private func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: directory.path + "/" + path) }

    private func write(_ text: String, to path: String) throws {
        try text.write(toFile: directory.path + "/" + path, atomically: true, encoding: .utf8)
    }

    /// `state rm` with no state says where it looked, and neither locks nor creates anything
    /// (it made the directories of `--state` and took a lock there).
    @Test func rmWithoutAStateChangesNothing() async {
        let result = await run(["state", "rm", "web", "--state", "envs/prod/keyform.state.json"])
        #expect(result.status == 1 && result.stdout == "")
        #expect(result.stderr == "error[KF419]: no state at envs/prod/keyform.state.json\nhelp: run 'keyform apply' first, or name the state with --state PATH\n")
        #expect(!exists("envs"))
    }

    /// A keyform.json that cannot be read stops `push` and `rm`, as it stops every other
    /// command: they wrote ./keyform.state.json instead of the state it names.
    @Test func pushAndRmRefuseABrokenConfiguration() async throws {
        try await applyQuickstart()
        #expect(await run(["state", "pull"]).stdout.isEmpty == false)
        try FileManager.default.moveItem(atPath: directory.path + "/keyform.state.json", toPath: directory.path + "/saved.json")
        try write(#"{"state": {"path": "envs/prod.state.json"},}"# + "\n", to: "keyform.json")
        for arguments in [["state", "push", "saved.json"], ["state", "rm", "eventsrelay"]] {
            let result = await run(arguments)
            #expect(result.status == 1 && result.stdout == "")
            #expect(result.stderr.hasPrefix("keyform.json:1:43: error[KF114]: trailing comma before '}'\n"), "\(result.stderr)")
        }
        #expect(!exists("keyform.state.json") && !exists("envs"))
    }

    /// A plan or a manifest pushed as a state is named as what it is, not by its first
    /// unknown member; a state shown as a plan says how to show a state.
    @Test func theWrongKindOfFileIsNamed() async throws {
        try await applyQuickstart()
        try FileManager.default.createDirectory(atPath: directory.path + "/plans", withIntermediateDirectories: true)
        #expect(await run(["plan", "integrations", "--out", "plans/release.plan"]).status == 0)
        let cases: [([String], String)] = [
            (["state", "push", "plans/release.plan"],
             "error[KF421]: plans/release.plan is a saved plan (`keyform show plans/release.plan` shows it, `keyform apply plans/release.plan` applies it), not a state\n"
                + "help: `keyform state push` takes a state file, such as one written by `keyform state pull`\n"),
            (["state", "push", "integrations/stock-search-web.json"],
             "error[KF421]: integrations/stock-search-web.json is a manifest (`keyform plan` reads it from the manifest directory), not a state\n"
                + "help: `keyform state push` takes a state file, such as one written by `keyform state pull`\n"),
            (["show", "keyform.state.json"],
             "error[KF441]: 'keyform.state.json' is a state file (`keyform show --state keyform.state.json` shows it), not a plan\n"
                + "help: `keyform show PLANFILE` shows a plan written by `keyform plan --out PLANFILE`\n"),
        ]
        for (arguments, message) in cases {
            let result = await run(arguments)
            #expect(result.status == 1 && result.stdout == "")
            #expect(result.stderr == message)
        }
    }

    @Test func showRefusesJSONAndMarkdownTogether() async throws {
        try await applyQuickstart()
        #expect(await run(["plan", "integrations", "--out", "release.plan"]).status == 0)
        for arguments in [["show", "release.plan", "--json", "--markdown"], ["show", "--markdown", "--json"]] {
            let result = await run(arguments)
            #expect(result.status == 64 && result.stdout == "")
            #expect(result.stderr == "error: --json and --markdown cannot be used together\n")
        }
    }

    /// `state rm` by mistake, then `state push --force` of the backup puts it back (as
    /// Terraform's `state push -force`); without --force the refusal says so.
    @Test func anOlderStateIsRestoredOnlyWithForce() async throws {
        try await applyQuickstart()
        #expect(await run(["state", "rm", "eventsrelay"]).status == 0)
        let refused = await run(["state", "push", "keyform.state.json.backup"])
        #expect(refused.status == 1 && refused.stdout == "")
        #expect(refused.stderr == """
            error[KF461]: keyform.state.json.backup has serial 2, older than the stored state's 3
            help: to go back to it on purpose (restoring a .backup), run `keyform state push --force keyform.state.json.backup`

            """)
        let forced = await run(["state", "push", "--force", "keyform.state.json.backup"])
        #expect(forced.status == 0 && forced.stderr == "")
        #expect(await run(["state", "list"]).stdout == "creativeassetsync\neventsrelay\nnightlyassetreport\nstocksearchweb\n")
        let misplaced = await run(["state", "list", "--force"])
        #expect(misplaced.status == 64)
        #expect(misplaced.stderr == "error: --force applies to 'keyform state push FILE' only\nRun 'keyform help state' for usage.\n")
    }

    @Test func anotherLineageIsRefusedWithTheWayOut() async throws {
        try await applyQuickstart()
        let pulled = await run(["state", "pull"]).stdout
        let lineage = try #require(pulled.split(separator: "\"lineage\": \"").dropFirst().first?.split(separator: "\"").first)
        try write(pulled.replacingOccurrences(of: String(lineage), with: "0f4c2a8e-5b1d-4c3e-9a77-2d5e8b1f6c90"), to: "other.json")
        for arguments in [["state", "push", "other.json"], ["state", "push", "--force", "other.json"]] {
            let result = await run(arguments)
            #expect(result.status == 1)
            #expect(result.stderr == """
                error[KF461]: other.json has lineage 0f4c2a8e-5b1d-4c3e-9a77-2d5e8b1f6c90, the stored state \(lineage): they are different states
                help: check that --state (or "state" in keyform.json) names the state you mean; to replace it with another state, move keyform.state.json away first

                """)
        }
    }

    /// An event name may hold any character (a manifest's JSON escapes), and a state file may
    /// be edited: what `show`, `state` and `output` print is escaped, and the escaped name
    /// (the only one that can be typed) finds the record.
    @Test func controlCharactersInTheStateAreShownEscapedAndFound() async throws {
        try await applyQuickstart()
        let state = await run(["state", "pull"]).stdout
            .replacingOccurrences(of: "\"stocksearchweb\": {", with: "\"stock\\u001b[31mweb\": {")
            .replacingOccurrences(of: "\"asset-sync\": {", with: "\"asset\\u001b]0;x\\u0007sync\": {")
        try write(state, to: "edited.json")
        #expect(await run(["state", "push", "edited.json"]).status == 0)
        let list = await run(["state", "list"])
        #expect(list.stdout == "creativeassetsync\neventsrelay\nnightlyassetreport\nstock\\u001b[31mweb\n")
        let show = await run(["show"])
        #expect(show.stdout.contains("\n  event          asset\\u001b]0;x\\u0007sync ("), "\(show.stdout)")
        #expect(show.stdout.contains("\nstock\\u001b[31mweb\n  type           apiKey\n"))
        let output = await run(["output"])
        #expect(output.stdout.contains("\nstock\\u001b[31mweb  "))
        for result in [list, show, output] {
            #expect(!result.stdout.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{7}" })
        }
        let rm = await run(["state", "rm", "stock\\u001b[31mweb"])
        #expect(rm.status == 0 && rm.stderr == "")
        #expect(rm.stdout == "Removed 'stock\\u001b[31mweb' from the state. The console still holds it; Keyform no longer manages it.\n")
        #expect(await run(["state", "list"]).stdout == "creativeassetsync\neventsrelay\nnightlyassetreport\n")
    }

    /// Options written before the command are a usage error that shows the command line
    /// that works; `--state` was taken for an unknown command "did you mean 'state'".
    @Test func optionsBeforeTheCommandShowTheWorkingOrder() async {
        let result = await run(["--state", "envs/prod state.json", "state", "list"])
        #expect(result.status == 64 && result.stdout == "")
        #expect(result.stderr == "error: '--state' comes before the command; options go after it\nhelp: keyform state --state 'envs/prod state.json' list\n")
        let unknown = await run(["--bogus"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr == "error: unknown command '--bogus'\nRun 'keyform help' to list the commands.\n")
    }

    @Test(arguments: [
        (["state"], "error: 'keyform state' needs a subcommand: list, show, rm, pull, push\n"),
        (["state", "lst"], "error: unknown state subcommand 'lst'\nhelp: did you mean 'list'?\n"),
        (["state", "rm"], "error: usage: keyform state rm NAME\n"),
        (["state", "pull", "keyform.state.json"], "error: usage: keyform state pull\n"),
    ])
    func stateUsageErrorsPointAtTheHelp(arguments: [String], message: String) async {
        let result = await run(arguments)
        #expect(result.status == 64 && result.stdout == "")
        #expect(result.stderr == message + "Run 'keyform help state' for usage.\n")
    }

    /// A lock file that is not a regular file: the fix is to remove it, not to point --state
    /// elsewhere (the advice given for the state file itself).
    @Test func aLockThatIsNoFileSaysToRemoveIt() async throws {
        let lock = directory.path + "/keyform.state.json.lock"
        try #require(mkfifo(lock, 0o600) == 0)
        let result = await run(["force-unlock", "3f2a"])
        #expect(result.status == 1 && result.stdout == "")
        #expect(result.stderr == """
            error[KF429]: cannot read \(lock): not a regular file (a FIFO, socket or device)
            help: if no apply is running, remove \(lock): Keyform makes it again as a regular file

            """)
    }

    /// A plan address copied from a plan (as Terraform's `state rm ADDRESS`) names the
    /// integration it belongs to, and nothing is removed.
    @Test func aPlanAddressNamesItsIntegration() async throws {
        try await applyQuickstart()
        for arguments in [["state", "rm", #"creativeassetsync.events["asset-sync"]"#], ["output", "creativeassetsync.services"]] {
            let result = await run(arguments)
            #expect(result.status == 1 && result.stdout == "")
            let address = arguments[arguments.count - 1]
            #expect(result.stderr == """
                error[KF460]: the state has no integration named '\(address)'
                help: '\(address)' is part of the integration 'creativeassetsync'; the state records integrations by name

                """)
        }
        #expect(await run(["state", "list"]).stdout == "creativeassetsync\neventsrelay\nnightlyassetreport\nstocksearchweb\n")
    }
}
