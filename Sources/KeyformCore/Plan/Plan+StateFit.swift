import KeyformJSON

/// Whether a saved plan fits the state it was made against, beyond the lineage, serial and
/// digest that `apply PLANFILE` compares first.
///
/// What a plan records before its actions (`stateRefresh`, from the refresh) is not shown by
/// `show`, and the actions find their integrations in the state by name. A refresh only
/// brings a recorded integration in line with the same console project, or forgets one
/// deleted in the console; and each action acts on an integration the state records (or an
/// earlier action creates or renames), the one whose console ids the plan shows, and never
/// deletes one the state records as protected. Anything else was edited into the plan, and
/// would act on another integration than the one shown or stop the apply half-way.
///
/// Example: the state records `olddata` (project 7) and `billing` (project 9). An entry
/// `upsert olddata` with project 9 is refused; one with project 7 and a new title is not.
extension Plan {
    /// The first `stateRefresh` entry or action that does not fit `state`, as the error to
    /// report (`nil` when everything fits).
    public func misfit(in state: StateDocument?) -> PlanFileError? {
        var recorded = state?.integrations.mapValues(\.id) ?? [:]
        // As the state records them: a refresh keeps protection, and no plan deletes one.
        let protected = Set((state?.integrations ?? [:]).filter { $0.value.isProtected }.keys)
        for (i, change) in stateRefresh.enumerated() {
            let problem: String?
            switch change {
            case .upsert(let record, let formerName):
                if formerName != nil {
                    problem = "a refresh keeps every recorded name: it renames nothing"
                } else if let known = recorded[record.name] {
                    problem = known.projectId == record.id.projectId
                        ? nil
                        : "it records \(quoted(record.name)) as console project \(record.id.projectId), but the state has it as "
                            + "project \(known.projectId), and a refresh matches integrations by project"
                    recorded[record.name] = record.id
                } else {
                    problem = "it records \(quoted(record.name)), which the state does not know: a refresh only updates recorded integrations"
                }
            case .remove(let name):
                problem = recorded.removeValue(forKey: name) == nil ? "it forgets \(quoted(name)), which the state does not record" : nil
            case .intent:
                problem = "a refresh records no create"
            }
            if let problem { return .stateMismatch(pointer: "/stateRefresh/\(i)", problem: problem) }
        }
        // The names the executor finds integrations under (`ApplyStep.steps`), as the actions
        // before each one leave them; a created integration has no ids until it is made.
        var created = Set<String>()
        for (i, action) in actions.enumerated() {
            let name: String
            switch action.operation {
            case .noOp:
                continue
            case .create(let spec):
                created.insert(spec.name)
                continue
            case .rename(let from, _):
                name = from
            case .delete, .deregister:
                name = action.stateName ?? action.integrationName
            case .update, .subscribe, .register, .updateRegistration:
                name = action.integrationName
            }
            let problem: String?
            if action.kind == .delete, protected.contains(name) {
                problem = "it deletes \(quoted(name)), which the state records as protected: no plan deletes a protected integration"
            } else if let id = recorded[name] {
                problem = action.integrationId?.projectId == id.projectId
                    ? nil
                    : "it acts on \(quoted(name)), which the state records as console project \(id.projectId), not "
                        + (action.integrationId.map { "project " + $0.projectId } ?? "a new integration")
            } else if created.contains(name) {
                problem = action.integrationId == nil ? nil : "it names console ids for \(quoted(name)), which an earlier action creates"
            } else {
                problem = "it acts on \(quoted(name)), which the state does not record and no earlier action creates"
            }
            if let problem { return .stateMismatch(pointer: "/actions/\(i)", problem: problem) }
            switch action.operation {
            case .rename(let from, let spec):
                recorded[spec.name] = recorded.removeValue(forKey: from)
                if created.remove(from) != nil { created.insert(spec.name) }
            case .delete:
                recorded[name] = nil
                created.remove(name)
            default:
                break
            }
        }
        return nil
    }

    private func quoted(_ text: String) -> String {
        JSON.string(text).compactText()
    }
}
