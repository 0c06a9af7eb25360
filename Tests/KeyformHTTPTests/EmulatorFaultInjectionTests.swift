import Foundation
import KeyformConsole
import KeyformCore
@testable import KeyformHTTP
import KeyformHTTPServer
import KeyformJSON
import Testing

/// Injected faults: 503 before anything is done, 504 after it was done, 429 beyond the rate
/// limit, all drawn from a seed; and the request log.
@Suite struct EmulatorFaultInjectionTests {
    static let createBody = #"{"name":"faulty","title":"Faulty","description":"","type":"jaeger"}"#

    @Test func anInjectedFailureHasNoEffect() async throws {
        let engine = EmulatorFixture.engine()
        let emulator = try EmulatorFixture.emulator(engine, .init(failRate: 1, seed: 3))
        let response = try await emulator.send("POST", emulator.orgPath + "/projects", Self.createBody)
        #expect(response.status == 503)
        #expect(response.text == #"{"status":503,"error_code":"ERR_SERVICE_UNAVAILABLE","message":"the console is unavailable (injected fault); nothing was done"}"#)
        #expect(try engine.projects().totalCount == 0)
        #expect(emulator.faultCounts.failed == 1)
    }

    @Test func aLostAnswerHidesWorkThatWasDone() async throws {
        let engine = EmulatorFixture.engine()
        let emulator = try EmulatorFixture.emulator(engine, .init(lostAnswerRate: 1, seed: 3))
        let response = try await emulator.send("POST", emulator.orgPath + "/projects", Self.createBody)
        #expect(response.status == 504)
        #expect(response.json["error_code"] == "ERR_GATEWAY_TIMEOUT")
        #expect(try engine.project(named: "faulty") != nil)
        #expect(emulator.faultCounts.lostAnswers == 1)
    }

    @Test func theRateLimitAnswers429WithRetryAfter() async throws {
        let emulator = try EmulatorFixture.emulator(EmulatorFixture.engine(), .init(rateLimit: 2, seed: 3))
        var statuses: [Int] = []
        var retryAfter: [String?] = []
        for _ in 0..<3 {
            let response = try await emulator.send("GET", "/console/organizations")
            statuses.append(response.status)
            retryAfter.append(response.headers["retry-after"])
        }
        #expect(statuses == [200, 200, 429])
        #expect(retryAfter == [nil, nil, "1"])
        #expect(emulator.faultCounts.rateLimited == 1)
    }

    @Test func theSeedDecidesWhichRequestsFail() async throws {
        func statuses(seed: UInt64) async throws -> [Int] {
            let emulator = try EmulatorFixture.emulator(EmulatorFixture.engine(), .init(failRate: 0.5, seed: seed))
            var statuses: [Int] = []
            for _ in 0..<24 { statuses.append(try await emulator.send("GET", "/console/organizations").status) }
            return statuses
        }
        let first = try await statuses(seed: 42)
        #expect(try await statuses(seed: 42) == first)
        #expect(try await statuses(seed: 43) != first)
        #expect(Set(first) == [200, 503])
    }

    @Test(arguments: [
        (ConsoleEmulator.Configuration(failRate: 1.5), "the fail rate must be between 0 and 1 (a fraction of requests), not 1.5"),
        (ConsoleEmulator.Configuration(lostAnswerRate: -0.1), "the lost answer rate must be between 0 and 1 (a fraction of requests), not -0.1"),
        (ConsoleEmulator.Configuration(rateLimit: 0), "the rate limit must be at least 1 request a second, not 0"),
        (ConsoleEmulator.Configuration(latency: .milliseconds(-5)), "latency must be between 0 and 600000 ms, not -5 ms"),
        (ConsoleEmulator.Configuration(requiredToken: ""), "the required token must not be empty"),
    ])
    func settingsOutOfRangeAreRefused(_ configuration: ConsoleEmulator.Configuration, _ message: String) throws {
        let error = #expect(throws: ConsoleEmulatorError.self) { try ConsoleEmulator(engine: EmulatorFixture.engine(), configuration: configuration) }
        #expect(error?.description == message)
    }

    @Test func logsOneLinePerRequestWithoutHeaders() async throws {
        let lines = LineLog()
        let emulator = try ConsoleEmulator(engine: EmulatorFixture.engine(), configuration: .init(seed: 1)) { line in
            lines.append(line)
        }
        _ = try await emulator.send("GET", "/console/organizations")
        _ = try await emulator.send("POST", emulator.orgPath + "/projects?x=secret-query", "{")
        _ = try await emulator.send("GET", "/console/organizations", headers: [:])
        let logged = lines.lines
        #expect(logged.count == 3)
        let pattern = /^(GET|POST) (\S+) (\d{3}) \d+\.\d ms test-request$/
        let parsed = logged.compactMap { $0.wholeMatch(of: pattern).map { "\($0.output.1) \($0.output.2) \($0.output.3)" } }
        #expect(parsed == ["GET /console/organizations 200", "POST \(emulator.orgPath)/projects 400", "GET /console/organizations 401"])
        for line in logged {
            #expect(!line.contains(EmulatorFixture.token) && !line.contains(EmulatorFixture.apiKey) && !line.contains("secret-query"))
        }
    }
}
