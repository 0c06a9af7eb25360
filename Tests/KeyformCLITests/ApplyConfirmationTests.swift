import Foundation
import KeyformCLI
import KeyformTestSupport
import Testing

/// `apply PATH` on a terminal shows the plan and acts only on "yes".
@Suite struct ApplyConfirmationTests {
    func run(answer: String) async throws -> (status: Int32, stdout: String, stderr: String, dir: URL) {
        let dir = try EndToEnd.quickstartWorkspace()
        let stdout = OutputBuffer(isTerminal: false)
        let stderr = OutputBuffer()
        let stdin = OutputBuffer(isTerminal: true, input: [answer])
        let status = await CLI.run(
            arguments: ["apply", "integrations", "--no-color"], environment: [:], currentDirectory: dir.path,
            stdout: stdout, stderr: stderr, stdin: stdin)
        return (status, stdout.text, stderr.text, dir)
    }

    @Test func anythingButYesCancelsAndChangesNothing() async throws {
        let result = try await run(answer: "y")
        #expect(result.status == 1)
        #expect(result.stdout.contains("Plan: 7 to create, 0 to update, 0 to delete.\n"))
        #expect(result.stdout.hasSuffix("Do you want to perform these actions? Only 'yes' will be accepted.\n  Enter a value: "))
        #expect(result.stderr == "Apply cancelled: nothing was changed.\n")
        #expect(!FileManager.default.fileExists(atPath: result.dir.appendingPathComponent("keyform.state.json").path))
    }

    @Test func yesApplies() async throws {
        let result = try await run(answer: "yes")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Apply complete: 11 succeeded, 0 failed, 0 skipped."))
        #expect(FileManager.default.fileExists(atPath: result.dir.appendingPathComponent("keyform.state.json").path))
    }
}
