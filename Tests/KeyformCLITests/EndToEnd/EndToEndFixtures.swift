import Foundation
import KeyformTestSupport

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

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
