import KeyformJSON

/// Manifests and stored state in, a plan out: the first half of Keyform's pipeline.
///
/// ```
/// console ─catalog─┐
/// manifests ─load (parse, schema, ${env:}, decode, rules with the catalog)─▶ specs
/// state store ─read (journal replayed)─▶ snapshot ─reconcile pending creates─▶ stored records
/// console ─list (unless --no-refresh)─▶ live records (drift)
/// specs × stored × live ─diff─▶ changes ─guards, graph─▶ plan
/// ```
///
/// The state is read on another thread while the catalog and the manifests load (they do not
/// depend on each other); its errors are still reported only once the manifests are valid.
///
/// I/O comes only through the injected file system, console provider and state store, so the
/// pipeline runs in tests without a disk or network. Every failure becomes a diagnostic.
public struct PlanPipeline: Sendable {
    public var manifestPath: String
    public var fileSystem: any ReadableFileSystem
    public var environment: [String: String]
    public var provider: any ConsoleProvider
    public var store: any StateStore
    /// Refresh the stored state from the console first (drift), as Terraform does by default.
    public var refresh: Bool
    public var allowDelete: Bool
    /// Whether the plan records the state's digest (a saved or JSON plan needs it; hashing a
    /// large state is skipped when only the text is shown).
    public var recordsStateDigest = true

    public init(
        manifestPath: String, fileSystem: any ReadableFileSystem, environment: [String: String],
        provider: any ConsoleProvider, store: any StateStore, refresh: Bool, allowDelete: Bool
    ) {
        self.manifestPath = manifestPath
        self.fileSystem = fileSystem
        self.environment = environment
        self.provider = provider
        self.store = store
        self.refresh = refresh
        self.allowDelete = allowDelete
    }

    /// What a run produced: the plan when there is one, and everything worth telling.
    public struct Outcome: Sendable {
        public var plan: Plan?
        /// Errors and warnings from every stage, sorted; errors mean `plan` is nil.
        public var diagnostics: [Diagnostic]
        /// The manifests as loaded (sources for rendering diagnostics).
        public var manifests: ManifestLoadResult
        /// The state as read, before reconciliation; nil when none exists yet.
        public var snapshot: StateSnapshot?
        /// Notes for the person: journal recovery, adopted pending creates.
        public var notes: [String]

        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    }

    /// Runs the pipeline.
    /// - Parameters:
    ///   - planId: the new plan's id (injected: the core takes no randomness).
    ///   - createdAt: its ISO 8601 creation time.
    public func run(planId: String, createdAt: String) async -> Outcome {
        var outcome = Outcome(plan: nil, diagnostics: [], manifests: ManifestLoadResult(), snapshot: nil, notes: [])
        async let stored = Self.read(store)

        let catalog: Catalog
        do {
            catalog = try await provider.catalog()
        } catch {
            outcome.diagnostics.append(Self.diagnostic(for: error, doing: "read the console's catalog"))
            return outcome
        }

        outcome.manifests = ManifestLoader.load(
            path: manifestPath, fileSystem: fileSystem, environment: environment, catalog: catalog)
        outcome.diagnostics = outcome.manifests.diagnostics
        if outcome.manifests.hasErrors { return outcome }
        // Decoded while the state may still be read on the other thread.
        let specs = outcome.manifests.specs

        do {
            outcome.snapshot = try await stored.get()
        } catch {
            outcome.diagnostics.append(Self.diagnostic(for: error, doing: "read the state"))
            return outcome
        }
        if let replayed = outcome.snapshot?.replayedChanges, replayed > 0 {
            outcome.notes.append("recovered \(replayed) change\(replayed == 1 ? "" : "s") from the journal of an interrupted apply")
        }

        var state = outcome.snapshot?.state
        var reconciliation: [StateChange] = []
        let live: [IntegrationRecord]?
        do {
            reconciliation = try await reconcilePendingCreates(state)
            for change in reconciliation {
                if state != nil { change.apply(to: &state!) }
                if case .upsert(let record, _) = change {
                    outcome.notes.append("adopted '\(record.name)', created by an interrupted apply")
                }
            }
            live = refresh ? try await provider.listIntegrations() : nil
        } catch {
            outcome.diagnostics.append(Self.diagnostic(for: error, doing: "read the console's integrations"))
            return outcome
        }

        var header = PlanHeader(id: planId, createdAt: createdAt, snapshot: nil, catalogDigest: catalog.digest)
        if let snapshot = outcome.snapshot {
            header.stateLineage = snapshot.state.lineage
            header.stateSerial = snapshot.state.serial
            header.stateDigest = recordsStateDigest ? snapshot.digest : nil
        }
        do {
            var plan = try Planner.plan(
                desired: specs, state: state, console: live, allowDelete: allowDelete, header: header)
            plan.stateRefresh = reconciliation + plan.stateRefresh
            outcome.plan = plan
        } catch {
            outcome.diagnostics += error.diagnostics
        }
        return outcome
    }

    /// Reads the state (on the task's own thread, concurrently with the caller's work).
    private static func read(_ store: any StateStore) async -> Result<StateSnapshot?, any Error> {
        Result { try store.read() }
    }

    /// Resolves the creates an interrupted apply left recorded as intents: an integration of
    /// that name in the console is adopted into the state; otherwise the intent is dropped.
    func reconcilePendingCreates(_ state: StateDocument?) async throws -> [StateChange] {
        guard let state else { return [] }
        var changes: [StateChange] = []
        for name in state.pendingCreates.sorted() {
            if let found = try await provider.integration(named: name) {
                changes.append(.upsert(found, formerName: nil))
            } else {
                changes.append(.remove(name: name))
            }
        }
        return changes
    }

    /// A diagnostic for an error from the console or the state store.
    public static func diagnostic(for error: any Error, doing what: String) -> Diagnostic {
        switch error {
        case let error as ConsoleError:
            return .error("KF500", "could not \(what): \(error.userMessage)")
        case let error as StateStoreError:
            return error.diagnostic
        default:
            return .error("KF500", "could not \(what): \(error)")
        }
    }
}
