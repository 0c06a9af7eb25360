/// How many objects a plan creates, updates and deletes, and how many actions of each kind.
///
/// Objects are integrations and registrations; a service set belongs to its integration.
/// So `create` counts `create` and `register` actions; `delete` counts `delete` and
/// `deregister`; `update` counts integrations changed in place (by `update`, `rename` and/or
/// `subscribe`, once each; a `subscribe` right after a `create` is part of the create) and
/// `update-registration` actions. A replacement counts one create and one delete.
public struct PlanSummary: Hashable, Sendable {
    public var toCreate: Int
    public var toUpdate: Int
    public var toDelete: Int
    /// Integrations left as they are (`no-op` actions).
    public var unchanged: Int
    /// Actions per kind, for every kind (zero included), in `PlanAction.Kind.allCases` order.
    public var actionCounts: [(kind: PlanAction.Kind, count: Int)] {
        PlanAction.Kind.allCases.map { ($0, countsByKind[$0] ?? 0) }
    }

    private var countsByKind: [PlanAction.Kind: Int]

    public init(actions: [PlanAction]) {
        var counts: [PlanAction.Kind: Int] = [:]
        var created = Set<String>()
        var updated = Set<String>()
        var registrationUpdates = 0
        for i in actions.indices {
            let kind = actions[i].kind
            counts[kind, default: 0] += 1
            switch kind {
            case .create: created.insert(actions[i].integrationName)
            case .updateRegistration: registrationUpdates += 1
            default: break
            }
        }
        for i in actions.indices {
            switch actions[i].kind {
            case .update, .rename, .subscribe:
                if !created.contains(actions[i].integrationName) { updated.insert(actions[i].integrationName) }
            default:
                break
            }
        }
        toCreate = (counts[.create] ?? 0) + (counts[.register] ?? 0)
        toDelete = (counts[.delete] ?? 0) + (counts[.deregister] ?? 0)
        toUpdate = updated.count + registrationUpdates
        unchanged = counts[.noOp] ?? 0
        countsByKind = counts
    }

    /// How many actions of this kind.
    public func count(of kind: PlanAction.Kind) -> Int { countsByKind[kind] ?? 0 }

    /// "Plan: 2 to create, 1 to update, 0 to delete."
    public var sentence: String {
        "Plan: \(toCreate) to create, \(toUpdate) to update, \(toDelete) to delete."
    }
}
