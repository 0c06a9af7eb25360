import KeyformJSON

/// Compares the state with the console as it is now: which recorded integrations still exist
/// (matched by project id, so a rename by hand is still the same integration), what changed
/// by hand, and what the console holds that the state does not know.
///
/// Example: the state records `stocksearchweb` (project `p1`, title "Stock Search Web",
/// services `[StockSDK]`); the console lists project `p1` titled "Stock search" with services
/// `[StockSDK, ViewSDK]`, and a project `p9` named `sandbox`. The refresh yields the view
/// `stocksearchweb → console's p1`, one `changed` drift entry (title and services), one
/// `unmanaged` entry for `sandbox`, and a state refresh that upserts p1 as the console has it.
struct Refresh {
    /// The integration as it is now, by recorded name; `nil` when deleted in the console.
    var views: [String: IntegrationRecord?]
    /// Console integrations the state does not know, by their console name.
    var unmanaged: [String: IntegrationRecord]
    var drift: [Drift]
    var stateRefresh: [StateChange]
    /// Console name → recorded name, for managed integrations renamed in the console by hand.
    var renamedInConsole: [String: String] = [:]

    static func compare(stored: [String: IntegrationRecord], console: [IntegrationRecord]) -> Refresh {
        var consoleByProject: [String: IntegrationRecord] = [:]
        for record in console where consoleByProject[record.id.projectId] == nil {
            consoleByProject[record.id.projectId] = record
        }
        var result = Refresh(views: [:], unmanaged: [:], drift: [], stateRefresh: [])
        var matchedProjects = Set<String>()
        for (name, recorded) in stored {
            guard let now = consoleByProject[recorded.id.projectId] else {
                result.views[name] = .some(nil)
                result.drift.append(Drift(
                    kind: .deleted, address: PlanValue.address(name), integrationName: name,
                    message: "deleted in the console outside Keyform",
                    before: PlanValue.consoleIntegration(recorded), after: .null))
                result.stateRefresh.append(.remove(name: name))
                continue
            }
            matchedProjects.insert(now.id.projectId)
            result.views[name] = now
            if now.name != name { result.renamedInConsole[now.name] = name }
            result.drift += driftEntries(name: name, recorded: recorded, now: now)
            // The state keeps its own name (the identity the manifests match) and protection.
            var refreshed = now
            refreshed.attributes.name = name
            refreshed.isProtected = recorded.isProtected
            if !IntegrationComparison.sameRecord(refreshed, recorded) {
                result.stateRefresh.append(.upsert(refreshed, formerName: nil))
            }
        }
        for record in console where !matchedProjects.contains(record.id.projectId) {
            if result.unmanaged[record.name] == nil { result.unmanaged[record.name] = record }
        }
        result.stateRefresh.sort { $0.name < $1.name }
        return result
    }

    /// Adds the `unmanaged` entries, once the desired names are known (a desired name that the
    /// console holds unmanaged is adopted by its create).
    mutating func reportUnmanaged(desiredNames: Set<String>) {
        for name in unmanaged.keys.sorted() {
            guard let record = unmanaged[name] else { continue }
            let message = desiredNames.contains(name)
                ? "in the console but not in the state: its create adopts it"
                : "in the console but not managed by Keyform: left alone"
            drift.append(Drift(
                kind: .unmanaged, address: PlanValue.address(name), integrationName: name,
                message: message, before: .null, after: PlanValue.consoleIntegration(record)))
        }
    }

    private static func driftEntries(name: String, recorded: IntegrationRecord, now: IntegrationRecord) -> [Drift] {
        var entries: [Drift] = []
        let before = PlanValue.consoleIntegration(recorded)
        let after = PlanValue.consoleIntegration(now)
        if before != after {
            entries.append(Drift(
                kind: .changed, address: PlanValue.address(name), integrationName: name,
                message: "changed in the console", before: before, after: after))
        }
        var nowById: [String: RegistrationRecord] = [:]
        for registration in now.registrations { nowById[registration.id] = registration }
        let recordedIds = Set(recorded.registrations.map(\.id))
        for registration in recorded.registrations {
            let address = PlanValue.registrationAddress(name, registration.name)
            guard let current = nowById[registration.id] else {
                entries.append(Drift(
                    kind: .deleted, address: address, integrationName: name,
                    message: "deregistered in the console outside Keyform",
                    before: PlanValue.registration(registration.spec, id: registration.id), after: .null))
                continue
            }
            if !IntegrationComparison.sameRegistration(current.spec, registration.spec) {
                entries.append(Drift(
                    kind: .changed, address: address, integrationName: name, message: "changed in the console",
                    before: PlanValue.registration(registration.spec, id: registration.id),
                    after: PlanValue.registration(current.spec, id: current.id)))
            }
        }
        for registration in now.registrations where !recordedIds.contains(registration.id) {
            entries.append(Drift(
                kind: .added, address: PlanValue.registrationAddress(name, registration.name), integrationName: name,
                message: "registered in the console outside Keyform",
                before: .null, after: PlanValue.registration(registration.spec, id: registration.id)))
        }
        return entries
    }
}

extension StateChange {
    /// The integration name the change is about.
    var name: String {
        switch self {
        case .intent(let name), .remove(let name): name
        case .upsert(let record, _): record.name
        }
    }
}
