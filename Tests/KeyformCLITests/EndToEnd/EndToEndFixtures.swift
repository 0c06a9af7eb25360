import Foundation
import KeyformTestSupport
import Testing

/// Manifests and helpers for the end-to-end tests that run the built binary.
enum EndToEnd {
    /// A fresh directory holding a copy of examples/quickstart as `integrations/`.
    static func quickstartWorkspace() throws -> URL {
        let dir = TestPaths.temporaryDirectory("keyform-e2e")
        try FileManager.default.copyItem(
            at: TestPaths.packageRoot.appendingPathComponent("examples/quickstart"),
            to: dir.appendingPathComponent("integrations"))
        return dir
    }

    /// A manifest of `count` service-account integrations, each with two services and one
    /// event registration.
    static func manyIntegrations(_ count: Int, prefix: String = "batchjob") -> String {
        var items: [String] = []
        for i in 0..<count {
            items.append("""
                    {
                      "name": "\(prefix)\(i)",
                      "title": "Batch Job \(i)",
                      "description": "Nightly batch job number \(i) for the reporting pipeline.",
                      "type": "serviceAccount",
                      "services": ["UserMgmtSDK", "CloudIntegrationSDK"],
                      "events": [
                        {
                          "name": "published",
                          "provider": "aem",
                          "eventCodes": ["asset_published"],
                          "webhookUrl": "https://hooks.example.com/batch/\(i)"
                        }
                      ]
                    }
                """)
        }
        return "{\n  \"integrations\": [\n" + items.joined(separator: ",\n") + "\n  ]\n}\n"
    }

    /// Runs keyform in `dir` and returns status and output.
    @discardableResult
    static func keyform(_ arguments: [String], in dir: URL, timeout: Double = 300) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await ChildProcess.keyform(arguments, in: dir, timeout: timeout)
    }

    /// Parses `keyform console list --json` into name → count of occurrences (duplicates show
    /// as counts above 1).
    static func consoleNames(in dir: URL) async throws -> [String: Int] {
        let result = try await keyform(["console", "list", "--json"], in: dir)
        guard result.status == 0,
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
            let integrations = object["integrations"] as? [[String: Any]]
        else { throw Failure("console list failed: \(result.stderr)") }
        var names: [String: Int] = [:]
        for item in integrations {
            if let name = item["name"] as? String { names[name, default: 0] += 1 }
        }
        return names
    }

    /// The names the state records, via `keyform state list`.
    static func stateNames(in dir: URL) async throws -> [String] {
        let result = try await keyform(["state", "list"], in: dir)
        guard result.status == 0 else { throw Failure("state list failed (\(result.status)): \(result.stderr)") }
        return result.stdout.split(separator: "\n").map(String.init)
    }

    /// The serial of the workspace's state file (`keyform.state.json`).
    static func stateSerial(in dir: URL) throws -> Int {
        let data = try Data(contentsOf: dir.appendingPathComponent("keyform.state.json"))
        guard let state = try JSONSerialization.jsonObject(with: data) as? [String: Any], let serial = state["serial"] as? Int else {
            throw Failure("the state has no serial")
        }
        return serial
    }

    /// A directory with `count` integrations to create, and `keyform apply --parallelism 1`
    /// started there and stopped (SIGSTOP) once it recorded its first action: send it
    /// signals, then SIGCONT.
    static func applyStoppedAtItsFirstAction(_ count: Int) async throws -> (dir: URL, child: ChildProcess) {
        let dir = TestPaths.temporaryDirectory("keyform-signal")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("integrations"), withIntermediateDirectories: true)
        try manyIntegrations(count).write(to: dir.appendingPathComponent("integrations/batch.json"), atomically: true, encoding: .utf8)
        let child = try ChildProcess(
            TestPaths.keyformBinary, ["apply", "--auto-approve", "--parallelism", "1", "integrations"], directory: dir)
        // The journal exists once the first action is recorded.
        let journal = dir.appendingPathComponent("keyform.state.json.journal").path
        #expect(await child.stopWhenFileAppears(journal))
        return (dir, child)
    }

    /// Runs `keyform apply` (with `arguments`) to the end in `dir`, and expects it to converge:
    /// exit 0, and the console holding `count` integrations, each once, all in the state.
    static func expectApplyConverges(
        in dir: URL, count: Int, _ arguments: [String] = ["apply", "--auto-approve", "integrations"], _ label: String = "",
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let finish = try await keyform(arguments, in: dir)
        #expect(finish.status == 0, "\(label): \(finish.stderr)", sourceLocation: sourceLocation)
        let console = try await consoleNames(in: dir)
        #expect(console.count == count && console.values.allSatisfy { $0 == 1 }, "\(label): \(console)", sourceLocation: sourceLocation)
        #expect(Set(try await stateNames(in: dir)) == Set(console.keys), "\(label)", sourceLocation: sourceLocation)
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
