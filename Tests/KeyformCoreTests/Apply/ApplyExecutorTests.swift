import Foundation
import Testing
@testable import KeyformCore

@Suite struct ApplyExecutorTests {
    let spec = IntegrationSpec(
        name: "stocksearchweb", title: "Stock Search Web", description: "Stock search for the site.",
        type: .apiKey, allowedDomains: ["www.example.com"], services: ["StockSDK"],
        events: [EventRegistrationSpec(name: "asset-sync", provider: "ccstorage", eventCodes: ["asset_created"], webhookUrl: "https://hooks.example.com/a")])

    func emptyState() -> StateDocument { StateDocument(lineage: "L", keyformVersion: "test") }

    func steps(for spec: IntegrationSpec) -> [ApplyStep] {
        [
            ApplyStep(id: "1", address: spec.name, operation: .create(spec)),
            ApplyStep(id: "2", address: spec.name, dependsOn: ["1"], operation: .setServices(name: spec.name, services: spec.services)),
            ApplyStep(
                id: "3", address: "\(spec.name).events[\"asset-sync\"]", dependsOn: ["1"],
                operation: .register(name: spec.name, registration: spec.events[0])),
        ]
    }

    func executor(_ console: FakeConsole, _ journal: MemoryJournal, state: StateDocument? = nil) -> ApplyExecutor {
        ApplyExecutor(
            provider: console, journal: journal, state: state ?? emptyState(),
            retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: 0.001, maxDelay: 0.01), sleep: { _ in }, random: { 0.5 })
    }

    @Test func createsSubscribesAndRegistersRecordingIntentFirst() async throws {
        let console = FakeConsole()
        let journal = MemoryJournal()
        let result = await executor(console, journal).run(steps(for: spec))
        #expect(result.failed.isEmpty && result.skipped.isEmpty)
        let record = try #require(result.state.integrations["stocksearchweb"])
        #expect(record.services == ["StockSDK"])
        #expect(record.registrations.map(\.name) == ["asset-sync"])
        #expect(record.attributes == spec.attributes)
        #expect(result.state.pendingCreates.isEmpty)
        #expect(journal.entries.first == .intent(name: "stocksearchweb"))
        #expect(console.all == [record])
    }

    @Test func adoptsAnIntegrationOfTheSameNameInsteadOfCreatingASecond() async throws {
        let console = FakeConsole()
        let existing = IntegrationRecord(
            id: IntegrationID(projectId: "p9", workspaceId: "w9", credentialId: "c9"), apiKey: "k9",
            attributes: IntegrationAttributes(name: "stocksearchweb", title: "Old", description: "old", type: .apiKey))
        console.seed(existing)
        let result = await executor(console, MemoryJournal()).run(steps(for: spec))
        #expect(result.failed.isEmpty)
        #expect(!console.calls.contains("create"))
        #expect(console.all.count == 1)
        #expect(result.state.integrations["stocksearchweb"]?.id.projectId == "p9")
        #expect(console.all[0].attributes.title == "Stock Search Web")
    }

    @Test func aCreateWhoseAnswerWasLostIsAdoptedNotRepeated() async throws {
        let console = FakeConsole()
        console.createSucceedsBeforeFailing = true
        console.faults["create"] = [.unavailable("503", request: nil)]
        let result = await executor(console, MemoryJournal()).run(steps(for: spec))
        #expect(result.failed.isEmpty)
        #expect(console.calls.filter { $0 == "create" }.count == 1)
        #expect(console.all.count == 1)
    }

    @Test func aFailedCreateSkipsItsDependentsOnly() async throws {
        let console = FakeConsole()
        console.faults["create"] = [.notEntitled(service: "TypekitSDK", request: nil)]
        let other = IntegrationSpec(name: "other", title: "Other App", description: "Another one.", type: .serviceAccount)
        let result = await executor(console, MemoryJournal()).run(
            steps(for: spec) + [ApplyStep(id: "9", address: "other", operation: .create(other))])
        #expect(result.failed.map(\.step.id) == ["1"])
        #expect(Set(result.skipped.map(\.step.id)) == ["2", "3"])
        #expect(result.skipped.allSatisfy { $0.because == "stocksearchweb" })
        #expect(result.succeeded.map(\.id) == ["9"])
        // The intent stays recorded so the next run looks the name up before creating.
        #expect(result.state.pendingCreates == ["stocksearchweb"])
    }

    @Test func transientErrorsOnSafeRequestsAreRetried() async throws {
        let console = FakeConsole()
        console.faults["services"] = [.unavailable("503", request: nil), .rateLimited(retryAfter: 0.001, request: nil)]
        let result = await executor(console, MemoryJournal()).run(steps(for: spec))
        #expect(result.failed.isEmpty)
        #expect(console.calls.filter { $0 == "services" }.count == 3)
    }

    /// SIGTERM during a backoff: no further attempt is made after the wait (the retries of a
    /// failing console ran on for minutes after the interrupt); the default wait itself is cut
    /// short (`aWaitIsCutShortWhenStopTurnsTrue`).
    @Test func anInterruptEndsABackoffWithoutAnotherAttempt() async throws {
        let console = FakeConsole()
        console.faults["services"] = Array(repeating: .unavailable("503", request: nil), count: 9)
        let stop = Flag()
        let slept = Total()
        let executor = ApplyExecutor(
            provider: console, journal: MemoryJournal(), state: emptyState(),
            retryPolicy: RetryPolicy(maxAttempts: 10, baseDelay: 1, maxDelay: 10), sleep: { slept.add($0) }, random: { 0.5 },
            shouldStop: { stop.value },
            onEvent: { event in if case .retrying = event { stop.set() } })
        let result = await executor.run(steps(for: spec))
        #expect(result.failed.map(\.0.id) == ["2"])
        #expect(result.failed.first.map { "\($0.1)" }?.contains("503") == true)
        #expect(console.calls.filter { $0 == "services" }.count == 1)
        #expect(slept.value == 0.75)
    }

    @Test func aWaitIsCutShortWhenStopTurnsTrue() async {
        let slept = Total()
        let completed = await RetryPolicy.wait(2, slice: 0.05, sleep: { slept.add($0) }, stop: { slept.value >= 0.15 - 1e-9 })
        #expect(!completed)
        #expect(abs(slept.value - 0.15) < 1e-9)
        let whole = await RetryPolicy.wait(0.12, slice: 0.05, sleep: { slept.add($0) }, stop: { false })
        #expect(whole)
        #expect(abs(slept.value - 0.27) < 1e-9)
    }

    /// An interrupt while a create looks its name up (a console listing, seconds long over
    /// HTTP): the create is not sent after it (it was), the intent stays for the next run, and
    /// the step and what depends on it count as not started.
    @Test func anInterruptDuringACreatesLookupSendsNoCreate() async throws {
        let console = FakeConsole()
        let journal = MemoryJournal()
        let events = EventLog()
        let executor = ApplyExecutor(
            provider: console, journal: journal, state: emptyState(), sleep: { _ in }, random: { 0.5 },
            shouldStop: { console.calls.contains("get") }, onEvent: { events.append($0) })
        let result = await executor.run(steps(for: spec))
        #expect(console.calls == ["get"])
        #expect(result.failed.isEmpty && result.skipped.isEmpty && result.succeeded.isEmpty)
        #expect(result.notStarted.map(\.id) == ["1", "2", "3"])
        #expect(result.state.pendingCreates == ["stocksearchweb"])
        #expect(journal.entries == [.intent(name: "stocksearchweb")])
        #expect(events.descriptions == ["started 1", "failed 1: interrupted"])
    }

    /// The same after a failed create: the lookup that follows it is the last request, and the
    /// step fails with the error the create met (it was sent again).
    @Test func anInterruptDuringTheLookupAfterAFailedCreateSendsNoOtherCreate() async throws {
        let console = FakeConsole()
        console.faults["create"] = [.unavailable("503", request: nil)]
        let executor = ApplyExecutor(
            provider: console, journal: MemoryJournal(), state: emptyState(),
            retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: 0.001, maxDelay: 0.01), sleep: { _ in }, random: { 0.5 },
            shouldStop: { console.calls.filter { $0 == "get" }.count >= 2 })
        let result = await executor.run(steps(for: spec))
        #expect(console.calls == ["get", "create", "get"])
        #expect(result.failed.map(\.step.id) == ["1"])
        #expect(result.failed.first.map { "\($0.error)" }?.contains("503") == true)
        #expect(Set(result.skipped.map(\.step.id)) == ["2", "3"])
        #expect(result.state.pendingCreates == ["stocksearchweb"])
    }

    @Test func aRegistrationConflictAdoptsTheExistingRegistration() async throws {
        let console = FakeConsole()
        let journal = MemoryJournal()
        _ = await executor(console, journal).run(Array(steps(for: spec).prefix(1)))
        let id = try #require(console.all.first?.id)
        _ = try await console.createRegistration(id, spec.events[0])
        console.faults["register"] = [.conflict(what: "asset-sync", existingId: nil, request: nil)]
        let state = StateDocument(lineage: "L", keyformVersion: "t", integrations: ["stocksearchweb": try #require(console.all.first)])
        let result = await executor(console, journal, state: state).run([
            ApplyStep(id: "3", address: "r", operation: .register(name: spec.name, registration: spec.events[0]))
        ])
        #expect(result.failed.isEmpty)
        #expect(console.all[0].registrations.count == 1)
        #expect(result.state.integrations["stocksearchweb"]?.registrations.count == 1)
    }

    @Test func deregisterThenDelete() async throws {
        let console = FakeConsole()
        _ = await executor(console, MemoryJournal()).run(steps(for: spec))
        let state = StateDocument(lineage: "L", keyformVersion: "t", integrations: ["stocksearchweb": try #require(console.all.first)])
        let result = await executor(console, MemoryJournal(), state: state).run([
            ApplyStep(id: "a", address: "r", operation: .deregister(name: spec.name, registrationName: "asset-sync", registrationId: nil)),
            ApplyStep(id: "b", address: spec.name, dependsOn: ["a"], operation: .delete(name: spec.name)),
        ])
        #expect(result.failed.isEmpty)
        #expect(console.all.isEmpty)
        #expect(result.state.integrations.isEmpty)
    }
}

/// A registration whose webhook the console could not verify exists all the same: the state
/// records it, and the step fails so that the apply does not report success.
extension ApplyExecutorTests {
    @Test func anUnverifiedWebhookIsRecordedButFailsTheRegistrationAndSkipsItsDependents() async throws {
        let console = FakeConsole()
        console.unverifiedWebhooks = ["https://hooks.example.com/a": "hook_unreachable"]
        let after = ApplyStep(id: "4", address: "after", dependsOn: ["3"], operation: .setServices(name: spec.name, services: []))
        let result = await executor(console, MemoryJournal()).run(steps(for: spec) + [after])
        #expect(result.succeeded.map(\.id) == ["1", "2"])
        #expect(result.failed.map(\.step.id) == ["3"])
        let error = try #require(result.failed.first?.error as? ApplyError)
        #expect(error == .webhookNotVerified(webhookUrl: "https://hooks.example.com/a", status: "hook_unreachable"))
        #expect(result.skipped.map(\.step.id) == ["4"])
        let registrations = try #require(result.state.integrations["stocksearchweb"]?.registrations)
        #expect(registrations == [RegistrationRecord(id: "r2", spec: spec.events[0])])
    }

    @Test func anUpdateTheConsoleCannotVerifyIsRecordedButFails() async throws {
        let console = FakeConsole()
        _ = await executor(console, MemoryJournal()).run(steps(for: spec))
        let state = StateDocument(lineage: "L", keyformVersion: "t", integrations: ["stocksearchweb": try #require(console.all.first)])
        var changed = spec.events[0]
        changed.webhookUrl = "https://hooks.example.com/b"
        console.unverifiedWebhooks = [changed.webhookUrl: "unverified"]
        let result = await executor(console, MemoryJournal(), state: state).run([
            ApplyStep(id: "u", address: "r", operation: .updateRegistration(name: spec.name, registration: changed))
        ])
        #expect(result.failed.count == 1)
        #expect(result.failed.first?.error as? ApplyError == .webhookNotVerified(webhookUrl: changed.webhookUrl, status: "unverified"))
        #expect(result.state.integrations["stocksearchweb"]?.registrations.map(\.spec) == [changed])
        #expect(result.state.integrations["stocksearchweb"]?.registrations.map(\.unverifiedWebhook) == [nil])
    }
}
