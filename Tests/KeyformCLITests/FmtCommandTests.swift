import Foundation
import KeyformCLI
import KeyformJSON
import KeyformTestSupport
import Testing

@Suite struct FmtCommandTests {
    struct Run {
        var code: Int32
        var stdout: String
        var stderr: String
    }

    static func fmt(_ arguments: [String], in directory: URL) async -> Run {
        let out = OutputBuffer(), err = OutputBuffer()
        let code = await CLI.run(
            arguments: ["fmt"] + arguments, environment: [:], currentDirectory: directory.path, stdout: out, stderr: err)
        return Run(code: code, stdout: out.text, stderr: err.text)
    }

    static func write(_ text: String, _ path: String, in directory: URL) throws {
        let url = directory.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    static func read(_ path: String, in directory: URL) -> String {
        (try? String(contentsOf: directory.appendingPathComponent(path), encoding: .utf8)) ?? "(missing)"
    }

    static func tree() throws -> URL {
        let dir = TestPaths.temporaryDirectory("fmt")
        try write(#"{"name":"web","services":["StockSDK"]}"#, "integrations/web.json", in: dir)
        try write("{\n  \"already\": \"canonical\"\n}\n", "integrations/a.json", in: dir)
        try write(#"[1,2]"#, "integrations/nested/deep.json", in: dir)
        try write(#"{"not":"json files are skipped"}"#, "integrations/notes.txt", in: dir)
        try write(#"{"hidden":1}"#, "integrations/.cache/h.json", in: dir)
        return dir
    }

    @Test func formatsDirectoriesInPlaceAndIsIdempotent() async throws {
        let dir = try Self.tree()
        let first = await Self.fmt(["integrations"], in: dir)
        #expect(first.code == 0)
        #expect(first.stderr == "")
        #expect(first.stdout == "integrations/nested/deep.json\nintegrations/web.json\n")
        #expect(Self.read("integrations/web.json", in: dir) == "{\n  \"name\": \"web\",\n  \"services\": [\n    \"StockSDK\"\n  ]\n}\n")
        #expect(Self.read("integrations/nested/deep.json", in: dir) == "[\n  1,\n  2\n]\n")
        #expect(Self.read("integrations/notes.txt", in: dir) == #"{"not":"json files are skipped"}"#)
        #expect(Self.read("integrations/.cache/h.json", in: dir) == #"{"hidden":1}"#)
        // No temporary files are left behind.
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("integrations").path).sorted()
        #expect(names == [".cache", "a.json", "nested", "notes.txt", "web.json"])
        let second = await Self.fmt(["integrations"], in: dir)
        #expect((second.code, second.stdout, second.stderr) == (0, "", ""))
        let check = await Self.fmt(["--check"], in: dir)
        #expect((check.code, check.stdout, check.stderr) == (0, "", ""))
    }

    @Test func checkListsFilesAndChangesNothing() async throws {
        let dir = try Self.tree()
        let run = await Self.fmt(["--check", "integrations/", "integrations/web.json"], in: dir)
        #expect(run.code == 1)
        #expect(run.stdout == "integrations/nested/deep.json\nintegrations/web.json\n")
        #expect(run.stderr == "")
        #expect(Self.read("integrations/web.json", in: dir) == #"{"name":"web","services":["StockSDK"]}"#)
    }

    @Test func stdoutPrintsAndChangesNothing() async throws {
        let dir = try Self.tree()
        let run = await Self.fmt(["--stdout", "integrations/nested/deep.json", "integrations/a.json"], in: dir)
        #expect(run.code == 0)
        #expect(run.stdout == "[\n  1,\n  2\n]\n{\n  \"already\": \"canonical\"\n}\n")
        #expect(Self.read("integrations/nested/deep.json", in: dir) == "[1,2]")
        let both = await Self.fmt(["--stdout", "--check"], in: dir)
        #expect(both.code == 64)
        #expect(both.stderr == "error: --check and --stdout cannot be used together\nRun 'keyform help fmt' for usage.\n")
    }

    @Test func invalidFilesAreReportedAndNeverTouched() async throws {
        let dir = try Self.tree()
        let broken = "{\n  \"name\": \"web\"\n  \"type\": \"apiKey\"\n}"
        try Self.write(broken, "integrations/broken.json", in: dir)
        try Self.write("{\"a\": 1,\n \"a\": 2}", "integrations/dup.json", in: dir)
        let run = await Self.fmt(["integrations"], in: dir)
        #expect(run.code == 1)
        #expect(run.stderr == """
            integrations/broken.json:3:3: error[KF103]: expected ',' or '}' after an object member
                3 |   "type": "apiKey"
                  |   ^
            help: add ',' between the members
            integrations/dup.json:2:2: error[KF109]: duplicate key 'a'
                2 |  "a": 2}
                  |  ^
            integrations/dup.json:1:2: note: the first 'a' is here
                1 | {"a": 1,
                  |  ^
            help: remove one of the two members, or rename one

            """)
        // The valid files are still formatted; the broken ones are left as they were.
        #expect(run.stdout == "integrations/nested/deep.json\nintegrations/web.json\n")
        #expect(Self.read("integrations/broken.json", in: dir) == broken)
        #expect(Self.read("integrations/dup.json", in: dir) == "{\"a\": 1,\n \"a\": 2}")
    }

    @Test func missingPathsAreErrors() async throws {
        let dir = try Self.tree()
        let run = await Self.fmt(["nothing.json", "integrations/a.json"], in: dir)
        #expect(run.code == 1)
        #expect(run.stderr == "error[KF100]: cannot read 'nothing.json': no such file or directory\n")
    }

    @Test func permissionsAndLinksSurviveARewrite() async throws {
        let dir = try Self.tree()
        let web = dir.appendingPathComponent("integrations/web.json").path
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: web)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("link.json").path, withDestinationPath: web)
        let run = await Self.fmt(["link.json", "integrations/web.json"], in: dir)
        #expect(run.code == 0)
        #expect(run.stdout == "link.json\n")  // the same file twice is formatted once
        let attributes = try FileManager.default.attributesOfItem(atPath: web)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let link = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("link.json").path)
        #expect((link[.type] as? FileAttributeType) == .typeSymbolicLink)
        #expect(Self.read("integrations/web.json", in: dir).hasPrefix("{\n  \"name\": \"web\","))
    }

    /// fmt gives the parser's verdict on every JSONTestSuite file, except that it refuses
    /// duplicate keys; what it accepts it rewrites to a fixed point, what it rejects it leaves alone.
    @Test func sameVerdictsAsTheParserOnJSONTestSuite() async throws {
        let source = TestPaths.sharedTestdata.appendingPathComponent("json-parsing")
        let names = try FileManager.default.contentsOfDirectory(atPath: source.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(names.count == 318)
        let dir = TestPaths.temporaryDirectory("fmt-suite")
        for name in names {
            let original = try Data(contentsOf: source.appendingPathComponent(name))
            try original.write(to: dir.appendingPathComponent(name))
            let parses = (try? JSONDocument.parse([UInt8](original), file: name)) != nil
            if name.hasPrefix("y_") { #expect(parses == !name.contains("duplicated_key"), "\(name)") }
            if name.hasPrefix("n_") { #expect(!parses, "\(name)") }
            let run = await Self.fmt([name], in: dir)
            let after = try Data(contentsOf: dir.appendingPathComponent(name))
            if parses {
                #expect(run.code == 0 && run.stderr == "", "\(name): \(run.stderr)")
                let again = await Self.fmt(["--check", name], in: dir)
                #expect((again.code, again.stdout) == (0, ""), "\(name) is not a fixed point")
                let before = try JSONDocument.parse([UInt8](original), file: name).root.json
                #expect(try JSON.parse([UInt8](after)) == before, "\(name) changed meaning")
            } else {
                #expect(run.code == 1, "\(name)")
                #expect(run.stdout == "", "\(name)")
                #expect(run.stderr.range(of: #"^\Q\#(name)\E:\d+:\d+: error\[KF1\d\d\]: "#, options: .regularExpression) != nil, "\(name): \(run.stderr)")
                #expect(after == original, "\(name) was touched")
            }
        }
    }
}
