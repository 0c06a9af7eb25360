import Foundation
import KeyformCLI
import KeyformConsole
import KeyformCore
import KeyformTestSupport
import Testing

@Suite struct ConsoleCommandTests {
    let directory = ScratchDirectory("keyform-console-list")
    var consolePath: String { directory.path + "/.keyform/console.json" }

    /// Three integrations: a service account with services and two registrations, an OAuth
    /// web app, an API key.
    private func populate(at path: String) async throws {
        let provider = LocalProvider(engine: try ConsoleEngine.open(path: path, randomSource: SeededGenerator(seed: 7)))
        let assets = try await provider.createIntegration(IntegrationAttributes(
            name: "assetsync", title: "Asset Sync", description: "Syncs assets.", type: .serviceAccount))
        try await provider.setServices(assets.id, to: ["StockSDK", "CloudIntegrationSDK"])
        for (name, code) in [("asset-created", "asset_created"), ("asset-deleted", "asset_deleted")] {
            _ = try await provider.createRegistration(
                assets.id, EventRegistrationSpec(name: name, provider: "ccstorage", eventCodes: [code], webhookUrl: "https://hooks.example.com/\(name)"))
        }
        _ = try await provider.createIntegration(IntegrationAttributes(
            name: "webportal", title: "Web Portal", description: "Customer portal.", type: .oauth, redirectUris: ["https://portal.example.com/cb"]))
        let stock = try await provider.createIntegration(IntegrationAttributes(
            name: "stocksearch", title: "Stock Search", description: "Stock search.", type: .apiKey, allowedDomains: ["www.example.com"]))
        try await provider.setServices(stock.id, to: ["StockSDK"])
        try provider.close()
    }

    private func run(_ arguments: [String]) async -> (status: Int32, stdout: String, stderr: String) {
        let out = OutputBuffer(), err = OutputBuffer()
        let status = await CLI.run(arguments: arguments, environment: [:], currentDirectory: directory.path, stdout: out, stderr: err)
        return (status, out.text, err.text)
    }

    @Test func listsTheConsoleAsATable() async throws {
        try await populate(at: consolePath)
        let result = await run(["console", "list"])
        #expect(result.status == 0 && result.stderr == "")
        #expect(Golden.check(result.stdout, against: "console/list.txt") == nil, "\(Golden.check(result.stdout, against: "console/list.txt") ?? "")")
    }

    @Test func listsTheConsoleAsJSON() async throws {
        try await populate(at: consolePath)
        let result = await run(["console", "list", "--json"])
        #expect(result.status == 0 && result.stderr == "")
        #expect(Golden.check(result.stdout, against: "console/list.json") == nil, "\(Golden.check(result.stdout, against: "console/list.json") ?? "")")
    }

    @Test func neverPrintsASecret() async throws {
        try await populate(at: consolePath)
        let stored = try String(contentsOfFile: consolePath, encoding: .utf8)
        let secrets = stored.components(separatedBy: "\"clientSecret\":\"").dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) }
        #expect(secrets.count == 2)
        let text = await run(["console", "list"]), json = await run(["console", "list", "--json"])
        for secret in secrets {
            #expect(!text.stdout.contains(secret) && !json.stdout.contains(secret))
        }
    }

    @Test func anExplicitLocalPathAndAnEmptyConsole() async throws {
        try await populate(at: directory.path + "/other/console.json")
        let listed = await run(["console", "list", "--console", "local:other/console.json"])
        #expect(listed.status == 0 && listed.stdout.hasSuffix("\n3 integrations in other/console.json.\n"))
        let empty = await run(["console", "list"])
        #expect(empty.status == 0 && empty.stdout == "No integrations in .keyform/console.json: the file does not exist (the first apply creates it).\n" && empty.stderr == "")
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/.keyform"))
    }

    @Test func listsWhileAnotherProcessWritesTheConsole() async throws {
        try await populate(at: consolePath)
        let writer = try ConsoleEngine.open(path: consolePath)
        let result = await run(["console", "list", "--json"])
        #expect(result.status == 0 && result.stdout.contains("\"name\": \"webportal\""))
        try writer.close()
    }

    @Test func aDamagedConsoleIsAnErrorWithItsPosition() async throws {
        try FileManager.default.createDirectory(atPath: directory.path + "/.keyform", withIntermediateDirectories: true)
        try "{\n  \"format\": \"keyform-console\",\n  \"version\": ?\n}\n".write(toFile: consolePath, atomically: false, encoding: .utf8)
        let result = await run(["console", "list"])
        #expect(result.status == 1 && result.stdout == "")
        #expect(result.stderr.hasPrefix(".keyform/console.json:3:14: error[KF560]: the console file is damaged: "))
        #expect(result.stderr.hasSuffix("\nhelp: restore the file from a backup, or move it away to start a fresh console\n"))
    }

    /// The console file holds client secrets: a damaged one must not be reported by quoting
    /// a secret that lost its quotes (or stands where a key belongs).
    @Test func aDamagedConsoleNeverQuotesASecret() async throws {
        try await populate(at: consolePath)
        let stored = try String(contentsOfFile: consolePath, encoding: .utf8)
        let secret = try #require(stored.components(separatedBy: "\"clientSecret\":\"").dropFirst().first?.split(separator: "\"").first)
        let bare = secret.replacingOccurrences(of: "-", with: "")
        for (damaged, message) in [
            ("\"clientSecret\":\(bare)", "a bare word is not a JSON value (a string without its quotes?)"),
            ("\"\(secret)\"", "expected ':' after a key"),
        ] {
            try stored.replacingOccurrences(of: "\"clientSecret\":\"\(secret)\"", with: damaged)
                .write(toFile: consolePath, atomically: false, encoding: .utf8)
            let result = await run(["console", "list"])
            #expect(result.status == 1 && result.stdout == "")
            #expect(result.stderr.contains("error[KF560]: the console file is damaged: \(message)\n"), "\(result.stderr)")
            #expect(!result.stderr.contains(bare) && !result.stderr.contains(secret))
        }
    }

    /// Names are shown escaped: a control character in the console's data (any name, on an
    /// HTTP console) must not act on the terminal.
    @Test func controlCharactersInTheConsoleAreShownEscaped() async throws {
        try await populate(at: consolePath)
        let stored = try String(contentsOfFile: consolePath, encoding: .utf8)
        try stored.replacingOccurrences(of: "\"name\":\"webportal\"", with: "\"name\":\"web\\u001b[2Jportal\"")
            .write(toFile: consolePath, atomically: false, encoding: .utf8)
        let result = await run(["console", "list"])
        #expect(result.status == 0 && result.stderr == "")
        #expect(result.stdout.contains("\nweb\\u001b[2Jportal  oauth "), "\(result.stdout)")
        #expect(!result.stdout.contains("\u{1B}"))
    }

    /// A console that cannot be reached: the error says what failed, not "could not apply".
    @Test func anUnreachableConsoleSaysWhatFailed() async {
        let out = OutputBuffer(), err = OutputBuffer()
        let status = await CLI.run(
            arguments: ["console", "list", "--console", "http://127.0.0.1:1"],
            environment: ["KEYFORM_ACCESS_TOKEN": "tk-9f8e7d6c", "KEYFORM_API_KEY": "key"], currentDirectory: directory.path,
            stdout: out, stderr: err)
        #expect(status == 1 && out.text == "")
        #expect(err.text.hasPrefix("error[KF500]: could not list the console's integrations: GET /console/organizations failed: cannot connect"), "\(err.text)")
        #expect(!err.text.contains("tk-9f8e7d6c"))
    }

    @Test(arguments: [
        (["console"], 64, "error: 'keyform console' needs a subcommand: list or serve\nRun 'keyform help console' for usage.\n"),
        (["console", "lst"], 64, "error: unknown console subcommand 'lst'\nhelp: did you mean 'list'?\nRun 'keyform help console' for usage.\n"),
        (["console", "list", "--console", "console.json"], 64, "error[KF402]: --console expects local:PATH or an http(s) URL, not 'console.json'\n"),
        (["console", "list", "--console", "https://developers.adobe.io"], 1, "error[KF403]: KEYFORM_ACCESS_TOKEN is not set; export it before running Keyform with the http console (an IMS access token for the organization)\n"),
    ])
    func refusesWhatItCannotDo(arguments: [String], status: Int32, stderr: String) async {
        let result = await run(arguments)
        #expect(result.status == status && result.stderr == stderr && result.stdout == "")
    }
}
