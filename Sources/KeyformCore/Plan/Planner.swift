/// Makes plans: diff, delete guards, actions, order.
///
/// The pipeline (all pure; the caller supplies the state, the console listing, the plan id
/// and the time):
///
///     desired specs ─┐
///     stored records ├─ Diff.compute ─▶ DiffResult ─ DeleteGuard ─▶ ActionBuilder ─▶ PlanGraph ─▶ Plan
///     console view? ─┘      (drift)                  (refusals)      (actions, deps)   (order)
public enum Planner {
    /// Diffs and plans in one step.
    /// - Parameters:
    ///   - desired: the manifests' integrations, normalised.
    ///   - stored: the state's records.
    ///   - console: the console's integrations for a refresh, or `nil` for `--no-refresh`.
    ///   - allowDelete: whether deleting integrations is allowed (`--allow-delete`).
    ///   - header: the plan id, time, state and catalog identity to record.
    /// - Throws: `PlanFailure` with every problem (ambiguous renames, refused deletions).
    public static func plan(
        desired: [IntegrationSpec], stored: [IntegrationRecord], console: [IntegrationRecord]? = nil,
        allowDelete: Bool, header: PlanHeader
    ) throws(PlanFailure) -> Plan {
        let diff = try Diff.compute(desired: desired, stored: stored, console: console)
        return try plan(diff, allowDelete: allowDelete, header: header)
    }

    /// Diffs and plans against a stored state document (or none yet); the same plan as
    /// `plan(desired:stored:…)` with the state's records, without copying them.
    public static func plan(
        desired: [IntegrationSpec], state: StateDocument?, console: [IntegrationRecord]? = nil,
        allowDelete: Bool, header: PlanHeader
    ) throws(PlanFailure) -> Plan {
        let diff = try Diff.compute(desired: desired, state: state, console: console)
        return try plan(diff, allowDelete: allowDelete, header: header)
    }

    /// Plans from a diff already computed.
    /// - Throws: `PlanFailure` when a guard refuses a deletion.
    public static func plan(_ diff: DiffResult, allowDelete: Bool, header: PlanHeader) throws(PlanFailure) -> Plan {
        let refusals = DeleteGuard.check(diff, allowDelete: allowDelete)
        if !refusals.isEmpty { throw PlanFailure(refusals.sorted { $0.sortKey < $1.sortKey }) }
        // Each change's actions depend only on that change: a large plan is built on every
        // core, in runs of changes, and the runs joined in order.
        let changes = diff.changes
        let runs = ParallelMap.mapChunks(count: changes.count, threshold: Diff.parallelThreshold) { range in
            var builder = ActionBuilder(capacity: range.count)
            // Through the buffer, each change is lent to the builder rather than copied.
            changes.withUnsafeBufferPointer { changes in
                for i in range { builder.add(changes[i]) }
            }
            return builder.actions
        }
        var actions: [PlanAction]
        if runs.count == 1 {
            actions = runs[0]
        } else {
            actions = []
            actions.reserveCapacity(runs.reduce(0) { $0 + $1.count })
            for run in runs { actions.append(contentsOf: run) }
        }
        guard let ordered = PlanGraph.order(actions) else {
            // The builder only adds dependencies on actions it built before: no cycle can form.
            preconditionFailure("plan actions form a cycle or name an unknown action")
        }
        return Plan(
            header: header, refreshed: diff.refreshed, actions: ordered, drift: diff.drift,
            stateRefresh: diff.stateRefresh)
    }
}
