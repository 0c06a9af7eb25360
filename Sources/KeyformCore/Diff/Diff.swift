/// The diff: the manifests' desired integrations against the stored state, optionally
/// refreshed from the console.
///
/// Worked example. Desired: `stocksearchweb` (formerNames `[stocksearch]`, title "Stock
/// Search Web", services `[StockSDK]`) and `pdfembed` (new). Stored: `stocksearch` (title
/// "Stock Search"), `legacy`. No refresh. Result, sorted by name:
///
///     legacy          delete     (in the state, not in the manifests)
///     pdfembed        create     (new)
///     stocksearchweb  update     (matched through formerNames: name and title changed)
///
/// With a console listing, each stored record is first matched with the console's
/// integration of the same project id; the differences become drift entries, and the
/// console's view (not the stored one) is what the desired spec is compared with, so an
/// apply corrects the drift. Console integrations the state does not know are reported as
/// unmanaged and never touched (a desired integration of that name is adopted by its create).
public enum Diff {
    /// Compares the desired integrations with the stored ones (and the console's, when given).
    /// - Parameters:
    ///   - desired: the manifests' integrations, normalised (sets sorted), names unique.
    ///   - stored: the state's records (each under its own name).
    ///   - console: every integration the console holds now, for a refresh; `nil` to diff
    ///     against the stored state alone (`--no-refresh`).
    /// - Throws: `PlanFailure` with every ambiguity found (duplicate names, ambiguous or
    ///   conflicting former names, a rename onto an unmanaged console name).
    public static func compute(
        desired: [IntegrationSpec], stored: [IntegrationRecord], console: [IntegrationRecord]? = nil
    ) throws(PlanFailure) -> DiffResult {
        var storedByName: [String: IntegrationRecord] = [:]
        storedByName.reserveCapacity(stored.count)
        for record in stored where storedByName[record.name] == nil { storedByName[record.name] = record }

        var refresh = console.map { Refresh.compare(stored: storedByName, console: $0) } ?? .none(stored: storedByName)

        var errors: [PlanError] = []
        var desiredByName: [String: IntegrationSpec] = [:]
        desiredByName.reserveCapacity(desired.count)
        for spec in desired.lazy.map(\.normalized) {
            if desiredByName[spec.name] != nil {
                errors.append(.duplicateName(spec.name))
            } else {
                desiredByName[spec.name] = spec
            }
        }
        if !errors.isEmpty { throw PlanFailure(errors.sorted { $0.sortKey < $1.sortKey }) }
        refresh.reportUnmanaged(desiredNames: Set(desiredByName.keys))

        let matches = matchStored(desired: desiredByName, stored: storedByName, errors: &errors)

        var changes: [IntegrationChange] = []
        changes.reserveCapacity(desiredByName.count + storedByName.count)
        var claimed = Set<String>()
        for name in desiredByName.keys.sorted() {
            guard let spec = desiredByName[name] else { continue }
            let stateName = matches[name]
            if let stateName { claimed.insert(stateName) }
            let recorded = stateName.flatMap { storedByName[$0] }
            let view = stateName.flatMap { refresh.views[$0] } ?? nil
            guard let current = view else {
                let reason: IntegrationChange.CreateReason =
                    recorded != nil ? .deletedOutside : (refresh.unmanaged[name] != nil ? .adopting : .new)
                changes.append(created(spec, reason: reason, stateName: stateName, recordedProtected: recorded?.isProtected ?? false))
                continue
            }
            let recordedProtected = recorded?.isProtected ?? false
            let delta = IntegrationComparison.compare(spec, with: current, recordedProtected: recordedProtected)
            if delta.changedAttributes.contains("name"), refresh.unmanaged[name] != nil {
                errors.append(.renameTargetTaken(from: current.name, to: name))
            }
            changes.append(changed(spec, current: current, delta: delta, stateName: stateName, recordedProtected: recordedProtected))
        }
        for name in storedByName.keys.sorted() where !claimed.contains(name) {
            guard let recorded = storedByName[name], let current = refresh.views[name] ?? nil else { continue }
            changes.append(IntegrationChange(
                name: name, disposition: .delete, desired: nil, current: current, stateName: name,
                recordedProtected: recorded.isProtected,
                registrations: current.registrations.map { .deregister($0) }))
        }
        if !errors.isEmpty { throw PlanFailure(errors.sorted { $0.sortKey < $1.sortKey }) }
        changes.sort { $0.name < $1.name }
        let drift = refresh.drift.sorted { ($0.address, $0.kind.rank) < ($1.address, $1.kind.rank) }
        return DiffResult(
            changes: changes, drift: drift, stateRefresh: refresh.stateRefresh,
            refreshed: console != nil, storedCount: storedByName.count)
    }

    /// Compares the desired integrations with a stored state document (or none yet).
    public static func compute(
        desired: [IntegrationSpec], state: StateDocument?, console: [IntegrationRecord]? = nil
    ) throws(PlanFailure) -> DiffResult {
        try compute(desired: desired, stored: state.map { Array($0.integrations.values) } ?? [], console: console)
    }

    /// Desired name → the stored name it takes over (its own, or exactly one former name).
    private static func matchStored(
        desired: [String: IntegrationSpec], stored: [String: IntegrationRecord], errors: inout [PlanError]
    ) -> [String: String] {
        var matches: [String: String] = [:]
        var claims: [String: [String]] = [:]
        for name in desired.keys.sorted() {
            guard let spec = desired[name] else { continue }
            if stored[name] != nil {
                matches[name] = name
                continue
            }
            let candidates = PlanValue.normalized(spec.formerNames.filter { $0 != name && stored[$0] != nil })
            if candidates.count > 1 {
                errors.append(.ambiguousFormerNames(name: name, formerNames: candidates))
            } else if let former = candidates.first {
                if desired[former] != nil {
                    errors.append(.formerNameStillDeclared(formerName: former, claimant: name))
                } else {
                    claims[former, default: []].append(name)
                }
            }
        }
        for former in claims.keys.sorted() {
            guard let claimants = claims[former] else { continue }
            if claimants.count > 1 {
                errors.append(.formerNameClaimedTwice(formerName: former, claimants: claimants.sorted()))
            } else if let claimant = claimants.first {
                matches[claimant] = former
            }
        }
        return matches
    }

    private static func created(
        _ spec: IntegrationSpec, reason: IntegrationChange.CreateReason, stateName: String?, recordedProtected: Bool
    ) -> IntegrationChange {
        IntegrationChange(
            name: spec.name, disposition: .create, desired: spec, current: nil, stateName: stateName,
            recordedProtected: recordedProtected, createReason: reason,
            servicesChanged: !spec.services.isEmpty, registrations: spec.events.map { .register($0) })
    }

    private static func changed(
        _ spec: IntegrationSpec, current: IntegrationRecord, delta: IntegrationComparison.Delta,
        stateName: String?, recordedProtected: Bool
    ) -> IntegrationChange {
        if delta.typeChanged {
            // The console cannot change a credential's type: everything is deleted and created.
            let registrations = current.registrations.map { IntegrationChange.RegistrationChange.deregister($0) }
                + spec.events.map { .register($0) }
            return IntegrationChange(
                name: spec.name, disposition: .replace, desired: spec, current: current, stateName: stateName,
                recordedProtected: recordedProtected, changedAttributes: delta.changedAttributes,
                servicesChanged: !spec.services.isEmpty, registrations: registrations)
        }
        return IntegrationChange(
            name: spec.name, disposition: delta.isEmpty ? .unchanged : .update, desired: spec, current: current,
            stateName: stateName, recordedProtected: recordedProtected, changedAttributes: delta.changedAttributes,
            servicesChanged: delta.servicesChanged, registrations: delta.registrations)
    }
}

extension Drift.Kind {
    var rank: Int {
        switch self {
        case .deleted: 0
        case .changed: 1
        case .added: 2
        case .unmanaged: 3
        }
    }
}

extension PlanError {
    /// Orders errors for a stable report.
    var sortKey: String {
        switch self {
        case .duplicateName(let name): "0 \(name)"
        case .ambiguousFormerNames(let name, _): "1 \(name)"
        case .formerNameClaimedTwice(let former, _): "2 \(former)"
        case .formerNameStillDeclared(let former, let claimant): "3 \(claimant) \(former)"
        case .renameTargetTaken(let from, _): "4 \(from)"
        case .deleteProtected(let name, _): "5 \(name)"
        case .deleteNotAllowed: "6"
        case .deleteEverything: "7"
        }
    }
}
