import Foundation
import KeyformCLI
import KeyformTestSupport
import Testing

/// `keyform help COMMAND` and the README's command synopsis agree with what each command
/// accepts: the usage line names every option of the command and no other (`apply`'s usage
/// left out `--refresh`, which it takes), and the README's `## Commands` block names exactly
/// the options each command takes.
@Suite struct HelpTests {
    static let commands = ["validate", "fmt", "plan", "apply", "show", "output", "state", "force-unlock", "console", "version", "help"]
    static let globalOptions: Set<String> = ["--config", "--state", "--console", "--no-color"]

    /// The usage line (after `USAGE: keyform `) and the options listed under OPTIONS.
    static func help(_ command: String) async -> (usage: String, options: Set<String>) {
        let out = OutputBuffer(), err = OutputBuffer()
        let status = await CLI.run(arguments: ["help", command], environment: [:], currentDirectory: "/", stdout: out, stderr: err)
        #expect(status == 0 && err.text == "", "\(err.text)")
        let lines = out.text.split(separator: "\n", omittingEmptySubsequences: false)
        let usage = lines.first.map { String($0.dropFirst("USAGE: keyform ".count)) } ?? ""
        let listed = lines.drop { $0 != "OPTIONS:" }.dropFirst().compactMap { line in
            line.split(separator: " ").first.map(String.init)
        }
        return (usage, Set(listed))
    }

    /// The `--option` words of a line.
    static func options(in line: String) -> Set<String> {
        Set(line.split(whereSeparator: { " []|".contains($0) }).map(String.init).filter { $0.hasPrefix("--") })
    }

    @Test(arguments: commands)
    func theUsageLineNamesExactlyTheCommandsOptions(_ command: String) async {
        let (usage, listed) = await Self.help(command)
        #expect(usage.hasPrefix(command), "\(usage)")
        let named = Self.options(in: usage)
        #expect(named.subtracting(listed).sorted() == [], "\(usage)")
        if !usage.contains("[OPTIONS]") {
            #expect(listed.subtracting(Self.globalOptions).subtracting(named).sorted() == [], "\(usage)")
        }
    }

    /// Every command appears in the README's synopsis, with the options it takes, and only those.
    @Test func theReadmeSynopsisNamesExactlyTheOptionsOfEachCommand() async throws {
        let readme = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## Commands\n").dropFirst().first)
        let block = try #require(section.components(separatedBy: "```").dropFirst().first)
        var synopsis: [String: Set<String>] = [:]
        var current = ""
        for line in block.split(separator: "\n").map(String.init) {
            if line.hasPrefix("keyform ") {
                current = String(line.dropFirst("keyform ".count).prefix { $0 != " " })
            }
            synopsis[current, default: []].formUnion(Self.options(in: line))
        }
        #expect(Set(synopsis.keys) == Set(Self.commands.filter { $0 != "help" }))
        for (command, named) in synopsis.sorted(by: { $0.key < $1.key }) {
            let own = await Self.help(command).options.subtracting(Self.globalOptions)
            #expect(named.sorted() == own.sorted(), "keyform \(command)")
        }
    }
}
