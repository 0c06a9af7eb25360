/// One console operation of an apply, as the executor performs it. Plans are turned into
/// steps; a step names integrations and registrations by name, and the executor looks their
/// console ids up in the state as it goes (a create earlier in the same run supplies them).
public struct ApplyStep: Hashable, Sendable {
    /// Unique within the run; dependencies refer to it.
    public var id: String
    /// The plan address, for progress lines (`web`, `web.events["sync"]`).
    public var address: String
    public var dependsOn: [String]
    public var operation: Operation

    public init(id: String, address: String, dependsOn: [String] = [], operation: Operation) {
        self.id = id
        self.address = address
        self.dependsOn = dependsOn
        self.operation = operation
    }

    public enum Operation: Hashable, Sendable {
        /// Creates the project and credential (or adopts one of the same name).
        case create(IntegrationSpec)
        /// Changes title, description, domains or redirect URIs of `name` (and records whether
        /// it is protected, which only the state knows).
        case update(name: String, attributes: IntegrationAttributes, isProtected: Bool)
        /// Renames `from` to `attributes.name`, with any other attribute changes.
        case rename(from: String, attributes: IntegrationAttributes)
        /// Replaces the service list.
        case setServices(name: String, services: [String])
        case register(name: String, registration: EventRegistrationSpec)
        case updateRegistration(name: String, registration: EventRegistrationSpec)
        /// Deletes a registration: the one with `registrationId` when given, else by name.
        case deregister(name: String, registrationName: String, registrationId: String?)
        case delete(name: String)

        /// The integration the step acts on (after a rename, its new name).
        public var integrationName: String {
            switch self {
            case .create(let spec): spec.name
            case .update(let name, _, _), .setServices(let name, _), .register(let name, _),
                .updateRegistration(let name, _), .deregister(let name, _, _), .delete(let name):
                name
            case .rename(_, let attributes): attributes.name
            }
        }

        /// A verb for progress lines.
        public var verb: String {
            switch self {
            case .create: "create"
            case .update: "update"
            case .rename: "rename"
            case .setServices: "subscribe"
            case .register: "register"
            case .updateRegistration: "update-registration"
            case .deregister: "deregister"
            case .delete: "delete"
            }
        }
    }
}
