import Foundation
import Glibc
import KeyformCLI
import KeyformJSON
import KeyformTestSupport
import Testing

/// `keyform console serve` as users run it: the built binary as a child process on a free
/// loopback port, spoken to over raw sockets.
@Suite struct ConsoleServeTests {
    /// Serves, stops on the signal after the request in flight was answered, exits 0 with
    /// the console saved; a restart serves the same console.
    @Test(arguments: [SIGTERM, SIGINT])
    func stopsGracefullyAndKeepsTheConsole(_ signal: Int32) async throws {
        let directory = TestPaths.temporaryDirectory("serve")
        defer { try? FileManager.default.removeItem(at: directory) }
        let serve = try ConsoleServeProcess(["--data", "console", "--latency", "400"], in: directory)
        let port = try serve.port()
        let made = try await onThread { () throws -> [Int] in
            let client = try ConsoleServeClient(port: port)
            let org = try Self.organization(client)
            let project = try client.request("POST", "/console/organizations/\(org)/projects",
                                             body: #"{"name":"kept","title":"Kept","description":"Survives.","type":"jaeger"}"#)
            let json = try JSON.parse(project.body)
            let credential = try client.request(
                "POST", "/console/organizations/\(org)/projects/\(json["projectId"]?.stringValue ?? "")/workspaces/\(json["workspaceId"]?.stringValue ?? "")/credentials/adobeId",
                body: #"{"name":"kept","description":"","platform":"apiKey","domain":"kept.example.com"}"#)
            return [project.status, credential.status]
        }
        #expect(made == [201, 200])

        // Send the request before the signal (the server then holds it for 400 ms of latency),
        // and read its answer on a thread of its own.
        nonisolated(unsafe) let client = try ConsoleServeClient(port: port)  // used by one thread at a time
        try client.send("GET /console/organizations HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer serve-test-token\r\nx-api-key: serve-test-key\r\n\r\n")
        let inFlight = Task { try await onThread { try client.readAnswer().status } }
        try await Task.sleep(for: .milliseconds(150))
        serve.signal(signal)
        #expect(try await inFlight.value == 200)
        #expect(serve.wait() == 0)
        let name = signal == SIGINT ? "SIGINT" : "SIGTERM"
        #expect(serve.stderr.contains("received \(name): finishing the requests in flight\n"), "\(serve.stderr)")
        #expect(serve.stderr.hasSuffix("stopped; the console is saved in console/console.json\n"), "\(serve.stderr)")
        let lines = serve.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines.first == "listening on http://127.0.0.1:\(port)")
        #expect(lines.last?.wholeMatch(of: /organization \d{7} [0-9A-F]{24}@AdobeOrg/) != nil, "\(serve.stdout)")

        let listed = try await ChildProcess.keyform(["console", "list", "--console", "local:console/console.json"], in: directory)
        #expect(listed.status == 0)
        #expect(listed.stdout.hasPrefix("NAME  TYPE    API KEY"), "\(listed.stdout)")
        #expect(listed.stdout.contains("\nkept  apiKey  "), "\(listed.stdout)")

        let again = try ConsoleServeProcess(["--data", "console"], in: directory)
        let againPort = try again.port()
        let names = try await onThread { () throws -> [String] in
            let client = try ConsoleServeClient(port: againPort)
            let org = try Self.organization(client)
            let projects = try JSON.parse(try client.request("GET", "/console/organizations/\(org)/projects").body)
            return projects.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        }
        #expect(names == ["kept"])
        again.signal(SIGTERM)
        #expect(again.wait() == 0)
    }

    /// A request half sent when SIGTERM comes is not in flight: the connection is closed and
    /// the server stops at once, not after the 30 s body timeout.
    @Test func aHalfSentRequestDoesNotHoldTheShutdown() async throws {
        let directory = TestPaths.temporaryDirectory("serve")
        defer { try? FileManager.default.removeItem(at: directory) }
        let serve = try ConsoleServeProcess(["--data", "console"], in: directory)
        let port = try serve.port()
        let stalled = try ConsoleServeClient(port: port)
        try stalled.send("POST /console/organizations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{")
        let half = try ConsoleServeClient(port: port)
        try half.send("GET /console/organizations HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        try await Task.sleep(for: .milliseconds(200))
        let started = Date()
        serve.signal(SIGTERM)
        #expect(serve.wait(timeout: 5) == 0)
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(serve.stderr.hasSuffix("stopped; the console is saved in console/console.json\n"), "\(serve.stderr)")
    }

    /// `console list` over HTTP names the console it listed without the URL's password, in
    /// the table and in the JSON (both printed it as given).
    @Test func consoleListHidesTheURLsPassword() async throws {
        let directory = TestPaths.temporaryDirectory("serve")
        defer { try? FileManager.default.removeItem(at: directory) }
        let serve = try ConsoleServeProcess(["--data", "console"], in: directory)
        let port = try serve.port()
        let url = "http://ci:hunter2@127.0.0.1:\(port)"
        let environment = ["KEYFORM_ACCESS_TOKEN": "t", "KEYFORM_API_KEY": "k"]
        let table = try await ChildProcess.keyform(["console", "list", "--console", url], in: directory, environment: environment)
        #expect(table.status == 0 && table.stderr == "")
        #expect(table.stdout == "No integrations in http://ci:***@127.0.0.1:\(port).\n")
        let json = try await ChildProcess.keyform(["console", "list", "--json", "--console", url], in: directory, environment: environment)
        #expect(json.status == 0 && json.stderr == "")
        #expect(json.stdout.contains("\"console\": \"http://ci:***@127.0.0.1:\(port)\""), "\(json.stdout)")
        #expect(!table.stdout.contains("hunter2") && !json.stdout.contains("hunter2"))
        serve.signal(SIGTERM)
        #expect(serve.wait() == 0)
    }

    /// A second signal while a request is still in flight ends the process at once, by that
    /// signal (the console file stays whole: it is written crash-safely).
    @Test func aSecondSignalStopsAtOnce() async throws {
        let directory = TestPaths.temporaryDirectory("serve")
        defer { try? FileManager.default.removeItem(at: directory) }
        let serve = try ConsoleServeProcess(["--data", "console", "--latency", "20000"], in: directory)
        let port = try serve.port()
        let client = try ConsoleServeClient(port: port)
        try client.send("GET /console/organizations HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer t\r\nx-api-key: k\r\n\r\n")
        try await Task.sleep(for: .milliseconds(200))
        serve.signal(SIGTERM)
        // The request takes 20 s: the second signal comes while it is in flight.
        #expect(await serve.stderrContains("received SIGTERM"))
        serve.signal(SIGINT)
        #expect(await serve.exit(timeout: 5) == 128 + SIGINT)
        let listed = try await ChildProcess.keyform(["console", "list", "--console", "local:console/console.json"], in: directory)
        #expect(listed.status == 0, "\(listed.stderr)")
    }

    /// Malformed JSON, oversized headers, a request cut off half-way, one stalled half-way and
    /// a client sending a byte a second each get a 4xx or a closed connection, while another
    /// client keeps getting answers throughout.
    @Test func badRequestsAreRefusedWhileOthersAreAnswered() async throws {
        let directory = TestPaths.temporaryDirectory("serve")
        defer { try? FileManager.default.removeItem(at: directory) }
        let serve = try ConsoleServeProcess(["--data", "console", "--header-timeout", "1", "--body-timeout", "1", "--quiet"], in: directory)
        let port = try serve.port()
        let org = try await onThread { try Self.organization(ConsoleServeClient(port: port)) }
        let stop = StopFlag()
        let steady = Task {
            try await onThread { () throws -> [Int] in
                let client = try ConsoleServeClient(port: port)
                var statuses: [Int] = []
                while !stop.isRaised {
                    statuses.append(try client.request("GET", "/console/organizations").status)
                    usleep(20_000)
                }
                return statuses
            }
        }
        async let malformed = onThread { try ConsoleServeClient(port: port).request("POST", "/console/organizations/\(org)/projects", body: #"{"name":"#) }
        async let oversized = onThread { () throws -> (ConsoleServeClient.Answer, Bool) in
            let client = try ConsoleServeClient(port: port)
            try client.send("GET /console/organizations HTTP/1.1\r\nHost: x\r\nX-Padding: \(String(repeating: "a", count: 20_000))\r\n\r\n")
            return (try client.readAnswer(), client.isClosedByServer())
        }
        async let cutOff = onThread { () throws -> Bool in
            let client = try ConsoleServeClient(port: port)
            try client.send("POST /console/organizations/1/projects HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"name\":")
            client.finishSending()
            return client.isClosedByServer()
        }
        async let stalled = onThread { () throws -> (ConsoleServeClient.Answer, Bool) in
            let client = try ConsoleServeClient(port: port)
            try client.send("POST /console/organizations/1/projects HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"name\":")
            return (try client.readAnswer(), client.isClosedByServer())
        }
        async let trickling = onThread { () throws -> (answer: ConsoleServeClient.Answer?, bytesSent: Int) in
            // One byte, then up to a second's wait for an answer, and so on.
            let client = try ConsoleServeClient(port: port, timeout: 1)
            let request = Array("GET /console/organizations HTTP/1.1\r\nHost: x\r\n\r\n")
            for (index, character) in request.enumerated() {
                do {
                    try client.send(String(character))
                } catch {
                    return (nil, index)
                }
                do {
                    return (try client.readAnswer(), index + 1)
                } catch ConsoleServeClient.Failure.timedOut {
                    continue
                } catch {
                    return (nil, index + 1)
                }
            }
            return (nil, request.count)
        }

        let malformedAnswer = try await malformed
        #expect(malformedAnswer.status == 400)
        #expect(malformedAnswer.headers["content-type"] == "application/json")
        let message = (try JSON.parse(malformedAnswer.body))["message"]?.stringValue ?? ""
        #expect(message.hasPrefix("the body is not valid JSON: "), "\(malformedAnswer.body)")
        let (big, bigClosed) = try await oversized
        #expect(big.status == 431)
        #expect(bigClosed)
        #expect(try await cutOff)
        let (stalledAnswer, stalledClosed) = try await stalled
        #expect(stalledAnswer.status == 408)
        #expect(stalledClosed)
        let slow = try await trickling
        #expect(slow.answer?.status == 408, "after \(slow.bytesSent) bytes")
        #expect(slow.bytesSent < 6)

        stop.raise()
        let statuses = try await steady.value
        #expect(statuses.count >= 10)
        #expect(Set(statuses) == [200])
        serve.signal(SIGTERM)
        #expect(serve.wait() == 0)
    }

    @Test func aConsoleServedElsewhereIsReported() async throws {
        let directory = TestPaths.temporaryDirectory("serve")
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try ConsoleServeProcess(["--data", "console"], in: directory)
        _ = try first.port()
        let second = try ConsoleServeProcess(["--data", "console"], in: directory)
        #expect(second.wait() == 1)
        #expect(second.stderr == """
            error[KF564]: console/console.json is in use by another process (an apply or `keyform console serve`)
            help: wait for it to finish, or stop it

            """)
        #expect(second.stdout.isEmpty)
        first.signal(SIGTERM)
        #expect(first.wait() == 0)
    }

    @Test(arguments: [
        (["--fail-rate", "2"], "--fail-rate expects a fraction between 0 and 1, not '2'"),
        (["--lost-rate", "x"], "--lost-rate expects a fraction between 0 and 1, not 'x'"),
        (["--port", "70000"], "--port expects a port number (0 to 65535), not '70000'"),
        (["--latency", "-1"], "--latency expects milliseconds (0 to 600000), not '-1'"),
        (["--rate-limit", "0"], "--rate-limit expects requests a second (at least 1), not '0'"),
        (["--seed", "-3"], "--seed expects a whole number (0 to 18446744073709551615), not '-3'"),
        (["--header-timeout", "0"], "--header-timeout expects seconds (0.001 to 86400), not '0'"),
        (["--token", "two words"], "--token expects a non-empty token of printable characters without spaces"),
        (["--data", "d", "--console", "local:x.json"], "give the console's place once: --data DIR or --console local:PATH"),
        (["--console", "http://127.0.0.1:1"], "console serve serves a local console: --data DIR or --console local:PATH, not 'http://127.0.0.1:1'"),
    ])
    func optionsOutOfRangeAreUsageErrors(_ options: [String], _ message: String) async {
        let stdout = OutputBuffer(), stderr = OutputBuffer()
        let status = await CLI.run(
            arguments: ["console", "serve"] + options, environment: [:], currentDirectory: "/nonexistent", stdout: stdout, stderr: stderr)
        #expect(status == 64)
        #expect(stderr.text == "error: \(message)\nRun 'keyform help console' for usage.\n")
        #expect(stdout.text.isEmpty)
    }

    /// SIGTERM the moment the server says where it listens: it stops, every time (a signal
    /// that came before Dispatch had armed its source was dropped, and the server served on).
    @Test func aSigtermRightAfterStartingStopsTheServer() async throws {
        let directory = TestPaths.temporaryDirectory("serve")
        defer { try? FileManager.default.removeItem(at: directory) }
        for _ in 0..<10 {
            let serve = try ConsoleServeProcess(["--quiet", "--data", "d"], in: directory)
            _ = try serve.port()
            serve.signal(SIGTERM)
            #expect(await serve.exit(timeout: 10) == 0, "\(serve.stderr)")
        }
    }

    /// The numeric id of the one organization served.
    /// Without `--data` or `--console`, `serve` serves the local console `keyform.json` names
    /// (the one `plan`, `apply` and `console list` use), here `ci/console.json`.
    @Test func servesTheLocalConsoleKeyformJSONNames() async throws {
        let directory = TestPaths.temporaryDirectory("serve")
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(#"{"console": {"provider": "local", "path": "ci/console.json"}}"#.utf8)
            .write(to: directory.appendingPathComponent("keyform.json"))
        let serve = try ConsoleServeProcess(["--quiet"], in: directory)
        _ = try serve.port()
        serve.signal(SIGTERM)
        #expect(serve.wait() == 0)
        // (The signal may be reported before or after the line naming the console.)
        #expect(serve.stderr.contains("console ci/console.json: organization "), "\(serve.stderr)")
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("ci/console.json").path))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent(".keyform").path))
    }

    static func organization(_ client: ConsoleServeClient) throws -> String {
        let answer = try client.request("GET", "/console/organizations")
        return (try JSON.parse(answer.body)).arrayValue?.first?["id"]?.stringValue ?? ""
    }
}

/// A flag raised once, read from other threads.
final class StopFlag: @unchecked Sendable {
    // @unchecked: `raised` is only touched under `lock`.
    private let lock = NSLock()
    private var raised = false
    func raise() { lock.withLock { raised = true } }
    var isRaised: Bool { lock.withLock { raised } }
}
