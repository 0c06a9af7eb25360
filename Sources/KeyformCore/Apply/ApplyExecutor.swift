import Foundation

/// Performs apply steps against a console, recording every success durably.
///
/// For each step, in dependency order with bounded parallelism (`GraphRunner`):
/// 1. a create first records an intent in the journal, then looks the name up in the console
///    and adopts a match instead of creating a second integration (once interrupted, it sends
///    no create: `ApplyError.interrupted`, and the step counts as not started);
/// 2. the console call runs, retried per `RetryPolicy` when it is safe to repeat — a create is
///    never repeated blindly: after a failure the name is looked up again first;
/// 3. the integration's new record goes to the journal (durable on return) and to the state in
///    memory, so an apply killed at any instant loses nothing it was told;
/// 4. a registration whose webhook the console could not verify is recorded all the same (it
///    exists in the console), and then fails its step (`ApplyError.webhookNotVerified`).
public final class ApplyExecutor: Sendable {
    /// Something that happened, for progress output.
    public enum Event: Sendable {
        case started(ApplyStep)
        case succeeded(ApplyStep, detail: String?)
        case failed(ApplyStep, any Error)
        case retrying(ApplyStep, ConsoleError, delay: Double)
    }

    /// The outcome of a run.
    public struct Result: Sendable {
        /// The state after every successful step (serial not yet incremented).
        public var state: StateDocument
        public var outcomes: [String: GraphRunner.Outcome<String>]
        public var succeeded: [ApplyStep]
        public var failed: [(step: ApplyStep, error: any Error)]
        public var skipped: [(step: ApplyStep, because: String)]
        public var notStarted: [ApplyStep]
    }

    private let provider: any ConsoleProvider
    private let recorder: StateRecorder
    private let parallelism: Int
    private let retryPolicy: RetryPolicy
    private let sleep: @Sendable (Double) async -> Void
    private let random: @Sendable () -> Double
    private let shouldStop: @Sendable () -> Bool
    private let onEvent: @Sendable (Event) -> Void

    public init(
        provider: any ConsoleProvider,
        journal: any StateJournal,
        state: StateDocument,
        parallelism: Int = 4,
        retryPolicy: RetryPolicy = RetryPolicy(),
        sleep: (@Sendable (Double) async -> Void)? = nil,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        shouldStop: @escaping @Sendable () -> Bool = { false },
        onEvent: @escaping @Sendable (Event) -> Void = { _ in }
    ) {
        self.provider = provider
        self.recorder = StateRecorder(state: state, journal: journal)
        self.parallelism = parallelism
        self.retryPolicy = retryPolicy
        // By default a task sleep, cut short when `shouldStop` turns true.
        self.sleep = sleep ?? { seconds in
            _ = await RetryPolicy.wait(seconds, sleep: { try? await Task.sleep(nanoseconds: UInt64(max(0, $0) * 1_000_000_000)) }, stop: shouldStop)
        }
        self.random = random
        self.shouldStop = shouldStop
        self.onEvent = onEvent
    }

    /// Runs the steps and returns what became of each, with the resulting state.
    public func run(_ steps: [ApplyStep]) async -> Result {
        let byId = Dictionary(steps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let nodes = steps.map { GraphRunner.Node(id: $0.id, dependsOn: $0.dependsOn) }
        let outcomes = await GraphRunner.run(nodes, parallelism: parallelism, shouldStop: shouldStop) { id in
            guard let step = byId[id] else { return }
            self.onEvent(.started(step))
            do {
                let detail = try await self.perform(step)
                self.onEvent(.succeeded(step, detail: detail))
            } catch {
                self.onEvent(.failed(step, error))
                throw error
            }
        }
        var result = Result(state: recorder.state, outcomes: outcomes, succeeded: [], failed: [], skipped: [], notStarted: [])
        // A step stopped by the interrupt before it sent anything, and what waited for it, did
        // not start in effect.
        func interrupted(_ id: String) -> Bool {
            if case .failed(ApplyError.interrupted)? = outcomes[id] { true } else { false }
        }
        for step in steps {
            switch outcomes[step.id] {
            case .succeeded?: result.succeeded.append(step)
            case .failed? where interrupted(step.id): result.notStarted.append(step)
            case .failed(let error)?: result.failed.append((step, error))
            case .skipped(let root)? where interrupted(root): result.notStarted.append(step)
            case .skipped(let root)?: result.skipped.append((step, byId[root]?.address ?? root))
            case .notStarted?, nil: result.notStarted.append(step)
            }
        }
        return result
    }

    // MARK: - Steps

    /// Performs one step; returns a short detail for the progress line.
    private func perform(_ step: ApplyStep) async throws -> String? {
        switch step.operation {
        case .create(let spec):
            return try await create(spec, step: step)
        case .update(let name, let attributes, let isProtected):
            let record = try recorder.record(named: name)
            if record.attributes != attributes {
                try await retrying(step) { try await self.provider.updateIntegration(record.id, to: attributes) }
            }
            try await recorder.update(name) {
                $0.attributes = attributes
                $0.isProtected = isProtected
            }
            return nil
        case .rename(let from, let attributes):
            let record = try recorder.record(named: from)
            try await retrying(step) { try await self.provider.updateIntegration(record.id, to: attributes) }
            try await recorder.rename(from: from, to: attributes)
            return nil
        case .setServices(let name, let services):
            let record = try recorder.record(named: name)
            try await retrying(step) { try await self.provider.setServices(record.id, to: services) }
            try await recorder.update(name) { $0.services = services }
            return nil
        case .register(let name, let registration):
            return try await register(registration, on: name, step: step)
        case .updateRegistration(let name, let registration):
            let record = try recorder.record(named: name)
            guard let existing = record.registrations.first(where: { $0.name == registration.name }) else {
                return try await register(registration, on: name, step: step)
            }
            let updated = try await retrying(step) {
                try await self.provider.updateRegistration(record.id, registrationId: existing.id, to: registration)
            }
            try await recorder.update(name) { record in
                record.registrations = record.registrations.map {
                    $0.name == registration.name ? RegistrationRecord(id: existing.id, spec: registration) : $0
                }
            }
            try Self.requireVerified(updated.unverifiedWebhook, registration)
            return nil
        case .deregister(let name, let registrationName, let registrationId):
            let record = try recorder.record(named: name)
            let existing = record.registrations.first { registration in
                registrationId.map { registration.id == $0 } ?? (registration.name == registrationName)
            }
            if let existing {
                try await retrying(step) {
                    do {
                        try await self.provider.deleteRegistration(record.id, registrationId: existing.id)
                    } catch ConsoleError.notFound {
                        // Already gone: the goal is reached.
                    }
                }
            }
            try await recorder.update(name) { record in
                record.registrations.removeAll { registration in
                    registrationId.map { registration.id == $0 } ?? (registration.name == registrationName)
                }
            }
            return nil
        case .delete(let name):
            let record = try recorder.record(named: name)
            try await retrying(step) {
                do {
                    try await self.provider.deleteIntegration(record.id)
                } catch ConsoleError.notFound {
                    // Already gone.
                }
            }
            try await recorder.remove(name)
            return nil
        }
    }

    private func create(_ spec: IntegrationSpec, step: ApplyStep) async throws -> String? {
        try await recorder.intent(spec.name)
        // Adopt an integration of the same name (left by a killed run, or made by hand).
        if let existing = try await retrying(step, { try await self.provider.integration(named: spec.name) }) {
            var adopted = existing
            adopted.isProtected = spec.isProtected
            if existing.attributes != spec.attributes {
                try await retrying(step) { try await self.provider.updateIntegration(existing.id, to: spec.attributes) }
                adopted.attributes = spec.attributes
            }
            try await recorder.upsert(adopted)
            return "adopted existing integration (project \(existing.id.projectId))"
        }
        var attempt = 1
        var lastError: ConsoleError?
        while true {
            // Interrupted while the name was looked up: no create is sent after the interrupt
            // (the recorded intent has the next run look the name up again, then create).
            if shouldStop() { throw lastError.map { $0 as any Error } ?? ApplyError.interrupted }
            do {
                var created = try await provider.createIntegration(spec.attributes)
                created.isProtected = spec.isProtected
                try await recorder.upsert(created)
                return "api key \(created.apiKey)"
            } catch let error as ConsoleError {
                lastError = error
                // The request may have reached the console: look before trying again.
                if case .conflict = error, let existing = try await retrying(step, { try await self.provider.integration(named: spec.name) }) {
                    var adopted = existing
                    adopted.isProtected = spec.isProtected
                    try await recorder.upsert(adopted)
                    return "adopted existing integration (project \(existing.id.projectId))"
                }
                try await backOff(step, after: error, attempt: attempt)
                if var existing = try await retrying(step, { try await self.provider.integration(named: spec.name) }) {
                    existing.isProtected = spec.isProtected
                    try await recorder.upsert(existing)
                    return "adopted the integration the interrupted request created"
                }
                attempt += 1
            }
        }
    }

    private func register(_ registration: EventRegistrationSpec, on name: String, step: ApplyStep) async throws -> String? {
        let record = try recorder.record(named: name)
        var attempt = 1
        while true {
            do {
                let created = try await provider.createRegistration(record.id, registration)
                try await recorder.update(name) { record in
                    record.registrations.removeAll { $0.name == registration.name }
                    record.registrations.append(RegistrationRecord(id: created.id, spec: created.spec))
                    record.registrations.sort { $0.name < $1.name }
                }
                try Self.requireVerified(created.unverifiedWebhook, registration)
                return "registration \(created.id)"
            } catch let error as ConsoleError {
                // Look the registration up: a conflict or a lost answer may mean it exists.
                let current = try await retrying(step) { try await self.provider.integration(named: name) }
                if let existing = current?.registrations.first(where: { $0.name == registration.name }) {
                    var unverifiedWebhook = existing.unverifiedWebhook
                    if existing.spec != registration {
                        unverifiedWebhook = try await retrying(step) {
                            try await self.provider.updateRegistration(record.id, registrationId: existing.id, to: registration)
                        }.unverifiedWebhook
                    }
                    try await recorder.update(name) { record in
                        record.registrations.removeAll { $0.name == registration.name }
                        record.registrations.append(RegistrationRecord(id: existing.id, spec: registration))
                        record.registrations.sort { $0.name < $1.name }
                    }
                    try Self.requireVerified(unverifiedWebhook, registration)
                    return "adopted registration \(existing.id)"
                }
                try await backOff(step, after: error, attempt: attempt)
                attempt += 1
            }
        }
    }

    /// Fails the step when the console said it could not verify the registration's webhook
    /// (called once the registration is recorded: it exists in the console all the same).
    private static func requireVerified(_ unverifiedWebhook: String?, _ registration: EventRegistrationSpec) throws(ApplyError) {
        if let status = unverifiedWebhook {
            throw .webhookNotVerified(webhookUrl: registration.webhookUrl, status: status)
        }
    }

    /// Runs a request that is safe to repeat, retrying transient failures per the policy.
    @discardableResult
    private func retrying<T: Sendable>(_ step: ApplyStep, _ body: @Sendable () async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await body()
            } catch let error as ConsoleError {
                try await backOff(step, after: error, attempt: attempt)
                attempt += 1
            }
        }
    }

    /// Waits before attempt `attempt + 1` after `error`, or throws `error` when it is not worth
    /// another attempt, or when the apply is interrupted (before or during the wait): the
    /// step fails with the error it last met, and what it started is for the next run to find.
    private func backOff(_ step: ApplyStep, after error: ConsoleError, attempt: Int) async throws {
        guard !shouldStop(), let delay = retryPolicy.delay(after: error, attempt: attempt, random: random()) else { throw error }
        onEvent(.retrying(step, error, delay: delay))
        await sleep(delay)
        guard !shouldStop() else { throw error }
    }
}

/// Errors of the executor itself (the console's own are `ConsoleError`).
public enum ApplyError: Error, Hashable, Sendable {
    /// A step names an integration the state does not hold (its create failed or was skipped).
    case unknownIntegration(String)
    /// The apply was interrupted before the step sent its request (a create whose lookup was
    /// running): reported as not started, its intent left for the next run.
    case interrupted
    /// The console holds the registration (the state records it) but could not verify its
    /// webhook: `status` is its `webhook_status` (`hook_unreachable`, `unverified`). The next
    /// plan updates the registration, which asks the console to verify it again.
    case webhookNotVerified(webhookUrl: String, status: String)
}
