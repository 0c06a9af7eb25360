import Foundation
import KeyformCore
import Testing
@testable import KeyformCLI

/// Apply's progress and failure lines quote the console: shown escaped, like every other line.
@Suite struct ApplyProgressTests {
    static let step = ApplyStep(
        id: "register:hooks", address: #"hooks.events["asset-sync"]"#,
        operation: .register(name: "hooks", registration: EventRegistrationSpec(name: "asset-sync", provider: "aem", eventCodes: ["e"], webhookUrl: "https://h.example.com")))

    /// A registration id with an escape sequence, from a console's answer, reached the
    /// terminal raw (and coloured it).
    @Test func aDetailFromTheConsoleIsShownEscaped() {
        let output = OutputBuffer()
        let progress = ProgressPrinter(output: output)
        progress.handle(.started(Self.step))
        progress.handle(.succeeded(Self.step, detail: "registration r\u{1b}[31mX"))
        #expect(!output.text.contains("\u{1b}"))
        #expect(output.text.hasSuffix(#" (registration r\u001b[31mX)"# + "\n"))
    }

    @Test func aFailureFromTheConsoleIsShownEscaped() {
        let error = ConsoleError.notFound(what: "registration \u{1b}[31mred", request: .init(method: "GET", path: "/events/1/p/w/registrations/x", status: 404))
        #expect(describe(error).hasPrefix(#"GET /events/1/p/w/registrations/x failed: 404 Not Found: registration \u001b[31mred not found; "#))
    }
}
