/// What an `HTTPProvider` learns and keeps for its lifetime (one command): the organization,
/// a name → project index, and per credential its flow type and API key, so that later
/// operations need not ask again.
///
/// The index is built by one paged listing, then kept current by this provider's own creates,
/// renames and deletes. A hit is always confirmed by reading the project; a miss is not
/// re-listed (a project created meanwhile by someone else makes the create answer 409, and
/// the provider then looks the name up afresh).
actor ProviderMemory {
    private var organizationTask: Task<ConsoleOrganization, any Error>?
    private var index: [String: ProjectSummary]?
    private var indexTask: Task<[ProjectSummary], any Error>?
    private var flowTypes: [String: String] = [:]
    private var apiKeys: [String: String] = [:]

    /// The organization, resolved once (concurrent callers share one request).
    func organization(resolve: @escaping @Sendable () async throws -> ConsoleOrganization) async throws -> ConsoleOrganization {
        let task = organizationTask ?? Task { try await resolve() }
        organizationTask = task
        do {
            return try await task.value
        } catch {
            if organizationTask == task { organizationTask = nil }
            throw error
        }
    }

    /// The name → project index, built by `list` the first time (concurrent callers share it).
    func projectIndex(list: @escaping @Sendable () async throws -> [ProjectSummary]) async throws -> [String: ProjectSummary] {
        if let index { return index }
        let task = indexTask ?? Task { try await list() }
        indexTask = task
        do {
            let projects = try await task.value
            if indexTask == task { indexTask = nil }
            if let index { return index }
            let built = Self.index(projects)
            index = built
            return built
        } catch {
            if indexTask == task { indexTask = nil }
            throw error
        }
    }

    /// Replaces the index with a fresh listing.
    func replaceIndex(with projects: [ProjectSummary]) {
        index = Self.index(projects)
    }

    /// Records a project created, adopted or renamed by this provider.
    func remember(_ project: ProjectSummary) {
        guard index != nil else { return }
        forgetProject(project.id)
        index?[project.name] = project
    }

    func forgetProject(_ projectId: String) {
        guard let current = index else { return }
        index = current.filter { $0.value.id != projectId }
    }

    func remember(credentialId: String, flowType: String?, apiKey: String?) {
        if let flowType, !flowType.isEmpty { flowTypes[credentialId] = flowType }
        if let apiKey, !apiKey.isEmpty { apiKeys[credentialId] = apiKey }
    }

    func flowType(of credentialId: String) -> String? { flowTypes[credentialId] }
    func apiKey(of credentialId: String) -> String? { apiKeys[credentialId] }

    /// The first live project of each name (listing order).
    private static func index(_ projects: [ProjectSummary]) -> [String: ProjectSummary] {
        var index: [String: ProjectSummary] = [:]
        for project in projects where !project.isDeleted && index[project.name] == nil {
            index[project.name] = project
        }
        return index
    }
}
