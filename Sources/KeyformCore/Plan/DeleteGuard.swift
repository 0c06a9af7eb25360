/// The rules that keep a plan from deleting what it should not.
///
/// - A plan made from manifests that declare nothing, against a state that holds
///   integrations, is refused outright (`--allow-delete` does not help): an empty manifest
///   directory is almost always a mistake.
/// - A protected integration (protected in the manifest, or recorded as protected in the
///   state) is never deleted, neither because it left the manifests nor to replace it.
/// - Any other deletion needs `allowDelete`; without it the plan fails and names them all.
enum DeleteGuard {
    static func check(_ diff: DiffResult, allowDelete: Bool) -> [PlanError] {
        let declared = diff.changes.contains { $0.desired != nil }
        if !declared, diff.storedCount > 0 {
            return [.deleteEverything(count: diff.storedCount)]
        }
        var errors: [PlanError] = []
        var deletions: [PlanError.PlannedDeletion] = []
        for i in diff.changes.indices {
            let cause: DeleteCause
            switch diff.changes[i].disposition {
            case .delete:
                cause = diff.changes[i].deleteCause
            case .replace:
                let change = diff.changes[i]
                guard let from = change.current?.attributes.type, let to = change.desired?.type else { continue }
                cause = .typeChanged(from: from, to: to)
            case .create, .update, .unchanged:
                continue
            }
            let change = diff.changes[i]
            if change.recordedProtected || change.desired?.isProtected == true {
                errors.append(.deleteProtected(name: change.name, cause: cause))
            } else {
                deletions.append(PlanError.PlannedDeletion(name: change.name, cause: cause))
            }
        }
        if !allowDelete, !deletions.isEmpty {
            errors.append(.deleteNotAllowed(deletions.sorted { $0.name < $1.name }))
        }
        return errors
    }
}

extension IntegrationChange {
    /// Why a `delete` deletes.
    var deleteCause: DeleteCause {
        formerNameOf.map(DeleteCause.listedAsFormerNameOf) ?? .removedFromManifests
    }
}
