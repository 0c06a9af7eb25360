import KeyformCore

/// The `local` console provider: the embedded `ConsoleEngine` in this process.
///
/// One integration is one project, its default workspace, the workspace's credential (named
/// like the project), the credential's services, and the workspace's event registrations.
/// Operations are durable when they return (see `ConsoleEngine`); `close()` at the end
/// compacts the console into its one JSON file.
public struct LocalProvider: ConsoleProvider {
    public let engine: ConsoleEngine

    public init(engine: ConsoleEngine) {
        self.engine = engine
    }

    /// Opens the console kept at `path` (a fresh organization when the file does not exist).
    /// - Parameter readOnly: reads only, without taking the writer's lock — for plans and
    ///   listings that may run while another process applies.
    /// - Throws: `ConsoleStoreError` for a damaged or unreadable file, or a console in use.
    public static func open(path: String, readOnly: Bool = false) throws(ConsoleStoreError) -> LocalProvider {
        LocalProvider(engine: try ConsoleEngine.open(path: path, readOnly: readOnly))
    }

    /// Compacts the console into its snapshot now (every operation is already durable).
    public func flush() throws(ConsoleStoreError) {
        try engine.flush()
    }

    /// Compacts and releases the console; the provider cannot be used afterwards.
    public func close() throws(ConsoleStoreError) {
        try engine.close()
    }

    public func catalog() async throws -> Catalog {
        try await engine.readAsync { state in state.catalog }
    }

    /// Every project that has a credential, as an integration, sorted by name.
    public func listIntegrations() async throws -> [IntegrationRecord] {
        try await engine.readAsync { state in
            state.projects.values.sorted { $0.name < $1.name }.compactMap { Self.record($0, in: state) }
        }
    }

    public func integration(named name: String) async throws -> IntegrationRecord? {
        try await engine.readAsync { state in
            state.projectIdsByName[name].flatMap { state.projects[$0] }.flatMap { Self.record($0, in: state) }
        }
    }

    /// Creates the project, its workspace and credential in one durable operation. A project
    /// of that name left without a credential (made through the HTTP API) gets one instead.
    public func createIntegration(_ attributes: IntegrationAttributes) async throws -> IntegrationRecord {
        let request = Self.credentialRequest(attributes)
        let create = ConsoleEngine.createProjectWithCredentialOperation(
            name: attributes.name, title: attributes.title, description: attributes.description, credential: request)
        let (project, credential) = try await engine.performAsync(ConsoleOperation { state, identifiers, quotas throws(ConsoleError) in
            if let incomplete = state.projectIdsByName[attributes.name].flatMap({ state.projects[$0] }),
               state.credential(inWorkspace: incomplete.workspace.id) == nil {
                let adopt = ConsoleEngine.createCredentialOperation(projectId: incomplete.id, workspaceId: incomplete.workspace.id, request)
                let (credential, changes) = try adopt.run(state, &identifiers, quotas)
                return ((incomplete, credential), changes)
            }
            return try create.run(state, &identifiers, quotas)
        })
        return IntegrationRecord(
            id: IntegrationID(projectId: project.id, workspaceId: project.workspace.id, credentialId: credential.id),
            apiKey: credential.apiKey, attributes: Self.attributes(project, credential), services: credential.services)
    }

    /// Changes name, title, description, domains and redirect URIs in one operation.
    /// - Throws: `ConsoleError.invalid` when `attributes.type` differs from the credential's.
    public func updateIntegration(_ id: IntegrationID, to attributes: IntegrationAttributes) async throws {
        _ = try await engine.performAsync(checked(id) { _ in
            ConsoleEngine.updateProjectAndCredentialOperation(
                projectId: id.projectId, name: attributes.name, title: attributes.title, description: attributes.description,
                credential: Self.credentialRequest(attributes))
        })
    }

    public func setServices(_ id: IntegrationID, to services: [String]) async throws {
        _ = try await engine.performAsync(checked(id) { _ in ConsoleEngine.setServicesOperation(credentialId: id.credentialId, services) })
    }

    public func createRegistration(_ id: IntegrationID, _ spec: EventRegistrationSpec) async throws -> RegistrationRecord {
        let registration = try await engine.performAsync(checked(id) { credential in
            ConsoleEngine.createRegistrationOperation(
                projectId: id.projectId, workspaceId: id.workspaceId, Self.registrationRequest(spec, clientId: credential.apiKey))
        })
        return Self.record(registration)
    }

    @discardableResult
    public func updateRegistration(_ id: IntegrationID, registrationId: String, to spec: EventRegistrationSpec) async throws -> RegistrationRecord {
        let registration = try await engine.performAsync(checked(id) { credential in
            ConsoleEngine.updateRegistrationOperation(
                projectId: id.projectId, workspaceId: id.workspaceId, registrationId: registrationId,
                Self.registrationRequest(spec, clientId: credential.apiKey))
        })
        return Self.record(registration)
    }

    public func deleteRegistration(_ id: IntegrationID, registrationId: String) async throws {
        try await engine.performAsync(checked(id) { _ in
            ConsoleEngine.deleteRegistrationOperation(projectId: id.projectId, workspaceId: id.workspaceId, registrationId: registrationId)
        })
    }

    /// Deletes the project with its workspace and credential.
    /// - Throws: `ConsoleError.invalid` while it has event registrations.
    /// In process: a failure (a storage error that stopped the engine) does not pass with
    /// waiting, so apply does not retry it.
    public var handlesTransientFailures: Bool { true }

    public func deleteIntegration(_ id: IntegrationID) async throws {
        try await engine.performAsync(checked(id) { _ in ConsoleEngine.deleteProjectOperation(id: id.projectId) })
    }

    // MARK: - Mapping

    /// `operation(credential)`, run only when `id`'s project, workspace and credential exist
    /// and belong together; checked in the same step, so nothing can change in between.
    private func checked<T>(_ id: IntegrationID, _ operation: @escaping (ConsoleCredential) -> ConsoleOperation<T>) -> ConsoleOperation<T> {
        ConsoleOperation { state, identifiers, quotas throws(ConsoleError) in
            _ = try ConsoleEngine.existingWorkspace(id.projectId, id.workspaceId, in: state)
            let credential = try ConsoleEngine.existingCredential(id.credentialId, in: state)
            guard credential.workspaceId == id.workspaceId else {
                throw .notFound(what: "credential \(id.credentialId) in workspace \(id.workspaceId)", request: nil)
            }
            return try operation(credential).run(state, &identifiers, quotas)
        }
    }

    static func record(_ project: ConsoleProject, in state: ConsoleState) -> IntegrationRecord? {
        guard let credential = state.credential(inWorkspace: project.workspace.id) else { return nil }
        let registrations = state.registrations(inWorkspace: project.workspace.id)
            .filter { $0.clientId == credential.apiKey }
            .map(record)
        return IntegrationRecord(
            id: IntegrationID(projectId: project.id, workspaceId: project.workspace.id, credentialId: credential.id),
            apiKey: credential.apiKey, attributes: attributes(project, credential), services: credential.services,
            registrations: registrations)
    }

    static func attributes(_ project: ConsoleProject, _ credential: ConsoleCredential) -> IntegrationAttributes {
        IntegrationAttributes(
            name: project.name, title: project.title, description: project.description,
            type: credential.type.credentialType, allowedDomains: credential.domains, redirectUris: credential.redirectUris)
    }

    /// The registration as Keyform sees it; its stored `webhookStatus` (`verified` unless a
    /// served console's check said otherwise) maps as the HTTP API's `webhook_status` does.
    static func record(_ registration: ConsoleRegistration) -> RegistrationRecord {
        RegistrationRecord(
            id: registration.id,
            spec: EventRegistrationSpec(
                name: registration.name, provider: registration.providerId, eventCodes: registration.eventCodes,
                webhookUrl: registration.webhookUrl),
            unverifiedWebhook: RegistrationRecord.unverifiedWebhook(fromStatus: registration.webhookStatus))
    }

    static func credentialRequest(_ attributes: IntegrationAttributes) -> ConsoleCredentialRequest {
        ConsoleCredentialRequest(
            type: ConsoleCredentialType(attributes.type), name: attributes.name, description: attributes.description,
            domains: attributes.allowedDomains, redirectUris: attributes.redirectUris)
    }

    static func registrationRequest(_ spec: EventRegistrationSpec, clientId: String) -> ConsoleRegistrationRequest {
        ConsoleRegistrationRequest(
            name: spec.name, clientId: clientId, providerId: spec.provider, eventCodes: spec.eventCodes, webhookUrl: spec.webhookUrl)
    }
}
