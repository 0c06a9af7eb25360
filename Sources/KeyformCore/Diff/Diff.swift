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
        return try compute(desired: desired, storedByName: storedByName, console: console)
    }

    /// `compute(desired:stored:console:)` with the records already keyed by their names.
    static func compute(
        desired: [IntegrationSpec], storedByName: [String: IntegrationRecord], console: [IntegrationRecord]?
    ) throws(PlanFailure) -> DiffResult {
        var refresh = console.map { Refresh.compare(stored: storedByName, console: $0) }
        /// The integration as it is now: the console's (when refreshed) or the state's record.
        func view(_ stateName: String) -> IntegrationRecord? {
            guard let refresh else { return storedByName[stateName] }
            return refresh.views[stateName] ?? nil
        }

        // Normalised specs are used as they are (the array is shared, not copied).
        var specs = desired
        for i in specs.indices where !specs[i].isNormalized { specs[i] = specs[i].normalized }
        if !specs.indices.dropFirst().allSatisfy({ specs[$0 - 1].name < specs[$0].name }) {
            specs.sort { $0.name < $1.name }
        }
        var errors: [PlanError] = []
        for i in specs.indices.dropFirst() where specs[i - 1].name == specs[i].name {
            if errors.last != .duplicateName(specs[i].name) { errors.append(.duplicateName(specs[i].name)) }
        }
        if !errors.isEmpty { throw PlanFailure(errors) }
        if refresh != nil { refresh?.reportUnmanaged(desiredNames: Set(specs.map(\.name))) }
        let unmanaged = refresh?.unmanaged ?? [:]

        let matches = matchStored(specs, stored: storedByName, errors: &errors)

        // One change per spec, each independent of the others: worked out on every core for a
        // large plan, straight into place.
        let (sortedSpecs, settled) = (specs, refresh)
        var changes = ParallelMap.array(count: specs.count, threshold: parallelThreshold) { i in
            change(sortedSpecs[i], match: matches[i], storedByName: storedByName, refresh: settled, unmanaged: unmanaged)
        }
        // The errors that look beyond one integration (names the console's unmanaged or
        // renamed integrations hold), in spec order.
        var claimedCount = 0
        for i in changes.indices {
            if matches[i] != nil { claimedCount += 1 }
            if changes[i].disposition == .create {
                if let holder = refresh?.renamedInConsole[changes[i].name], holder != changes[i].stateName {
                    errors.append(.nameTakenByRenamed(name: changes[i].name, stateName: holder))
                }
            } else if !unmanaged.isEmpty, changes[i].changedAttributes.first == "name", unmanaged[changes[i].name] != nil,
                let current = changes[i].current
            {
                errors.append(.renameTargetTaken(from: current.name, to: changes[i].name))
            }
        }
        if !errors.isEmpty { throw PlanFailure(errors.sorted { $0.sortKey < $1.sortKey }) }

        if claimedCount < storedByName.count {
            let claimed = Set(matches.compactMap { $0.map { storedByName.keys[$0] } })
            // Former names of specs that kept their own record: what those deletions are not.
            var listedBy: [String: String] = [:]
            for i in specs.indices where !specs[i].formerNames.isEmpty {
                for former in specs[i].formerNames where listedBy[former] == nil { listedBy[former] = specs[i].name }
            }
            var deletions: [IntegrationChange] = []
            for name in storedByName.keys.sorted() where !claimed.contains(name) {
                guard let recorded = storedByName[name], let current = view(name) else { continue }
                var deletion = IntegrationChange(
                    name: name, disposition: .delete, desired: nil, current: current, stateName: name,
                    recordedProtected: recorded.isProtected,
                    registrations: current.registrations.map { .deregister($0) })
                deletion.formerNameOf = listedBy[name]
                deletions.append(deletion)
            }
            changes = merged(changes, deletions)
        }
        let drift = (refresh?.drift ?? []).sorted { ($0.address, $0.kind.rank) < ($1.address, $1.kind.rank) }
        return DiffResult(
            changes: changes, drift: drift, stateRefresh: refresh?.stateRefresh ?? [],
            refreshed: console != nil, storedCount: storedByName.count)
    }

    /// From this many specs on, changes are worked out on every core.
    static let parallelThreshold = 2_048

    /// The change for one spec: `match` is the stored record it takes over, if any.
    private static func change(
        _ spec: IntegrationSpec, match: Dictionary<String, IntegrationRecord>.Index?,
        storedByName: [String: IntegrationRecord], refresh: Refresh?, unmanaged: [String: IntegrationRecord]
    ) -> IntegrationChange {
        guard let match else {
            return created(spec, reason: unmanaged[spec.name] != nil ? .adopting : .new, stateName: nil, recordedProtected: false)
        }
        let stateName = storedByName.keys[match]
        let recorded = storedByName.values[match]
        let current = refresh == nil ? recorded : refresh?.views[stateName] ?? nil
        guard let current else {
            return created(spec, reason: .deletedOutside, stateName: stateName, recordedProtected: recorded.isProtected)
        }
        var delta = IntegrationComparison.compare(spec, with: current, recordedProtected: recorded.isProtected)
        // Matched through a former name that the console already carries (renamed there by
        // hand): still a rename, of the state's record, or every later action would name an
        // integration the state does not know.
        if stateName != spec.name, delta.changedAttributes.first != "name" { delta.changedAttributes.insert("name", at: 0) }
        return changed(spec, current: current, delta: delta, stateName: stateName, recordedProtected: recorded.isProtected)
    }

    /// Compares the desired integrations with a stored state document (or none yet).
    public static func compute(
        desired: [IntegrationSpec], state: StateDocument?, console: [IntegrationRecord]? = nil
    ) throws(PlanFailure) -> DiffResult {
        // A state keys each record by its name (decoding and `StateChange.apply` keep it so):
        // its dictionary is used as it is, without a copy.
        try compute(desired: desired, storedByName: state?.integrations ?? [:], console: console)
    }

    /// For each spec (sorted by name), the stored record it takes over: its own name's,
    /// exactly one former name's, or none.
    private static func matchStored(
        _ specs: [IntegrationSpec], stored: [String: IntegrationRecord], errors: inout [PlanError]
    ) -> [Dictionary<String, IntegrationRecord>.Index?] {
        var matches = [Dictionary<String, IntegrationRecord>.Index?](repeating: nil, count: specs.count)
        var claims: [String: [Int]] = [:]
        var declared: Set<String>?
        for i in specs.indices {
            if let index = stored.index(forKey: specs[i].name) {
                matches[i] = index
                continue
            }
            if specs[i].formerNames.isEmpty { continue }
            let spec = specs[i]
            let candidates = PlanValue.normalized(spec.formerNames.filter { $0 != spec.name && stored.index(forKey: $0) != nil })
            if candidates.count > 1 {
                errors.append(.ambiguousFormerNames(name: spec.name, formerNames: candidates))
            } else if let former = candidates.first {
                if declared == nil { declared = Set(specs.map(\.name)) }
                if declared?.contains(former) == true {
                    errors.append(.formerNameStillDeclared(formerName: former, claimant: spec.name))
                } else {
                    claims[former, default: []].append(i)
                }
            }
        }
        for former in claims.keys.sorted() {
            guard let claimants = claims[former] else { continue }
            if claimants.count > 1 {
                errors.append(.formerNameClaimedTwice(formerName: former, claimants: claimants.map { specs[$0].name }.sorted()))
            } else if let claimant = claimants.first {
                matches[claimant] = stored.index(forKey: former)
            }
        }
        return matches
    }

    /// Two lists sorted by name, merged.
    private static func merged(_ a: [IntegrationChange], _ b: [IntegrationChange]) -> [IntegrationChange] {
        var out: [IntegrationChange] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i].name < b[j].name) {
                out.append(a[i])
                i += 1
            } else {
                out.append(b[j])
                j += 1
            }
        }
        return out
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
        case .nameTakenByRenamed(let name, _): "4 \(name)"
        case .deleteProtected(let name, _): "5 \(name)"
        case .deleteNotAllowed: "6"
        case .deleteEverything: "7"
        }
    }
}
