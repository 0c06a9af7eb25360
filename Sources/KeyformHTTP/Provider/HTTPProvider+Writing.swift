import KeyformCore

extension HTTPProvider {
    /// Creates the project (with its default workspace) and the credential, adopting whatever
    /// an earlier, interrupted create left: a project of that name (found in the index, by a
    /// lookup after an ambiguous POST, or after a 409) and a credential already in its
    /// workspace. An adopted integration is brought to `attributes` and read back.
    public func createIntegration(_ attributes: IntegrationAttributes) async throws -> IntegrationRecord {
        let org = try await organization()
        if let known = try await projectIndex(org: org.id)[attributes.name] {
            return try await adopt(known, as: attributes, org: org)
        }
        let outcome: (project: ProjectSummary, isNew: Bool)
        do {
            outcome = try await client.create(
                ConsoleRoutes.createProject(org: org.id, attributes),
                decode: { reply in
                    let ids = try ConsoleDecoding.createdProject(reply)
                    let project = ProjectSummary(
                        id: ids.projectId, name: attributes.name, title: attributes.title,
                        description: attributes.description, workspaceId: ids.workspaceId, isDeleted: false)
                    return (project, true)
                },
                lookup: {
                    try await projectsTitled(attributes.title, named: attributes.name, org: org.id).map { ($0, false) }
                })
        } catch ConsoleError.conflict(let what, let existingId, let request) {
            let projects = try await allProjects(org: org.id).filter { !$0.isDeleted }
            await memory.replaceIndex(with: projects)
            guard let holder = projects.first(where: { $0.name == attributes.name }) else {
                throw ConsoleError.conflict(what: what, existingId: existingId, request: request)
            }
            return try await adopt(holder, as: attributes, org: org)
        }
        guard outcome.isNew else { return try await adopt(outcome.project, as: attributes, org: org) }
        await memory.remember(outcome.project)
        return try await createCredential(attributes, in: outcome.project, org: org)
    }

    /// Changes the project (`PATCH`: name, title, description) and, for API key and OAuth
    /// credentials, the credential's name, description, domains and redirect URIs.
    public func updateIntegration(_ id: IntegrationID, to attributes: IntegrationAttributes) async throws {
        let org = try await organization()
        _ = try await client.send(ConsoleRoutes.editProject(org: org.id, projectId: id.projectId, attributes))
        if attributes.type != .serviceAccount {
            _ = try await client.send(ConsoleRoutes.updateAdobeIdCredential(org: org.id, credentialId: id.credentialId, attributes))
        }
        await memory.remember(ProjectSummary(
            id: id.projectId, name: attributes.name, title: attributes.title, description: attributes.description,
            workspaceId: id.workspaceId, isDeleted: false))
    }

    /// Replaces the credential's services with exactly `services` (the console's PUT replaces
    /// the whole list).
    public func setServices(_ id: IntegrationID, to services: [String]) async throws {
        let org = try await organization()
        let flowType = try await flowType(of: id, org: org.id)
        let codes = Array(Set(services)).sorted()
        _ = try await client.send(ConsoleRoutes.setServices(org: org.id, id: id, flowType: flowType, services: codes))
    }

    /// Deletes the credential, then the project; either already gone counts as deleted.
    public func deleteIntegration(_ id: IntegrationID) async throws {
        let org = try await organization()
        for request in [ConsoleRoutes.deleteCredential(org: org.id, id: id), ConsoleRoutes.deleteProject(org: org.id, projectId: id.projectId)] {
            do {
                _ = try await client.send(request)
            } catch ConsoleError.notFound {
                continue
            }
        }
        await memory.forgetProject(id.projectId)
    }

    // MARK: Building blocks

    /// Creates the credential in a fresh project's workspace; after an ambiguous POST the
    /// workspace's credentials are listed and one of the right type adopted.
    private func createCredential(_ attributes: IntegrationAttributes, in project: ProjectSummary, org: ConsoleOrganization) async throws -> IntegrationRecord {
        guard let workspaceId = project.workspaceId else { throw ConsoleError.notFound(what: "workspace of project \(project.id)", request: nil) }
        let request = attributes.type == .serviceAccount
            ? ConsoleRoutes.createServerToServerCredential(org: org.id, projectId: project.id, workspaceId: workspaceId, attributes)
            : ConsoleRoutes.createAdobeIdCredential(org: org.id, projectId: project.id, workspaceId: workspaceId, attributes)
        let credential = try await client.create(
            request,
            decode: { reply in try ConsoleDecoding.createdCredential(reply) },
            lookup: { () async throws -> (id: String, apiKey: String)? in
                let existing = try await credentials(org: org.id, projectId: project.id, workspaceId: workspaceId)
                guard let match = existing.first(where: { $0.type == attributes.type }) else { return nil }
                return (match.id, try await credentialDetail(org: org.id, credentialId: match.id, type: attributes.type).apiKey)
            })
        await memory.remember(credentialId: credential.id, flowType: Self.flowType(for: attributes.type), apiKey: credential.apiKey)
        return IntegrationRecord(
            id: IntegrationID(projectId: project.id, workspaceId: workspaceId, credentialId: credential.id),
            apiKey: credential.apiKey, attributes: attributes)
    }

    /// Takes over a project that already holds the name: edits it to `attributes`, creates the
    /// credential if it has none, and reads the result back.
    private func adopt(_ found: ProjectSummary, as attributes: IntegrationAttributes, org: ConsoleOrganization) async throws -> IntegrationRecord {
        var project = found
        guard let workspaceId = try await workspace(of: project, org: org.id) else {
            throw ConsoleError.notFound(what: "workspace of project \(project.id)", request: nil)
        }
        project.workspaceId = workspaceId
        let existing = try await credentials(org: org.id, projectId: project.id, workspaceId: workspaceId)
        if let other = existing.first(where: { $0.type != nil && $0.type != attributes.type }), let type = other.type {
            throw ConsoleError.conflict(
                what: "project \(attributes.name), whose credential is of type \(type.rawValue),", existingId: project.id, request: nil)
        }
        if project.title != attributes.title || project.description != attributes.description {
            _ = try await client.send(ConsoleRoutes.editProject(org: org.id, projectId: project.id, attributes))
            project.title = attributes.title
            project.description = attributes.description
        }
        await memory.remember(project)
        guard let credential = existing.first(where: { $0.type == attributes.type }) else {
            return try await createCredential(attributes, in: project, org: org)
        }
        let id = IntegrationID(projectId: project.id, workspaceId: workspaceId, credentialId: credential.id)
        let detail = try await credentialDetail(org: org.id, credentialId: credential.id, type: attributes.type)
        if attributes.type != .serviceAccount,
            detail.allowedDomains != attributes.allowedDomains || detail.redirectUris != attributes.redirectUris
        {
            _ = try await client.send(ConsoleRoutes.updateAdobeIdCredential(org: org.id, credentialId: credential.id, attributes))
        }
        return IntegrationRecord(
            id: id, apiKey: detail.apiKey, attributes: attributes, services: detail.services,
            registrations: try await registrations(org: org, id: id))
    }

    /// The credential's flow type (the services path segment): remembered, else listed.
    private func flowType(of id: IntegrationID, org: String) async throws -> String {
        if let known = await memory.flowType(of: id.credentialId) { return known }
        let listed = try await credentials(org: org, projectId: id.projectId, workspaceId: id.workspaceId)
        guard let credential = listed.first(where: { $0.id == id.credentialId }) else {
            throw ConsoleError.notFound(what: "credential \(id.credentialId)", request: nil)
        }
        if !credential.flowType.isEmpty { return credential.flowType }
        return credential.type.map(Self.flowType(for:)) ?? ConsoleRoutes.Value.flowAdobeId
    }

    static func flowType(for type: CredentialType) -> String {
        type == .serviceAccount ? ConsoleRoutes.Value.flowEnterprise : ConsoleRoutes.Value.flowAdobeId
    }
}
