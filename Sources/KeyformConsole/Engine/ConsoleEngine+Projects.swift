import KeyformCore

/// The organization, its catalog, projects and workspaces (Console API:
/// `/console/organizations/{orgId}/projects…`).
extension ConsoleEngine {
    public func organization() throws(ConsoleError) -> ConsoleOrganization {
        try read { state in state.organization }
    }

    /// Services (with entitlements and credential types) and event providers.
    public func catalog() throws(ConsoleError) -> Catalog {
        try read { state in state.catalog }
    }

    /// Projects sorted by name, one page at a time (`?page=&size=&title=`).
    /// - Parameters:
    ///   - page: 1-based.
    ///   - size: 1 to 1000 projects per page.
    ///   - title: keeps only projects whose title contains it, ignoring case.
    public func projects(page: Int = 1, size: Int = 100, title: String? = nil) throws(ConsoleError) -> ConsolePage<ConsoleProject> {
        guard page >= 1 else { throw .invalid("page must be a positive integer (pages start at 1), not \(page)", request: nil) }
        guard (1...1000).contains(size) else { throw .invalid("size must be between 1 and 1000, not \(size)", request: nil) }
        return try read { state in
            var matching = Array(state.projects.values)
            if let title, !title.isEmpty {
                let needle = title.lowercased()
                matching = matching.filter { $0.title.lowercased().contains(needle) }
            }
            matching.sort { $0.name < $1.name }
            let start = min((page - 1) * size, matching.count)
            let end = min(start + size, matching.count)
            return ConsolePage(items: Array(matching[start..<end]), page: page, size: size, totalCount: matching.count)
        }
    }

    public func project(id: String) throws(ConsoleError) -> ConsoleProject {
        try read { state throws(ConsoleError) in try Self.existingProject(id, in: state) }
    }

    /// The project with this name, or `nil`.
    public func project(named name: String) throws(ConsoleError) -> ConsoleProject? {
        try read { state in state.projectIdsByName[name].flatMap { state.projects[$0] } }
    }

    /// A project's workspaces: its default one.
    public func workspaces(projectId: String) throws(ConsoleError) -> [ConsoleWorkspace] {
        try read { state throws(ConsoleError) in [try Self.existingProject(projectId, in: state).workspace] }
    }

    public func workspace(projectId: String, workspaceId: String) throws(ConsoleError) -> ConsoleWorkspace {
        try read { state throws(ConsoleError) in try Self.existingWorkspace(projectId, workspaceId, in: state).workspace }
    }

    /// Creates a project and its default workspace.
    /// - Throws: `.invalid` for a bad name, title or description; `.conflict` (with the
    ///   holder's id) when the name is taken in the organization.
    public func createProject(name: String, title: String, description: String) throws(ConsoleError) -> ConsoleProjectCreated {
        try perform(Self.createProjectOperation(name: name, title: title, description: description))
    }

    static func createProjectOperation(name: String, title: String, description: String) -> ConsoleOperation<ConsoleProjectCreated> {
        ConsoleOperation { state, identifiers, quotas throws(ConsoleError) in
            let project = try Self.newProject(name: name, title: title, description: description, in: state, identifiers: &identifiers)
            return (ConsoleProjectCreated(projectId: project.id, workspaceId: project.workspace.id), [.putProject(project)])
        }
    }

    /// Edits a project (`PATCH`): the given fields change, the others stay. A new name must be
    /// free in the organization.
    @discardableResult
    public func updateProject(id: String, name: String? = nil, title: String? = nil, description: String? = nil) throws(ConsoleError) -> ConsoleProject {
        try perform(Self.updateProjectOperation(id: id, name: name, title: title, description: description))
    }

    static func updateProjectOperation(id: String, name: String?, title: String?, description: String?) -> ConsoleOperation<ConsoleProject> {
        ConsoleOperation { state, _, quotas throws(ConsoleError) in
            let project = try Self.editedProject(try Self.existingProject(id, in: state), name: name, title: title, description: description, in: state)
            return (project, [.putProject(project)])
        }
    }

    /// Whether `deleteProject` would succeed: a project with event registrations cannot be deleted.
    public func canDeleteProject(id: String) throws(ConsoleError) -> Bool {
        try read { state throws(ConsoleError) in
            let project = try Self.existingProject(id, in: state)
            return state.registrationIdsByWorkspace[project.workspace.id] == nil
        }
    }

    /// Deletes a project with its workspace and credential.
    /// - Throws: `.notFound`; `.invalid` while the project has event registrations (delete them first).
    public func deleteProject(id: String) throws(ConsoleError) {
        try perform(Self.deleteProjectOperation(id: id))
    }

    static func deleteProjectOperation(id: String) -> ConsoleOperation<Void> {
        ConsoleOperation { state, _, quotas throws(ConsoleError) in
            let project = try Self.existingProject(id, in: state)
            let registrations = state.registrations(inWorkspace: project.workspace.id)
            if !registrations.isEmpty {
                let names = registrations.map { "'\($0.name)'" }.joined(separator: ", ")
                throw .invalid("project '\(project.name)' has \(registrations.count) event registration(s) (\(names)); delete them before the project", request: nil)
            }
            var changes: [ConsoleChange] = []
            if let credential = state.credential(inWorkspace: project.workspace.id) { changes.append(.deleteCredential(id: credential.id)) }
            changes.append(.deleteProject(id: project.id))
            return ((), changes)
        }
    }

    // MARK: - Checks shared by the operations

    static func existingProject(_ id: String, in state: ConsoleState) throws(ConsoleError) -> ConsoleProject {
        guard let project = state.projects[id] else { throw .notFound(what: "project \(id)", request: nil) }
        return project
    }

    /// The project, when `workspaceId` is its workspace.
    static func existingWorkspace(_ projectId: String, _ workspaceId: String, in state: ConsoleState) throws(ConsoleError) -> ConsoleProject {
        let project = try existingProject(projectId, in: state)
        guard project.workspace.id == workspaceId else {
            throw .notFound(what: "workspace \(workspaceId) of project \(projectId)", request: nil)
        }
        return project
    }

    static func newProject(
        name: String, title: String, description: String, in state: ConsoleState, identifiers: inout ConsoleIdentifiers
    ) throws(ConsoleError) -> ConsoleProject {
        try ConsoleRules.checkName(name, of: "project")
        try ConsoleRules.checkTitle(title)
        try ConsoleRules.checkDescription(description, of: "project")
        if let existing = state.projectIdsByName[name] {
            throw .conflict(what: "project name '\(name)'", existingId: existing, request: nil)
        }
        let projectId = identifiers.freshId(in: state)
        var workspaceId = identifiers.freshId(in: state)
        while workspaceId == projectId { workspaceId = identifiers.freshId(in: state) }
        return ConsoleProject(id: projectId, name: name, title: title, description: description, workspace: ConsoleWorkspace(id: workspaceId))
    }

    static func editedProject(
        _ project: ConsoleProject, name: String?, title: String?, description: String?, in state: ConsoleState
    ) throws(ConsoleError) -> ConsoleProject {
        var edited = project
        if let name, name != project.name {
            try ConsoleRules.checkName(name, of: "project")
            if let existing = state.projectIdsByName[name] {
                throw .conflict(what: "project name '\(name)'", existingId: existing, request: nil)
            }
            edited.name = name
        }
        if let title {
            try ConsoleRules.checkTitle(title)
            edited.title = title
        }
        if let description {
            try ConsoleRules.checkDescription(description, of: "project")
            edited.description = description
        }
        return edited
    }
}
