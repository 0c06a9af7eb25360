import KeyformJSON

/// Turns each integration's change into actions with reasons, values and dependencies.
///
/// Example: a new `stocksearchweb` with services `[StockSDK]` and event `asset-sync` gives
/// `create:stocksearchweb`, then `subscribe:stocksearchweb.services` and
/// `register:stocksearchweb.events["asset-sync"]`, both depending on the create.
/// A credential type change gives deregistrations, a delete depending on them, a create
/// depending on the delete, then the services and registrations again.
struct ActionBuilder {
    private(set) var actions: [PlanAction] = []
    /// Where the current integration's actions start (ids repeat only within one integration).
    private var changeStart = 0

    /// A builder with room for `capacity` actions (one per change is the usual case).
    init(capacity: Int = 0) {
        actions.reserveCapacity(capacity)
    }

    mutating func add(_ change: borrowing IntegrationChange) {
        changeStart = actions.count
        switch change.disposition {
        case .create:
            guard let spec = change.desired else { return }
            let reason: String
            switch change.createReason ?? .new {
            case .new: reason = "will be created (new in the manifests)"
            case .deletedOutside: reason = "will be created again (deleted in the console outside Keyform)"
            case .adopting:
                reason = "will be created (the console already holds an unmanaged integration of this name: the create adopts it)"
            }
            addCreation(spec, reason: reason, isReplacement: false, after: [])
        case .update:
            guard let spec = change.desired, let current = change.current else { return }
            addUpdate(change, spec: spec, current: current)
        case .replace:
            guard let spec = change.desired, let current = change.current else { return }
            let phrase = "credential type \(current.attributes.type.rawValue) → \(spec.type.rawValue)"
            let deregistrations = addDeregistrations(
                current, name: spec.name, stateName: change.stateName,
                reason: "will be deregistered before its integration is replaced")
            let delete = append(PlanAction(
                id: "delete:\(spec.name)", address: PlanValue.address(spec.name), integrationName: current.name,
                stateName: change.stateName, integrationId: current.id, operation: .delete,
                reason: "will be deleted and created again (\(phrase): the console cannot change a credential's type)",
                isReplacement: true, dependsOn: deregistrations,
                before: PlanValue.integration(current.attributes, protected: change.recordedProtected, apiKey: current.apiKey)))
            addCreation(spec, reason: "will be created again (replacing it: \(phrase))", isReplacement: true, after: [delete])
        case .delete:
            guard let current = change.current else { return }
            let deregistrations = addDeregistrations(
                current, name: change.name, stateName: change.stateName,
                reason: "will be deregistered before its integration is deleted")
            append(PlanAction(
                id: "delete:\(change.name)", address: PlanValue.address(change.name), integrationName: current.name,
                stateName: change.stateName, integrationId: current.id, operation: .delete,
                reason: "will be deleted (\(change.deleteCause.phrase))", dependsOn: deregistrations,
                before: PlanValue.integration(current.attributes, protected: change.recordedProtected, apiKey: current.apiKey)))
        case .unchanged:
            // The change's name is the spec's; reading it alone spares copying the whole spec.
            guard change.desired != nil else { return }
            let name = change.name
            append(PlanAction(
                id: "no-op:" + name, address: PlanValue.address(name), integrationName: name,
                stateName: change.stateName, integrationId: change.current?.id, operation: .noOp,
                reason: "matches the manifests"))
        }
    }

    /// A create (after `after`), then its services and registrations.
    private mutating func addCreation(_ spec: IntegrationSpec, reason: String, isReplacement: Bool, after: [String]) {
        let create = append(PlanAction(
            id: "create:\(spec.name)", address: PlanValue.address(spec.name), integrationName: spec.name,
            stateName: nil, integrationId: nil, operation: .create(spec), reason: reason,
            isReplacement: isReplacement, dependsOn: after,
            after: PlanValue.integration(spec.attributes, protected: spec.isProtected || isReplacement ? spec.isProtected : nil),
            afterUnknown: ["apiKey"]))
        if !spec.services.isEmpty {
            append(PlanAction(
                id: "subscribe:\(PlanValue.servicesAddress(spec.name))", address: PlanValue.servicesAddress(spec.name),
                integrationName: spec.name, stateName: nil, integrationId: nil,
                operation: .subscribe(services: spec.services), reason: "will be set (the services of the new integration)",
                dependsOn: [create], after: PlanValue.services(spec.services)))
        }
        for event in spec.events {
            addRegister(event, spec: spec, stateName: nil, integrationId: nil, dependsOn: [create])
        }
    }

    private mutating func addUpdate(_ change: IntegrationChange, spec: IntegrationSpec, current: IntegrationRecord) {
        var parent: [String] = []
        let attributes = change.changedAttributes
        if !attributes.isEmpty {
            let before = PlanValue.integration(current.attributes, protected: change.recordedProtected, apiKey: current.apiKey)
            let after = PlanValue.integration(spec.attributes, protected: spec.isProtected, apiKey: current.apiKey)
            if change.isRename {
                let from = change.stateName ?? current.name
                // `from` is the state's name; `current.name` the console's, when renamed there by hand.
                let reason = from == spec.name
                    ? "will be renamed back from \"\(current.name)\" (renamed in the console outside Keyform)"
                    : current.name == spec.name
                        ? "will be renamed from \"\(from)\" (listed in formerNames; the console already has the new name)"
                        : "will be renamed from \"\(from)\" (listed in formerNames)"
                parent = [append(PlanAction(
                    id: "rename:\(spec.name)", address: PlanValue.address(spec.name), integrationName: spec.name,
                    stateName: change.stateName, integrationId: current.id, operation: .rename(from: from, to: spec),
                    reason: reason, before: before, after: after))]
            } else {
                let reason = attributes == ["protected"]
                    ? "will be updated in place (only the state's record of \"protected\" changes)"
                    : "will be updated in place"
                append(PlanAction(
                    id: "update:\(spec.name)", address: PlanValue.address(spec.name), integrationName: spec.name,
                    stateName: change.stateName, integrationId: current.id, operation: .update(spec),
                    reason: reason, before: before, after: after))
            }
        }
        if change.servicesChanged {
            append(PlanAction(
                id: "subscribe:\(PlanValue.servicesAddress(spec.name))", address: PlanValue.servicesAddress(spec.name),
                integrationName: spec.name, stateName: change.stateName, integrationId: current.id,
                operation: .subscribe(services: spec.services),
                reason: "will be replaced (the console sets the whole list)", dependsOn: parent,
                before: PlanValue.services(current.services), after: PlanValue.services(spec.services)))
        }
        // After a rename the state knows the integration by its new name: a deregistration
        // waits for the rename and names it so (run beside it, under the old name, it left the
        // state with both names for one project).
        var deregistrations: [String] = []
        for case .deregister(let record) in change.registrations {
            var action = deregisterAction(
                record, name: spec.name, stateName: parent.isEmpty ? change.stateName : spec.name, integrationId: current.id,
                reason: "will be deregistered (no longer in the manifests)")
            action.dependsOn = parent
            deregistrations.append(append(action))
        }
        for registration in change.registrations {
            switch registration {
            case .register(let event):
                addRegister(event, spec: spec, stateName: change.stateName, integrationId: current.id,
                    dependsOn: parent + deregistrations)
            case .update(let from, let to):
                let address = PlanValue.registrationAddress(spec.name, to.name)
                append(PlanAction(
                    id: "update-registration:\(address)", address: address, integrationName: spec.name,
                    stateName: change.stateName, integrationId: current.id,
                    operation: .updateRegistration(registrationId: from.id, to: to), reason: Self.updateReason(from, to: to),
                    dependsOn: parent, before: PlanValue.registration(from.spec, id: from.id),
                    after: PlanValue.registration(to, id: from.id)))
            case .deregister:
                continue
            }
        }
    }

    /// Why a registration is updated. One whose webhook the console has not verified says so
    /// (the status, from the network, escaped for display): the update asks the console to
    /// verify it again, even when nothing else changes.
    static func updateReason(_ from: RegistrationRecord, to: EventRegistrationSpec) -> String {
        guard let status = from.unverifiedWebhook.map(Diagnostic.displayable) else { return "will be updated in place" }
        return IntegrationComparison.sameRegistration(from.spec, to)
            ? "will be updated again: the console has not verified its webhook (\(status)); updating it asks again"
            : "will be updated in place; the console has not verified its webhook (\(status)), and the update asks again"
    }

    private mutating func addRegister(
        _ event: EventRegistrationSpec, spec: IntegrationSpec, stateName: String?, integrationId: IntegrationID?,
        dependsOn: [String]
    ) {
        let address = PlanValue.registrationAddress(spec.name, event.name)
        append(PlanAction(
            id: "register:\(address)", address: address, integrationName: spec.name, stateName: stateName,
            integrationId: integrationId, operation: .register(event), reason: "will be registered",
            dependsOn: dependsOn, after: PlanValue.registration(event)))
    }

    private mutating func addDeregistrations(
        _ current: IntegrationRecord, name: String, stateName: String?, reason: String
    ) -> [String] {
        current.registrations.map { record in
            append(deregisterAction(record, name: name, stateName: stateName, integrationId: current.id, reason: reason))
        }
    }

    private func deregisterAction(
        _ record: RegistrationRecord, name: String, stateName: String?, integrationId: IntegrationID, reason: String
    ) -> PlanAction {
        let address = PlanValue.registrationAddress(name, record.name)
        return PlanAction(
            id: "deregister:\(address)", address: address, integrationName: name, stateName: stateName,
            integrationId: integrationId, operation: .deregister(registrationId: record.id, name: record.name),
            reason: reason, before: PlanValue.registration(record.spec, id: record.id))
    }

    /// Appends the action, making its id unique (a console may hold two registrations of one
    /// name), and returns the id used. Ids embed the integration's name, so only the current
    /// integration's actions can clash.
    @discardableResult
    private mutating func append(_ action: consuming PlanAction) -> String {
        var action = action
        if action.dependsOn.count > 1 { action.dependsOn = PlanValue.normalized(action.dependsOn) }
        if isTaken(action.id) {
            var n = 2
            while isTaken("\(action.id)#\(n)") { n += 1 }
            action.id = "\(action.id)#\(n)"
        }
        actions.append(action)
        return action.id
    }

    /// Whether an action of the current integration has this id. (Indexes `actions` directly:
    /// a slice held across the append would make every append copy the whole array.)
    private func isTaken(_ id: String) -> Bool {
        var i = changeStart
        while i < actions.count {
            if actions[i].id == id { return true }
            i += 1
        }
        return false
    }
}
