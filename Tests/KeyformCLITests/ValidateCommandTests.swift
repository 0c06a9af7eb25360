import Foundation
import KeyformCLI
import KeyformCore
import KeyformJSON
import KeyformTestSupport
import Testing

/// `keyform validate` end to end through `CLI.run`: formats (golden), exit codes, the
/// default path from `keyform.json`, and the built binary from another directory.
@Suite struct ValidateCommandTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func validate(_ arguments: [String], in directory: String = TestPaths.packageRoot.path) async -> Run {
        let out = OutputBuffer(), err = OutputBuffer()
        let status = await CLI.run(
            arguments: ["validate"] + arguments, environment: [:], currentDirectory: directory, stdout: out, stderr: err)
        return Run(status: status, stdout: out.text, stderr: err.text)
    }

    static let severalFiles = "examples/invalid/70-several-files"

    @Test func textFormatIsCompilerStyleOnStderrWithASummaryOnStdout() async {
        let run = await Self.validate([Self.severalFiles])
        #expect(run.status == 1)
        #expect(run.stdout == "6 errors, 1 warning in 3 files\n")
        let failure = Golden.check(run.stderr, against: "validate/several-files.text.txt")
        #expect(failure == nil, "\(failure ?? "")")
    }

    @Test(arguments: [("json", "validate/several-files.json"), ("github", "validate/several-files.github.txt"), ("sarif", "validate/several-files.sarif.json")])
    func machineFormatsGoToStdout(_ format: String, _ golden: String) async {
        let run = await Self.validate([Self.severalFiles, "--format", format])
        #expect(run.status == 1)
        #expect(run.stderr == "")
        let failure = Golden.check(run.stdout, against: golden)
        #expect(failure == nil, "\(failure ?? "")")
    }

    @Test func sarifNamesEveryRuleThatOccursAndEveryResultHasAPlace() async throws {
        let run = await Self.validate([Self.severalFiles, "--format", "sarif"])
        let log = try JSON.parse(run.stdout)
        #expect(log["version"] == "2.1.0")
        let sarifRun = try #require(log["runs"]?.arrayValue?.first)
        let rules = sarifRun["tool"]?["driver"]?["rules"]?.arrayValue?.compactMap { $0["id"]?.stringValue }
        #expect(rules == ["KF201", "KF301", "KF302", "KF306", "KF307", "KF309", "KF351"])
        let results = sarifRun["results"]?.arrayValue ?? []
        #expect(results.count == 7)
        #expect(results.allSatisfy { $0["locations"]?.arrayValue?.first?["physicalLocation"]?["region"]?["startLine"] != nil })
    }

    @Test func theQuickstartIsValid() async {
        let run = await Self.validate(["examples/quickstart"])
        #expect(run.status == 0)
        #expect(run.stdout == "0 errors, 0 warnings in 3 files\n")
        #expect(run.stderr == "")
    }

    @Test func warningsPassUnlessStrict() async {
        let lenient = await Self.validate(["examples/invalid/60-generic-name-and-title.json"])
        #expect(lenient.status == 0)
        #expect(lenient.stdout == "0 errors, 4 warnings in 1 file\n")
        let strict = await Self.validate(["examples/invalid/60-generic-name-and-title.json", "--strict"])
        #expect(strict.status == 1)
        #expect(strict.stdout == "0 errors, 4 warnings in 1 file (--strict: warnings fail the run)\n")
    }

    @Test func offlineSaysSoInExactlyOneNote() async {
        let run = await Self.validate(["examples/invalid/42-unknown-service.json", "--offline"])
        #expect(run.status == 0)
        #expect(run.stderr == "note[KF390]: --offline: services, entitlements, credential types, event providers and event codes were not checked against the catalog\n")
        let github = await Self.validate(["examples/invalid", "--offline", "--format", "github"])
        #expect(github.stdout.components(separatedBy: "KF390").count == 2)
    }

    @Test func secretsAreNotShownInTheSourceLine() async {
        let run = await Self.validate(["examples/invalid/51-secret-client-secret.json"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("error[KF313]"))
        #expect(!run.stderr.contains("p8e-"))
        #expect(run.stderr.contains(#""description": "*****"#))
    }

    @Test func aMissingPathAndAnUnknownFormatAreReported() async {
        let missing = await Self.validate(["no/such/dir"])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("error[KF300]: cannot read 'no/such/dir': no such file or directory\n"))
        let format = await Self.validate(["--format", "sarf"])
        #expect(format.status == 64)
        #expect(format.stderr == "error: unknown format 'sarf' for --format (text, json, github or sarif)\nhelp: did you mean 'sarif'?\n")
    }

    @Test func thePathDefaultsToTheManifestsOfKeyformJSONFoundAbove() async throws {
        let root = TestPaths.temporaryDirectory("validate-config")
        defer { try? FileManager.default.removeItem(at: root) }
        let manager = FileManager.default
        try manager.createDirectory(at: root.appendingPathComponent("infra/integrations"), withIntermediateDirectories: true)
        try manager.createDirectory(at: root.appendingPathComponent("app/src"), withIntermediateDirectories: true)
        try Data(#"{"manifests": "infra/integrations"}"#.utf8).write(to: root.appendingPathComponent("keyform.json"))
        try Data(#"{"integrations": [{"name": "demo", "description": "Stock search.", "type": "apiKey"}]}"#.utf8)
            .write(to: root.appendingPathComponent("infra/integrations/web.json"))
        try Data("{}".utf8).write(to: root.appendingPathComponent("app/src/package.json"))

        let run = await Self.validate([], in: root.appendingPathComponent("app/src").path)
        #expect(run.status == 0)
        #expect(run.stderr.hasPrefix("../../infra/integrations/web.json:1:28: warning[KF350]: 'demo' is a generic name"))
        #expect(run.stdout == "0 errors, 1 warning in 1 file\n")
    }

    @Test func withoutKeyformJSONTheCurrentDirectoryIsValidated() async throws {
        let root = TestPaths.temporaryDirectory("validate-cwd")
        defer { try? FileManager.default.removeItem(at: root) }
        try Data(#"{"integrations": []}"#.utf8).write(to: root.appendingPathComponent("a.json"))
        try Data(#"{"integrations": [], "extra": 1}"#.utf8).write(to: root.appendingPathComponent("b.json"))
        let run = await Self.validate([], in: root.path)
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("b.json:1:22: error[KF201]: unknown property 'extra' in the manifest"))
        #expect(run.stdout == "1 error, 0 warnings in 2 files\n")
    }

    @Test func problemsInKeyformJSONAreReportedWithTheManifests() async throws {
        let root = TestPaths.temporaryDirectory("validate-bad-config")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("integrations"), withIntermediateDirectories: true)
        try Data(#"{"manifest": "integrations"}"#.utf8).write(to: root.appendingPathComponent("keyform.json"))
        try Data(#"{"integrations": []}"#.utf8).write(to: root.appendingPathComponent("integrations/a.json"))
        let run = await Self.validate([], in: root.path)
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("keyform.json:1:2: error[KF201]: unknown property 'manifest' in keyform.json"))
        #expect(run.stderr.contains("help: did you mean 'manifests'?"))
        #expect(run.stdout == "1 error, 0 warnings in 1 file\n")
    }

    @Test func theBuiltBinaryValidatesFromAnyDirectory() throws {
        let binary = TestPaths.keyformBinary
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the keyform binary first")
        let elsewhere = TestPaths.temporaryDirectory("validate-binary")
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["validate", TestPaths.packageRoot.appendingPathComponent("examples/quickstart").path, "--format", "json"]
        process.currentDirectoryURL = elsewhere
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let report = try JSON.parse([UInt8](data))
        #expect(report["valid"] == true)
        #expect(report["summary"]?["files"] == 3)
    }
}
