import KeyformCore

/// Credentials and their service subscriptions (Console API: `…/workspaces/{w}/credentials…`,
/// `/console/organizations/{orgId}/integrations/{credentialId}`).
extension ConsoleEngine {
    /// The credentials of a workspace (at most one here).
    public func credentials(projectId: String, workspaceId: String) throws(ConsoleError) -> [ConsoleCredential] {
        try read { state throws(ConsoleError) in
            let project = try Self.existingWorkspace(projectId, workspaceId, in: state)
            return state.credential(inWorkspace: project.workspace.id).map { [$0] } ?? []
        }
    }

    /// A credential by id — what the console calls reading an "integration".
    public func credential(id: String) throws(ConsoleError) -> ConsoleCredential {
        try read { state throws(ConsoleError) in try Self.existingCredential(id, in: state) }
    }

    /// The credential whose API key (client id) this is, or `nil`.
    public func credential(apiKey: String) throws(ConsoleError) -> ConsoleCredential? {
        try read { state in state.credentialIdsByApiKey[apiKey].flatMap { state.credentials[$0] } }
    }

    /// Creates the credential of a workspace: a new API key, and for OAuth and service-account
    /// credentials a client secret that stays in the console.
    /// - Throws: `.notFound` for an unknown project or workspace; `.conflict` (with its id)
    ///   when the workspace has a credential already; `.invalid`, `.notEntitled` or
    ///   `.unsupportedCredentialType` for a body the console refuses.
    public func createCredential(projectId: String, workspaceId: String, _ request: ConsoleCredentialRequest) throws(ConsoleError) -> ConsoleCredential {
        try perform(Self.createCredentialOperation(projectId: projectId, workspaceId: workspaceId, request))
    }

    static func createCredentialOperation(projectId: String, workspaceId: String, _ request: ConsoleCredentialRequest) -> ConsoleOperation<ConsoleCredential> {
        ConsoleOperation { state, identifiers, quotas throws(ConsoleError) in
            let project = try Self.existingWorkspace(projectId, workspaceId, in: state)
            let (credential, secret) = try Self.newCredential(request, of: project, in: state, identifiers: &identifiers)
            return (credential, [.putCredential(credential, secret: secret)])
        }
    }

    /// Edits a credential's name, description, domains and redirect URIs. The type cannot
    /// change; services are left to `setServices`.
    @discardableResult
    public func updateCredential(id: String, _ request: ConsoleCredentialRequest) throws(ConsoleError) -> ConsoleCredential {
        try perform(Self.updateCredentialOperation(id: id, request))
    }

    static func updateCredentialOperation(id: String, _ request: ConsoleCredentialRequest) -> ConsoleOperation<ConsoleCredential> {
        ConsoleOperation { state, _, quotas throws(ConsoleError) in
            let credential = try Self.editedCredential(try Self.existingCredential(id, in: state), request)
            return (credential, [.putCredential(credential, secret: nil)])
        }
    }

    /// Replaces the credential's subscriptions with exactly `services` (the console takes the
    /// whole list every time) and returns the new list, sorted.
    /// - Throws: `.notFound`; `.invalid` for an unknown service; `.notEntitled`;
    ///   `.unsupportedCredentialType`. Nothing changes when any service is refused.
    @discardableResult
    public func setServices(credentialId: String, _ services: [String]) throws(ConsoleError) -> [String] {
        try perform(Self.setServicesOperation(credentialId: credentialId, services))
    }

    static func setServicesOperation(credentialId: String, _ services: [String]) -> ConsoleOperation<[String]> {
        ConsoleOperation { state, _, quotas throws(ConsoleError) in
            var credential = try Self.existingCredential(credentialId, in: state)
            credential.services = try ConsoleRules.checkServices(services, for: credential.type, in: state.catalog)
            return (credential.services, [.putCredential(credential, secret: nil)])
        }
    }

    /// Deletes a credential.
    /// - Throws: `.notFound`; `.invalid` while event registrations use its client id.
    public func deleteCredential(id: String) throws(ConsoleError) {
        try perform(Self.deleteCredentialOperation(id: id))
    }

    static func deleteCredentialOperation(id: String) -> ConsoleOperation<Void> {
        ConsoleOperation { state, _, quotas throws(ConsoleError) in
            let credential = try Self.existingCredential(id, in: state)
            if let count = state.registrationCountsByClient[credential.apiKey] {
                throw .invalid("credential '\(credential.name)' has \(count) event registration(s); delete them before the credential", request: nil)
            }
            return ((), [.deleteCredential(id: id)])
        }
    }

    /// Creates a project, its default workspace and its credential as one operation: after a
    /// crash either all three exist or none does.
    public func createProjectWithCredential(
        name: String, title: String, description: String, credential request: ConsoleCredentialRequest
    ) throws(ConsoleError) -> (ConsoleProject, ConsoleCredential) {
        try perform(Self.createProjectWithCredentialOperation(name: name, title: title, description: description, credential: request))
    }

    static func createProjectWithCredentialOperation(
        name: String, title: String, description: String, credential request: ConsoleCredentialRequest
    ) -> ConsoleOperation<(ConsoleProject, ConsoleCredential)> {
        ConsoleOperation { state, identifiers, quotas throws(ConsoleError) in
            let project = try Self.newProject(name: name, title: title, description: description, in: state, identifiers: &identifiers)
            let (credential, secret) = try Self.newCredential(request, of: project, in: state, identifiers: &identifiers)
            return ((project, credential), [.putProject(project), .putCredential(credential, secret: secret)])
        }
    }

    /// Edits a project and its workspace's credential as one operation (name, title,
    /// description; domains and redirect URIs).
    /// - Throws: as `updateProject` and `updateCredential`; `.notFound` when the project's
    ///   workspace has no credential.
    @discardableResult
    public func updateProjectAndCredential(
        projectId: String, name: String, title: String, description: String, credential request: ConsoleCredentialRequest
    ) throws(ConsoleError) -> (ConsoleProject, ConsoleCredential) {
        try perform(Self.updateProjectAndCredentialOperation(projectId: projectId, name: name, title: title, description: description, credential: request))
    }

    static func updateProjectAndCredentialOperation(
        projectId: String, name: String, title: String, description: String, credential request: ConsoleCredentialRequest
    ) -> ConsoleOperation<(ConsoleProject, ConsoleCredential)> {
        ConsoleOperation { state, _, quotas throws(ConsoleError) in
            let current = try Self.existingProject(projectId, in: state)
            guard let currentCredential = state.credential(inWorkspace: current.workspace.id) else {
                throw .notFound(what: "credential of project \(projectId)", request: nil)
            }
            let project = try Self.editedProject(current, name: name, title: title, description: description, in: state)
            let credential = try Self.editedCredential(currentCredential, request)
            return ((project, credential), [.putProject(project), .putCredential(credential, secret: nil)])
        }
    }

    // MARK: - Checks shared by the operations

    static func existingCredential(_ id: String, in state: ConsoleState) throws(ConsoleError) -> ConsoleCredential {
        guard let credential = state.credentials[id] else { throw .notFound(what: "credential \(id)", request: nil) }
        return credential
    }

    static func newCredential(
        _ request: ConsoleCredentialRequest, of project: ConsoleProject, in state: ConsoleState, identifiers: inout ConsoleIdentifiers
    ) throws(ConsoleError) -> (ConsoleCredential, secret: String?) {
        try ConsoleRules.checkCredential(request)
        if let existing = state.credential(inWorkspace: project.workspace.id) {
            throw .conflict(what: "credential of workspace \(project.workspace.id) (a workspace has one credential)", existingId: existing.id, request: nil)
        }
        let services = try ConsoleRules.checkServices(request.services, for: request.type, in: state.catalog)
        var id = identifiers.freshId(in: state)
        while id == project.id || id == project.workspace.id { id = identifiers.freshId(in: state) }
        let credential = ConsoleCredential(
            id: id, projectId: project.id, workspaceId: project.workspace.id, type: request.type,
            apiKey: identifiers.freshApiKey(in: state), name: request.name, description: request.description,
            domains: request.domains, redirectUris: request.redirectUris, services: services)
        return (credential, request.type.hasClientSecret ? identifiers.clientSecret() : nil)
    }

    static func editedCredential(_ credential: ConsoleCredential, _ request: ConsoleCredentialRequest) throws(ConsoleError) -> ConsoleCredential {
        guard request.type == credential.type else {
            throw .invalid("credential '\(credential.name)' is \(credential.type.rawValue); its type cannot change to \(request.type.rawValue)", request: nil)
        }
        try ConsoleRules.checkCredential(request)
        var edited = credential
        edited.name = request.name
        edited.description = request.description
        edited.domains = Array(Set(request.domains)).sorted()
        edited.redirectUris = Array(Set(request.redirectUris)).sorted()
        return edited
    }
}
