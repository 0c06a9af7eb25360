import KeyformCore
import KeyformJSON

/// Everything the console holds, with the indexes its rules need, so that every operation
/// costs the same whether the organization has ten projects or ten thousand.
///
/// A value type: the engine mutates its one copy in place (dictionaries stay uniquely
/// referenced, so no operation copies the whole console); compaction takes a copy, which
/// is cheap until the next mutation.
struct ConsoleState: Sendable {
    var organization: ConsoleOrganization
    var catalog: Catalog

    private(set) var projects: [String: ConsoleProject] = [:]
    private(set) var projectIdsByName: [String: String] = [:]
    /// Workspace id → project id.
    private(set) var projectIdsByWorkspace: [String: String] = [:]
    private(set) var credentials: [String: ConsoleCredential] = [:]
    /// Workspace id → the id of its credential (one credential per workspace).
    private(set) var credentialIdsByWorkspace: [String: String] = [:]
    /// API key (client id) → credential id.
    private(set) var credentialIdsByApiKey: [String: String] = [:]
    /// Credential id → client secret. Never leaves the engine except into its data files.
    private(set) var secrets: [String: String] = [:]
    private(set) var registrations: [String: ConsoleRegistration] = [:]
    /// Workspace id → registration name → registration id.
    private(set) var registrationIdsByWorkspace: [String: [String: String]] = [:]
    /// Client id → number of registrations (the per-credential quota).
    private(set) var registrationCountsByClient: [String: Int] = [:]
    private(set) var registrationNumericIds: Set<Int64> = []
    /// Entity id → its compact JSON as the snapshot writes it (credentials with their
    /// secret), made when the entity is put, so that a compaction concatenates bytes instead
    /// of encoding the whole console again. Missing for entities loaded from disk until they
    /// change; the snapshot encodes those itself.
    private(set) var encoded: [String: [UInt8]] = [:]

    init(organization: ConsoleOrganization, catalog: Catalog) {
        self.organization = organization
        self.catalog = catalog
    }

    /// Makes room for `count` more projects (with their workspaces), credentials or
    /// registrations, so that loading a large console does not grow the indexes step by step.
    mutating func reserveCapacity(projects count: Int) {
        projects.reserveCapacity(projects.count + count)
        projectIdsByName.reserveCapacity(projectIdsByName.count + count)
        projectIdsByWorkspace.reserveCapacity(projectIdsByWorkspace.count + count)
    }

    mutating func reserveCapacity(credentials count: Int) {
        credentials.reserveCapacity(credentials.count + count)
        credentialIdsByWorkspace.reserveCapacity(credentialIdsByWorkspace.count + count)
        credentialIdsByApiKey.reserveCapacity(credentialIdsByApiKey.count + count)
        secrets.reserveCapacity(secrets.count + count)
    }

    mutating func reserveCapacity(registrations count: Int) {
        registrations.reserveCapacity(registrations.count + count)
        registrationNumericIds.reserveCapacity(registrationNumericIds.count + count)
    }

    /// Whether any project, workspace, credential or registration already has this id.
    func isTaken(_ id: String) -> Bool {
        projects[id] != nil || projectIdsByWorkspace[id] != nil || credentials[id] != nil || registrations[id] != nil
    }

    func credential(inWorkspace workspaceId: String) -> ConsoleCredential? {
        credentialIdsByWorkspace[workspaceId].flatMap { credentials[$0] }
    }

    /// Registrations of a workspace, sorted by name.
    func registrations(inWorkspace workspaceId: String) -> [ConsoleRegistration] {
        guard let byName = registrationIdsByWorkspace[workspaceId] else { return [] }
        return byName.keys.sorted().compactMap { byName[$0].flatMap { registrations[$0] } }
    }

    /// Applies one change in place. Idempotent: putting an entity replaces it (and its index
    /// entries); deleting a missing one does nothing.
    /// - Parameter encode: whether to keep the entity's snapshot JSON (not while loading).
    mutating func apply(_ change: ConsoleChange, encode: Bool = true) {
        switch change {
        case .putProject(let project):
            removeProject(project.id)
            projects[project.id] = project
            projectIdsByName[project.name] = project.id
            projectIdsByWorkspace[project.workspace.id] = project.id
            if encode { encoded[project.id] = Array(project.json.compactText().utf8) }
        case .deleteProject(let id):
            removeProject(id)
        case .putCredential(let credential, let secret):
            let kept = secrets[credential.id]
            removeCredential(credential.id)
            credentials[credential.id] = credential
            credentialIdsByWorkspace[credential.workspaceId] = credential.id
            credentialIdsByApiKey[credential.apiKey] = credential.id
            secrets[credential.id] = secret ?? kept
            if encode { encoded[credential.id] = Array(credential.json(secret: secret ?? kept).compactText().utf8) }
        case .deleteCredential(let id):
            removeCredential(id)
        case .putRegistration(let registration):
            removeRegistration(registration.id)
            registrations[registration.id] = registration
            registrationIdsByWorkspace[registration.workspaceId, default: [:]][registration.name] = registration.id
            registrationCountsByClient[registration.clientId, default: 0] += 1
            registrationNumericIds.insert(registration.numericId)
            if encode { encoded[registration.id] = Array(registration.json.compactText().utf8) }
        case .deleteRegistration(let id):
            removeRegistration(id)
        }
    }

    private mutating func removeProject(_ id: String) {
        encoded[id] = nil
        guard let old = projects.removeValue(forKey: id) else { return }
        if projectIdsByName[old.name] == id { projectIdsByName[old.name] = nil }
        if projectIdsByWorkspace[old.workspace.id] == id { projectIdsByWorkspace[old.workspace.id] = nil }
    }

    private mutating func removeCredential(_ id: String) {
        encoded[id] = nil
        guard let old = credentials.removeValue(forKey: id) else { return }
        if credentialIdsByWorkspace[old.workspaceId] == id { credentialIdsByWorkspace[old.workspaceId] = nil }
        if credentialIdsByApiKey[old.apiKey] == id { credentialIdsByApiKey[old.apiKey] = nil }
        secrets[id] = nil
    }

    private mutating func removeRegistration(_ id: String) {
        encoded[id] = nil
        guard let old = registrations.removeValue(forKey: id) else { return }
        if registrationIdsByWorkspace[old.workspaceId]?[old.name] == id {
            registrationIdsByWorkspace[old.workspaceId]?[old.name] = nil
            if registrationIdsByWorkspace[old.workspaceId]?.isEmpty == true { registrationIdsByWorkspace[old.workspaceId] = nil }
        }
        if let count = registrationCountsByClient[old.clientId] {
            registrationCountsByClient[old.clientId] = count > 1 ? count - 1 : nil
        }
        registrationNumericIds.remove(old.numericId)
    }
}
