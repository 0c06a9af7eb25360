/// A console project: what one Keyform integration is built on. It comes with one default
/// workspace, created with it.
public struct ConsoleProject: Hashable, Sendable {
    /// A 19-digit console id.
    public var id: String
    /// Unique in the organization; `^[A-Za-z0-9]{3,45}$`.
    public var name: String
    public var title: String
    public var description: String
    /// The default workspace, created with the project.
    public var workspace: ConsoleWorkspace

    /// The project `type` every project created here has.
    public static let type = "jaeger"

    public init(id: String, name: String, title: String, description: String, workspace: ConsoleWorkspace) {
        self.id = id
        self.name = name
        self.title = title
        self.description = description
        self.workspace = workspace
    }
}

/// A workspace of a project. Only the default one exists here.
public struct ConsoleWorkspace: Hashable, Sendable {
    /// A 19-digit console id.
    public var id: String
    public var name: String
    public var title: String

    /// The name and title of the workspace created with every project.
    public static let defaultName = "Production"

    public init(id: String, name: String = ConsoleWorkspace.defaultName, title: String = ConsoleWorkspace.defaultName) {
        self.id = id
        self.name = name
        self.title = title
    }
}

/// What `POST /console/organizations/{orgId}/projects` answers: `{projectId, projectType, workspaceId}`.
public struct ConsoleProjectCreated: Hashable, Sendable {
    public var projectId: String
    public var projectType: String
    public var workspaceId: String

    public init(projectId: String, projectType: String = ConsoleProject.type, workspaceId: String) {
        self.projectId = projectId
        self.projectType = projectType
        self.workspaceId = workspaceId
    }
}

/// One page of a paged listing (`?page=&size=`, pages counted from 1), with the total count
/// the console puts in `X-Pagination-Count`.
public struct ConsolePage<Item: Hashable & Sendable>: Hashable, Sendable {
    public var items: [Item]
    /// 1-based.
    public var page: Int
    public var size: Int
    /// How many items match in all pages.
    public var totalCount: Int

    public init(items: [Item], page: Int, size: Int, totalCount: Int) {
        self.items = items
        self.page = page
        self.size = size
        self.totalCount = totalCount
    }
}
