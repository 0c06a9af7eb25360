extension ApplyStep {
    /// The steps that perform a plan's actions, in the plan's order, with its dependencies.
    /// `no-op` actions need no step; dependencies on them are dropped.
    public static func steps(for plan: Plan) -> [ApplyStep] {
        let performed = Set(plan.actions.filter { $0.kind != .noOp }.map(\.id))
        return plan.actions.compactMap { action in
            let operation: Operation
            switch action.operation {
            case .noOp:
                return nil
            case .create(let spec):
                operation = .create(spec)
            case .update(let spec):
                operation = .update(name: action.integrationName, attributes: spec.attributes, isProtected: spec.isProtected)
            case .rename(let from, let spec):
                operation = .rename(from: from, attributes: spec.attributes)
            case .subscribe(let services):
                operation = .setServices(name: action.integrationName, services: services)
            case .register(let registration):
                operation = .register(name: action.integrationName, registration: registration)
            case .updateRegistration(_, let registration):
                operation = .updateRegistration(name: action.integrationName, registration: registration)
            case .deregister(let registrationId, let name):
                operation = .deregister(name: action.stateName ?? action.integrationName, registrationName: name, registrationId: registrationId)
            case .delete:
                operation = .delete(name: action.stateName ?? action.integrationName)
            }
            return ApplyStep(
                id: action.id, address: action.address,
                dependsOn: action.dependsOn.filter { performed.contains($0) }, operation: operation)
        }
    }
}
