import Foundation
import KeyformCore
import Testing
@testable import KeyformConsole

/// A real `SIGKILL` at random moments: every integration the console acknowledged is there
/// after the restart.
///
/// The child is this test binary itself, running only `crashChild` with
/// `KEYFORM_CONSOLE_CRASH_CHILD` set: four tasks create integrations (with services and a
/// registration) and print `ACK name projectId apiKey` after each create returns.
@Suite struct CrashTests {
    static let childVariable = "KEYFORM_CONSOLE_CRASH_CHILD"
    static var testBinary: String? {
        let path = CommandLine.arguments.first ?? ""
        return path.hasSuffix(".xctest") && FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    @Test(.enabled(if: CrashTests.testBinary != nil, "runs the test binary as its child"))
    func acknowledgedCreatesSurviveSIGKILL() async throws {
        let directory = TestDirectory()
        let path = directory.path + "/console.json"
        var acknowledged: [String: (projectId: String, apiKey: String)] = [:]
        var generator = SystemRandomNumberGenerator()
        for round in 0..<6 {
            let killAfter = Int.random(in: 1...40, using: &generator)
            let lines = try runChildUntilKilled(path: path, round: round, killAfter: killAfter)
            #expect(lines.count >= killAfter)
            for line in lines {
                let parts = line.split(separator: " ").map(String.init)
                acknowledged[parts[1]] = (parts[2], parts[3])
            }
            let provider = try LocalProvider.open(path: path)
            let byName = Dictionary(uniqueKeysWithValues: try await provider.listIntegrations().map { ($0.name, $0) })
            for (name, ids) in acknowledged {
                #expect(byName[name]?.id.projectId == ids.projectId, "round \(round): \(name) was acknowledged, then lost")
                #expect(byName[name]?.apiKey == ids.apiKey)
            }
            // Every other round closes (compacts); the others leave the log to replay.
            if round % 2 == 0 { try provider.close() }
        }
        #expect(acknowledged.count >= 6)
    }

    /// Not a test of its own: the child's body, which does nothing unless the parent set the
    /// variable.
    @Test func crashChild() async throws {
        guard let path = ProcessInfo.processInfo.environment[Self.childVariable],
              let round = ProcessInfo.processInfo.environment["KEYFORM_CONSOLE_CRASH_ROUND"] else { return }
        let provider = try LocalProvider.open(path: path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for index in 0..<100_000 {
                        let name = "r\(round)w\(worker)n\(index)"
                        let record = try await provider.createIntegration(Fixtures.attributes(name, type: .serviceAccount))
                        let line = "ACK \(name) \(record.id.projectId) \(record.apiKey)\n"
                        _ = line.withCString { write(1, $0, strlen($0)) }
                        try await provider.setServices(record.id, to: ["StockSDK", "PhotoshopSDK"])
                        _ = try await provider.createRegistration(
                            record.id, EventRegistrationSpec(name: "hook", provider: "ccstorage", eventCodes: ["asset_created"], webhookUrl: "https://h.example.com"))
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Starts the child, reads its acknowledgements until `killAfter` have come, kills it with
    /// SIGKILL and returns every acknowledgement it printed.
    private func runChildUntilKilled(path: String, round: Int, killAfter: Int) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.testBinary))
        process.arguments = ["--testing-library", "swift-testing", "--filter", "CrashTests/crashChild"]
        var environment = ProcessInfo.processInfo.environment
        environment[Self.childVariable] = path
        environment["KEYFORM_CONSOLE_CRASH_ROUND"] = String(round)
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        var buffer = Data()
        var acknowledgements: [String] = []
        let deadline = Date().addingTimeInterval(120)
        while acknowledgements.count < killAfter, Date() < deadline {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            acknowledgements = String(decoding: buffer, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("ACK ") }.map(String.init)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        buffer.append(pipe.fileHandleForReading.readDataToEndOfFile())
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL)
        // A line cut off by the kill was not printed whole: its create was still acknowledged
        // only if the whole line came through.
        let text = String(decoding: buffer, as: UTF8.self)
        let complete = text.hasSuffix("\n") ? text[...] : text[..<(text.lastIndex(of: "\n") ?? text.startIndex)]
        return complete.split(separator: "\n").filter { $0.hasPrefix("ACK ") && $0.split(separator: " ").count == 4 }.map(String.init)
    }
}
