import Foundation
import KeyformCLI
import KeyformJSON
import KeyformTestSupport
import Testing

/// `examples/ci/`: the workflows are YAML (read by Python's `pyyaml`, as the CI services read
/// them), each shell script in them is valid shell in which no command is cut in two (the
/// GitLab note's `curl` lost its options to a folded scalar), and every `keyform` command
/// they run exists with the options they give it.
@Suite struct CIExampleTests {
    static let files = ["examples/ci/github-actions.yml", "examples/ci/gitlab-ci.yml"]
    static let pythonHasYAML = Python.hasModule("yaml")

    /// Every shell script of the workflows (`run`, `script`, `before_script`, `after_script`;
    /// not `with: script`, which is an action's input), as pyyaml reads them.
    static let extractor = """
        import json, sys, yaml
        out = []
        def walk(node, parent, path):
            if isinstance(node, dict):
                for key, value in node.items():
                    if key in ("run", "script", "before_script", "after_script") and parent != "with":
                        for script in value if isinstance(value, list) else [value]:
                            out.append({"file": path, "script": script})
                    else:
                        walk(value, key, path)
            elif isinstance(node, list):
                for value in node:
                    walk(value, parent, path)
        for path in sys.argv[1:]:
            walk(yaml.safe_load(open(path)), None, path)
        print(json.dumps(out))
        """

    static func scripts() throws -> [(file: String, script: String)] {
        let (status, output) = try Python.run(["-c", extractor] + files, in: TestPaths.packageRoot)
        #expect(status == 0, "\(output)")
        return try JSON.parse(Array(output.utf8)).arrayValue?.compactMap { entry in
            guard let file = entry["file"]?.stringValue, let script = entry["script"]?.stringValue else { return nil }
            return (file, script)
        } ?? []
    }

    /// The `keyform` invocations of a script: the words after `keyform`, up to a shell operator.
    static func invocations(in script: String) -> [[String]] {
        let spaced = script.replacingOccurrences(of: "(", with: " ; ").replacingOccurrences(of: ")", with: " ; ")
            .replacingOccurrences(of: ";", with: " ; ")
        let words = spaced.split(whereSeparator: \.isWhitespace).map(String.init)
        var found: [[String]] = []
        for (index, word) in words.enumerated() where word == "keyform" || word.hasSuffix("/keyform") {
            let rest = words[(index + 1)...].prefix { !["|", "&&", "||", ";"].contains($0) && !$0.hasPrefix(">") && !$0.hasPrefix("2>") }
            if let first = rest.first, !first.hasPrefix("/") { found.append(Array(rest)) }
        }
        return found
    }

    @Test(.enabled(if: pythonHasYAML, "python3 with pyyaml is not available (pip install pyyaml)"))
    func everyScriptIsShellWithNoCommandCutInTwo() async throws {
        let scripts = try Self.scripts()
        #expect(Set(scripts.map(\.file)) == Set(Self.files))
        for (file, script) in scripts {
            let bash = try ChildProcess(URL(fileURLWithPath: "/bin/bash"), ["-n", "-c", script], directory: TestPaths.packageRoot)
            let status = await bash.wait()
            #expect(status == 0, "\(file): \(script)\n\(bash.stderr)")
            // A line that starts with an option continues the line before it only after a `\`.
            let lines = script.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            for (previous, line) in zip(lines, lines.dropFirst()) where line.hasPrefix("-") {
                #expect(previous.hasSuffix("\\"), "\(file): '\(line)' is not part of the command above it")
            }
        }
    }

    @Test(.enabled(if: pythonHasYAML, "python3 with pyyaml is not available (pip install pyyaml)"))
    func everyKeyformCommandExistsWithItsOptions() async throws {
        var seen: Set<String> = []
        for (file, script) in try Self.scripts() {
            for words in Self.invocations(in: script) {
                let command = words[0]
                let options = await HelpTests.help(command).options  // an unknown command fails there
                let given = Set(words.filter { $0.hasPrefix("--") }.map { String($0.prefix { $0 != "=" }) })
                #expect(given.subtracting(options).sorted() == [], "\(file): keyform \(words.joined(separator: " "))")
                seen.insert(command)
            }
        }
        #expect(seen == ["validate", "plan", "show", "apply"])
    }
}
