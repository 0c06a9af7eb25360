import Foundation
import KeyformCore
import KeyformJSON
import KeyformTestSupport
import Testing

/// The machine formats on their own: escaping of workflow commands, SARIF's shape.
@Suite struct ValidateOutputTests {
    @Test func workflowCommandsEscapeDataAndProperties() {
        let diagnostic = Diagnostic.error(
            "KF302", "unknown service '100%'\nsecond line", at: SourceLocation(file: "a,b:c.json", line: 3, column: 9),
            notes: [.init("first here", location: SourceLocation(file: "x.json", line: 1, column: 2))],
            suggestion: "did you mean 'StockSDK'?")
        // A line break inside the message is a value's, shown as its escape; notes and the help
        // go on lines of their own.
        #expect(GitHubAnnotations.render(diagnostic)
            == "::error file=a%2Cb%3Ac.json,line=3,col=9,title=KF302::unknown service '100%25'\\nsecond line%0Ax.json:1:2: note: first here%0Ahelp: did you mean 'StockSDK'?\n")
    }

    /// A manifest value holding control characters (an escape sequence, a NUL, a right-to-left
    /// override, escaped in a name and written as itself in a description) and a name of
    /// 100,000 characters: the text and GitHub outputs show the characters as escapes (in the
    /// quoted source line, as U+FFFD) and quote the long value cut short, so no line of the
    /// output can colour a terminal or a CI log, and none runs to megabytes.
    @Test func valuesQuotedInMessagesCannotActOnTheTerminalNorFloodIt() async throws {
        let directory = TestPaths.temporaryDirectory("validate-display")
        defer { try? FileManager.default.removeItem(at: directory) }
        let long = String(repeating: "n", count: 100_000)
        let manifest = #"{"integrations": [{"name": "web\u001b[31mred\u0000\u202e", "type": "apiKey", "description": "Escapes\#u{202E} in a name"}, "#
            + #"{"name": "\#(long)", "type": "apiKey", "description": "A very long name"}]}"#
        try Data(manifest.utf8).write(to: directory.appendingPathComponent("m.json"))
        for format in ["text", "github"] {
            let run = try await ChildProcess.keyform(["validate", "--format", format, "m.json"], in: directory)
            #expect(run.status == 1)
            let output = run.stdout + run.stderr
            let controls = output.unicodeScalars.filter { $0 != "\n" && ($0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\u{202E}") }
            #expect(controls.isEmpty, "\(format): control characters in the output")
            #expect(output.contains(#"web\u001b[31mred\u0000\u202e"#), "\(format): the escapes as written")
            let longest = output.split(separator: "\n").map(\.count).max() ?? 0
            #expect(longest < 1_000, "\(format): a line of \(longest) characters")
        }
    }

    @Test func severitiesMapToCommandsAndPlacelessFindingsHaveNoFile() {
        let warning = Diagnostic.warning("KF350", "generic", at: SourceLocation(file: "a.json", line: 1, column: 1))
        let note = Diagnostic(.note, code: "KF390", "offline")
        #expect(GitHubAnnotations.render([warning, note])
            == "::warning file=a.json,line=1,col=1,title=KF350::generic\n::notice title=KF390::offline\n")
    }

    @Test func sarifHasOneRunWithRulesResultsAndCodePointColumns() throws {
        let log = SARIFLog.log([
            .error("KF301", "dup", at: SourceLocation(file: "dir with space/é.json", line: 2, column: 5),
                   notes: [.init("first", location: SourceLocation(file: "a.json", line: 1, column: 1))]),
            .warning("KF351", "short", at: SourceLocation(file: "a.json", line: 4, column: 3)),
        ], toolVersion: "9.9.9")
        #expect(log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json")
        let run = try #require(log["runs"]?.arrayValue?.first)
        #expect(run["columnKind"] == "unicodeCodePoints")
        #expect(run["tool"]?["driver"]?["version"] == "9.9.9")
        let rules = run["tool"]?["driver"]?["rules"]?.arrayValue ?? []
        #expect(rules.map { $0["id"] } == ["KF301", "KF351"])
        #expect(rules.first?["shortDescription"]?["text"] == "Integration name used more than once")
        #expect(rules.last?["defaultConfiguration"]?["level"] == "warning")
        let result = try #require(run["results"]?.arrayValue?.first)
        #expect(result["ruleIndex"] == 0)
        let place = result["locations"]?.arrayValue?.first?["physicalLocation"]
        #expect(place?["artifactLocation"]?["uri"] == "dir%20with%20space/%C3%A9.json")
        #expect(place?["region"]?["startColumn"] == 5)
        #expect(result["relatedLocations"]?.arrayValue?.first?["message"]?["text"] == "first")
    }

    static let pythonHasSARIFModel = Python.hasModule("sarif_pydantic")

    /// The SARIF of the whole gallery (every code Keyform reports) is accepted by an
    /// independent SARIF 2.1.0 model, Python's `sarif-pydantic` (`scripts/check_sarif.py`), and
    /// holds one result per finding of `--format json`, each naming a rule the log lists.
    @Test(.enabled(if: pythonHasSARIFModel, "python3 with sarif-pydantic is not available (pip install sarif-pydantic)"))
    func theGallerysSARIFIsValidSARIF() async throws {
        let root = TestPaths.packageRoot
        let sarif = try await ChildProcess.keyform(["validate", "--format", "sarif", "examples/invalid"], in: root)
        #expect(sarif.status == 1)
        let json = try await ChildProcess.keyform(["validate", "--format", "json", "examples/invalid"], in: root)
        let findings = try JSON.parse(json.stdout)["diagnostics"]?.arrayValue?.count ?? 0
        #expect(findings > 100)

        let check = try await onThread { () throws -> (status: Int32, output: String) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", root.appendingPathComponent("scripts/check_sarif.py").path]
            let input = Pipe(), output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            input.fileHandleForWriting.write(Data(sarif.stdout.utf8))
            try input.fileHandleForWriting.close()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
        #expect(check.status == 0, "\(check.output)")
        let summary = try JSON.parse(check.output)
        #expect(summary["results"]?.numberValue?.int == findings)
        #expect((summary["rules"]?.numberValue?.int ?? 0) >= 30)
    }
}
