import KeyformJSON

/// What a saved plan must satisfy beyond its checksum, which anyone can make again: only the
/// members of the format, and actions that act on what they show, in an order that cannot
/// leave an apply half-done. Each rule restates how `Planner` builds a plan, so every plan it
/// makes passes; a plan edited by hand (or by a broken tool) and sealed again does not.
///
/// Example: a `delete` of `olddata` whose `stateName` was edited to `billing` would delete
/// `billing` while `show` displays `- olddata`; it is refused at `/actions/3/stateName`. A
/// `register:web.events["hook"]` whose `dependsOn` no longer names `create:web` could run
/// before `web` exists; it is refused at `/actions/2/dependsOn`.
extension PlanFile {
    /// The members each object of the format has (`schemas/plan.schema.json`).
    enum Members {
        static let plan: Set<String> = [
            "formatVersion", "id", "createdAt", "stateLineage", "stateSerial", "stateDigest", "catalogDigest", "refreshed",
            "summary", "drift", "actions", "stateRefresh", "checksum",
        ]
        static let summary: Set<String> = ["create", "update", "delete", "unchanged", "actions"]
        static let drift: Set<String> = ["kind", "address", "integration", "message", "before", "after"]
        static let integrationId: Set<String> = ["projectId", "workspaceId", "credentialId"]
        static let spec: Set<String> = [
            "name", "title", "description", "type", "allowedDomains", "redirectUris", "services", "events", "protected",
            "formerNames",
        ]
        static let event: Set<String> = ["name", "provider", "eventCodes", "webhookUrl"]
        static let record: Set<String> = [
            "name", "title", "description", "type", "allowedDomains", "redirectUris", "apiKey", "id", "services",
            "registrations", "protected",
        ]
        static let registration: Set<String> = event.union(["id"])

        /// An action's members: the common ones and those of its kind.
        static func action(_ kind: PlanAction.Kind) -> Set<String> {
            let common: Set<String> = [
                "id", "kind", "address", "integration", "stateName", "integrationId", "reason", "replacement", "dependsOn",
                "before", "after", "afterUnknown",
            ]
            switch kind {
            case .create, .update: return common.union(["spec"])
            case .rename: return common.union(["formerName", "spec"])
            case .subscribe: return common.union(["services"])
            case .register: return common.union(["event"])
            case .updateRegistration: return common.union(["registrationId", "event"])
            case .deregister: return common.union(["registrationId", "registrationName"])
            case .delete, .noOp: return common
            }
        }

        /// The members of a value shown before or after (`PlanValue`).
        static let integrationValue: Set<String> = [
            "name", "type", "title", "description", "allowedDomains", "redirectUris", "protected", "apiKey",
        ]
        static let consoleIntegrationValue: Set<String> = [
            "name", "type", "title", "description", "allowedDomains", "redirectUris", "apiKey", "services",
        ]
        static let servicesValue: Set<String> = ["services"]
        static let registrationValue: Set<String> = registration
    }

    /// A member of an action that contradicts the others, and why.
    struct Inconsistency: Equatable {
        var member: String
        var problem: String
    }

    /// What the action's `before` may be: `nil` when it must be `null`, else the members of the
    /// object it shows (`null` allowed as well when `nullable`).
    static func beforeShape(of kind: PlanAction.Kind) -> (members: Set<String>, nullable: Bool)? {
        switch kind {
        case .create, .register, .noOp: nil
        case .update, .rename, .delete: (Members.integrationValue, false)
        case .subscribe: (Members.servicesValue, true)
        case .updateRegistration, .deregister: (Members.registrationValue, false)
        }
    }

    /// Whether the action's own members agree: its id is `kind:address`, its address names
    /// what it changes, and what it shows is what it acts on (the `after` it applies, the
    /// registration it removes, the recorded name it renames).
    static func inconsistency(in action: PlanAction) -> Inconsistency? {
        let expectedAddress: String?
        switch action.operation {
        case .create, .update, .rename, .noOp: expectedAddress = PlanValue.address(action.integrationName)
        case .subscribe: expectedAddress = PlanValue.servicesAddress(action.integrationName)
        case .register(let event), .updateRegistration(_, let event):
            expectedAddress = PlanValue.registrationAddress(action.integrationName, event.name)
        case .deregister(_, let name): expectedAddress = PlanValue.registrationAddress(action.integrationName, name)
        case .delete: expectedAddress = nil  // checked with the other actions (`inconsistency(across:drift:)`)
        }
        if let expectedAddress, action.address != expectedAddress {
            return Inconsistency(
                member: "address",
                problem: "\(described(action.kind)) of \(quoted(action.integrationName)) has the address \(quoted(expectedAddress)), "
                    + "not \(quoted(action.address))")
        }
        if !hasIdOfItsAddress(action) {
            return Inconsistency(
                member: "id", problem: "the id must be \(quoted(action.kind.rawValue + ":" + action.address)), not \(quoted(action.id))")
        }
        let unknown: [String] = action.kind == .create ? ["apiKey"] : []
        if action.afterUnknown != unknown {
            return Inconsistency(
                member: "afterUnknown",
                problem: unknown.isEmpty
                    ? "\(described(action.kind)) knows every value it sets: \"afterUnknown\" must be empty"
                    : "a create knows every value but the API key: \"afterUnknown\" must be [\"apiKey\"]")
        }
        if !showsItsOperation(action) {
            return Inconsistency(
                member: "after",
                problem: "what the action shows is not what it would do (its \"after\" differs from the values it applies)")
        }
        switch action.operation {
        case .rename(let from, _):
            if action.stateName != from {
                return Inconsistency(
                    member: "formerName", problem: "a rename renames the integration under its \"stateName\", not \(quoted(from))")
            }
        case .deregister(let registrationId, let name):
            if action.before["id"] != .string(registrationId) || action.before["name"] != .string(name) {
                return Inconsistency(
                    member: "registrationId",
                    problem: "the registration deregistered (\(quoted(name)), id \(quoted(registrationId))) "
                        + "is not the one the action shows")
            }
        default:
            break
        }
        return nil
    }

    /// Whether `action.id` is `kind:address`, or that with `#2`, `#3`… (two registrations of one name).
    private static func hasIdOfItsAddress(_ action: PlanAction) -> Bool {
        let base = action.kind.rawValue + ":" + action.address
        guard action.id.hasPrefix(base) else { return false }
        let rest = action.id.utf8.dropFirst(base.utf8.count)
        if rest.isEmpty { return true }
        guard rest.first == UInt8(ascii: "#"), let n = Int(Substring(rest.dropFirst())), n >= 2 else { return false }
        return String(n) == String(Substring(rest.dropFirst()))
    }

    /// Across the actions: a rename, delete or deregistration acts on the integration it shows, and each
    /// action waits (directly or not) for what the planner makes it wait for: what acts on an
    /// integration for its create or rename, a registration for the deregistrations before it,
    /// a delete for its integration's deregistrations, a replacement's create for its delete.
    /// - Returns: the index of the first action at fault, with the member and why.
    static func inconsistency(across actions: [PlanAction], drift: [Drift]) -> (index: Int, Inconsistency)? {
        let shown = RecordedNames(drift)
        var madeOrRenamed: [String: Int] = [:]
        var replacementCreates: [String: Int] = [:]
        var replacementDeletes: [String: Int] = [:]
        for (i, action) in actions.enumerated() {
            switch action.kind {
            case .create, .rename:
                if madeOrRenamed[action.integrationName] == nil { madeOrRenamed[action.integrationName] = i }
                if action.kind == .create, action.isReplacement { replacementCreates[action.address] = i }
            case .delete where action.isReplacement:
                replacementDeletes[action.address] = i
            default:
                break
            }
        }
        var deregistrationsByTarget: [String: [Int]] = [:]
        var deregistrationsByName: [String: [Int]] = [:]
        for (i, action) in actions.enumerated() where action.kind == .deregister {
            deregistrationsByTarget[target(of: action), default: []].append(i)
            deregistrationsByName[action.integrationName, default: []].append(i)
        }
        let reach = Reachability(actions)
        for (i, action) in actions.enumerated() {
            var prerequisites: [Int] = []
            switch action.operation {
            case .rename(let from, let spec):
                // The record of the spec's own name (renamed in the console by hand), or of a
                // former name the plan shows.
                if from != spec.name, !(spec.formerNames.contains(from) && shown.contains(from, as: action.before)) {
                    return (i, Inconsistency(
                        member: "formerName",
                        problem: "the rename shown for \(quoted(action.address)) would rename the integration the state records as "
                            + quoted(from)))
                }
            case .delete:
                let target = target(of: action)
                // A replacement found through a former name deletes the record of that name.
                let isShown = target == action.address
                    || (action.isReplacement && shown.contains(target, as: action.before)
                        && replacementCreates[action.address].flatMap { actions[$0].spec }?.formerNames.contains(target) == true)
                if !isShown {
                    return (i, Inconsistency(
                        member: "stateName",
                        problem: "the delete shown for \(quoted(action.address)) would delete the integration the state records as "
                            + quoted(target)))
                }
                prerequisites = deregistrationsByTarget[target] ?? []
            case .deregister:
                let target = target(of: action)
                let ofReplacement = replacementDeletes[action.integrationName].map { self.target(of: actions[$0]) == target }
                    ?? false
                if target != action.integrationName, !ofReplacement {
                    return (i, Inconsistency(
                        member: "stateName",
                        problem: "the deregistration shown for \(quoted(action.address)) would act on the integration the state records as "
                            + quoted(target)))
                }
                if let parent = madeOrRenamed[action.integrationName], actions[parent].kind == .rename { prerequisites = [parent] }
            case .subscribe, .register, .updateRegistration:
                if let parent = madeOrRenamed[action.integrationName] { prerequisites = [parent] }
                if action.kind == .register { prerequisites += deregistrationsByName[action.integrationName] ?? [] }
            case .create where action.isReplacement:
                if let delete = replacementDeletes[action.address] { prerequisites = [delete] }
            default:
                break
            }
            for prerequisite in prerequisites where !reach.waits(i, for: prerequisite) {
                return (i, Inconsistency(
                    member: "dependsOn",
                    problem: "\(quoted(action.id)) must wait for \(quoted(actions[prerequisite].id)), "
                        + "or an apply could run it first and stop half-way"))
            }
        }
        return nil
    }

    /// The name the executor finds the integration under in the state (`ApplyStep.steps`).
    private static func target(of action: PlanAction) -> String {
        action.stateName ?? action.integrationName
    }

    /// `a create`, `an update`.
    private static func described(_ kind: PlanAction.Kind) -> String {
        (kind.rawValue.hasPrefix("u") ? "an " : "a ") + kind.rawValue
    }

    private static func quoted(_ text: String) -> String {
        JSON.string(text).compactText()
    }
}

/// Whether a plan shows a recorded name for an integration's `before` value: as its name, or,
/// when the console renamed it by hand, through the drift entry of the recorded name whose
/// `after` carries the console's name.
private struct RecordedNames {
    /// Recorded name → the console's name now, from the `changed` drift entries.
    private var consoleNames: [String: JSON] = [:]

    init(_ drift: [Drift]) {
        for entry in drift where entry.kind == .changed {
            if let name = entry.after["name"] { consoleNames[entry.address] = name }
        }
    }

    func contains(_ recorded: String, as before: JSON) -> Bool {
        guard let name = before["name"] else { return false }
        return name == .string(recorded) || consoleNames[PlanValue.address(recorded)] == name
    }
}

/// Which earlier actions an action waits for, through `dependsOn`.
private struct Reachability {
    private let dependsOn: [[Int]]

    init(_ actions: [PlanAction]) {
        var index: [String: Int] = [:]
        index.reserveCapacity(actions.count)
        for (i, action) in actions.enumerated() { index[action.id] = i }
        dependsOn = actions.map { $0.dependsOn.compactMap { index[$0] } }
    }

    /// Whether action `i` waits, directly or not, for action `j`: a walk back along
    /// `dependsOn` (which the reader checked points to earlier actions), without recursion.
    func waits(_ i: Int, for j: Int) -> Bool {
        var stack = dependsOn[i]
        var seen = Set<Int>()
        while let d = stack.popLast() {
            if d == j { return true }
            if d > j, seen.insert(d).inserted { stack += dependsOn[d] }
        }
        return false
    }
}
