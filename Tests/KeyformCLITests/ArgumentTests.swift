import Foundation
import KeyformCLI
import KeyformTestSupport
import Testing

/// Arguments that would be taken for something they are not: an empty one (an unset variable
/// made `keyform fmt "$F"` format the whole tree), an option where a value belongs
/// (`--out --json` wrote a file named `--json`), and control characters (echoed raw into the
/// error message).
@Suite struct ArgumentTests {
    static func run(_ arguments: [String]) async -> (status: Int32, stdout: String, stderr: String) {
        let directory = TestPaths.temporaryDirectory("arguments")
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = OutputBuffer(), err = OutputBuffer()
        let status = await CLI.run(arguments: arguments, environment: [:], currentDirectory: directory.path, stdout: out, stderr: err)
        return (status, out.text, err.text)
    }

    @Test(arguments: [
        (["fmt", ""], "error: an empty argument (an unset variable?): a path or name cannot be empty"),
        (["validate", ""], "error: an empty argument (an unset variable?): a path or name cannot be empty"),
        (["plan", "--out", ""], "error: option '--out' needs a value (FILE), not an empty one"),
        (["plan", "--out="], "error: option '--out' needs a value (FILE), not an empty one"),
        (["plan", "--out", "--json"], "error: option '--out' needs a value (FILE)\n"),
        (["plan", "--state", "--out=x"], "error: option '--state' needs a value"),
        (["validate", "\u{1B}[31mred"], "error: argument 2 ('\\u001b[31mred') holds a control character"),
        (["\u{202E}tset"], "error: argument 1 ('\\u202etset') holds a control character"),
    ])
    func isAUsageErrorThatSaysWhy(_ arguments: [String], _ message: String) async {
        let run = await Self.run(arguments)
        #expect(run.status == 64)
        #expect(run.stderr.contains(message), "\(run.stderr)")
        #expect(!run.stderr.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{202E}" })
    }

    /// A value that merely starts with a dash is still a value.
    @Test func aValueStartingWithADashIsAValue() async {
        let run = await Self.run(["validate", "--format", "-x"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("unknown format '-x'"), "\(run.stderr)")
    }
}
