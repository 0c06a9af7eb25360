import KeyformCore

extension HTTPProvider {
    /// Every project (paged), then per project, at most `readConcurrency` at a time: its
    /// default workspace (unless the listing named it), credentials, the credential itself
    /// (API key, domains, redirect URIs, services) and the workspace's registrations.
    /// Projects without a credential Keyform manages are left out.
    public func listIntegrations() async throws -> [IntegrationRecord] {
        let org = try await organization()
        let projects = try await allProjects(org: org.id).filter { !$0.isDeleted }
        await memory.replaceIndex(with: projects)
        let records = try await Self.boundedMap(projects, limit: configuration.readConcurrency) { project in
            try await readIntegration(project, org: org)
        }
        return records.compactMap { $0 }.sorted { ($0.name, $0.id.projectId) < ($1.name, $1.id.projectId) }
    }

    /// The integration named `name`: found in the name index, confirmed by reading the project.
    public func integration(named name: String) async throws -> IntegrationRecord? {
        let org = try await organization()
        guard let known = try await projectIndex(org: org.id)[name] else { return nil }
        let project: ProjectSummary
        do {
            project = try ConsoleDecoding.project(try await client.send(ConsoleRoutes.project(org: org.id, projectId: known.id)))
        } catch ConsoleError.notFound {
            await memory.forgetProject(known.id)
            return nil
        }
        guard project.name == name, !project.isDeleted else { return nil }
        return try await readIntegration(ProjectSummary(
            id: project.id, name: project.name, title: project.title, description: project.description,
            workspaceId: known.workspaceId, isDeleted: false), org: org)
    }

    // MARK: Building blocks

    func projectIndex(org: String) async throws -> [String: ProjectSummary] {
        try await memory.projectIndex { [self] in try await allProjects(org: org) }
    }

    /// Pages read at most in one listing: 100,000 projects at the default size, far beyond
    /// any organization, and about a minute of requests.
    static let pageLimit = 1000

    /// `GET …/projects?page=&size=` from page 1 until a short page. A page larger than asked
    /// (a console that ignores paging) or one with nothing new ends the listing too, so a
    /// console that repeats itself cannot make it loop; one that sends new projects on every
    /// page without end is an error after `pageLimit` pages.
    func allProjects(org: String) async throws -> [ProjectSummary] {
        let size = configuration.pageSize
        var projects: [ProjectSummary] = []
        var seen: Set<String> = []
        var page = 1
        while true {
            let reply = try await client.send(ConsoleRoutes.projects(org: org, page: page, size: size))
            let items = try ConsoleDecoding.projects(reply)
            let fresh = items.filter { seen.insert($0.id).inserted }
            projects += fresh
            let total = reply.response.header("X-Pagination-Count").flatMap { Int($0) }
            if items.count != size || fresh.isEmpty || total.map({ projects.count >= $0 }) == true { return projects }
            guard page < Self.pageLimit else {
                throw ConsoleError.badResponse(
                    "the project listing did not end after \(page) full pages (\(projects.count) projects)", request: reply.info)
            }
            page += 1
        }
    }

    /// Projects titled `title` (Adobe's only documented filter), matched on `name`.
    func projectsTitled(_ title: String, named name: String, org: String) async throws -> ProjectSummary? {
        let reply = try await client.send(ConsoleRoutes.projects(org: org, title: title))
        return try ConsoleDecoding.projects(reply).first { $0.name == name && !$0.isDeleted }
    }

    /// The integration behind `project`, or `nil` when it has no credential Keyform manages or
    /// disappears while being read. A 404 on one of its parts counts as disappearing only when
    /// the project itself is gone: a console answering 404 for the credentials of a project it
    /// still has would otherwise have every integration planned as deleted outside Keyform.
    func readIntegration(_ project: ProjectSummary, org: ConsoleOrganization) async throws -> IntegrationRecord? {
        do {
            guard let workspaceId = try await workspace(of: project, org: org.id),
                let credential = try await credentials(org: org.id, projectId: project.id, workspaceId: workspaceId)
                    .first(where: { $0.type != nil }),
                let type = credential.type
            else { return nil }
            let id = IntegrationID(projectId: project.id, workspaceId: workspaceId, credentialId: credential.id)
            async let detail = credentialDetail(org: org.id, credentialId: credential.id, type: type)
            async let registrations = registrations(org: org, id: id)
            let (details, records) = try await (detail, registrations)
            return IntegrationRecord(
                id: id, apiKey: details.apiKey,
                attributes: IntegrationAttributes(
                    name: project.name, title: project.title, description: project.description, type: type,
                    allowedDomains: details.allowedDomains, redirectUris: details.redirectUris),
                services: details.services, registrations: records)
        } catch ConsoleError.notFound(let what, let request) {
            guard try await isGone(project.id, org: org.id) else {
                throw ConsoleError.badResponse("\(what) not found, though its project \(project.id) exists", request: request)
            }
            return nil
        }
    }

    /// Whether the project is deleted or no longer found.
    private func isGone(_ projectId: String, org: String) async throws -> Bool {
        do {
            return try ConsoleDecoding.project(try await client.send(ConsoleRoutes.project(org: org, projectId: projectId))).isDeleted
        } catch ConsoleError.notFound {
            return true
        }
    }

    func workspace(of project: ProjectSummary, org: String) async throws -> String? {
        if let known = project.workspaceId { return known }
        return try ConsoleDecoding.defaultWorkspace(try await client.send(ConsoleRoutes.workspaces(org: org, projectId: project.id)))
    }

    func credentials(org: String, projectId: String, workspaceId: String) async throws -> [CredentialSummary] {
        let reply = try await client.send(ConsoleRoutes.credentials(org: org, projectId: projectId, workspaceId: workspaceId))
        let credentials = try ConsoleDecoding.credentials(reply)
        for credential in credentials {
            await memory.remember(credentialId: credential.id, flowType: credential.flowType, apiKey: nil)
        }
        return credentials
    }

    func credentialDetail(org: String, credentialId: String, type: CredentialType) async throws -> CredentialDetail {
        let reply = try await client.send(ConsoleRoutes.credential(org: org, credentialId: credentialId))
        let detail = try ConsoleDecoding.credentialDetail(reply, type: type)
        await memory.remember(credentialId: credentialId, flowType: nil, apiKey: detail.apiKey)
        return detail
    }

    /// The workspace's registrations; a 404 means none (the Events API answers so for an
    /// empty workspace).
    func registrations(org: ConsoleOrganization, id: IntegrationID) async throws -> [RegistrationRecord] {
        do {
            let request = ConsoleRoutes.registrations(org: org.id, projectId: id.projectId, workspaceId: id.workspaceId)
            return try ConsoleDecoding.registrations(try await client.send(request, imsOrg: org.code))
        } catch ConsoleError.notFound {
            return []
        }
    }

    /// `transform` over `items`, at most `limit` at a time, results in the items' order.
    static func boundedMap<T: Sendable, R: Sendable>(
        _ items: [T], limit: Int, _ transform: @escaping @Sendable (T) async throws -> R
    ) async throws -> [R] {
        try await withThrowingTaskGroup(of: (Int, R).self) { group in
            var results = [R?](repeating: nil, count: items.count)
            var next = 0
            while next < min(limit, items.count) {
                let index = next
                group.addTask { (index, try await transform(items[index])) }
                next += 1
            }
            while let (index, result) = try await group.next() {
                results[index] = result
                if next < items.count {
                    let index = next
                    group.addTask { (index, try await transform(items[index])) }
                    next += 1
                }
            }
            return results.compactMap { $0 }
        }
    }
}
