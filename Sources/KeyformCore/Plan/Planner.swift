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
        // One builder, in order: building a large plan in runs on several cores was no
        // faster, since joining the runs copies every action.
        var builder = ActionBuilder(capacity: diff.changes.count)
        diff.changes.withUnsafeBufferPointer { changes in
            // Through the buffer, each change is lent to the builder rather than copied.
            for i in changes.indices { builder.add(changes[i]) }
        }
        let actions = builder.actions
        guard let ordered = PlanGraph.order(actions) else {
            // The builder only adds dependencies on actions it built before: no cycle can form.
            preconditionFailure("plan actions form a cycle or name an unknown action")
        }
        return Plan(
            header: header, refreshed: diff.refreshed, actions: ordered, drift: diff.drift,
            stateRefresh: diff.stateRefresh)
    }
}
