/// One request the emulator answers, with the ids taken from its path: the Console API and
/// I/O Events API subset the `http` provider uses (`docs/console-api-mapping.md`), plus the
/// project `can-delete` check and a single workspace's read.
///
///     EmulatorEndpoint.match(method: "GET", path: ["console", "organizations", "7", "projects", "42"])
///     // .endpoint(.readProject(org: "7", project: "42"))
enum EmulatorEndpoint: Hashable, Sendable {
    case listOrganizations
    case listServices(org: String)
    case listProjects(org: String)
    case createProject(org: String)
    case readProject(org: String, project: String)
    case editProject(org: String, project: String)
    case deleteProject(org: String, project: String)
    case canDeleteProject(org: String, project: String)
    case listWorkspaces(org: String, project: String)
    case readWorkspace(org: String, project: String, workspace: String)
    case listCredentials(org: String, project: String, workspace: String)
    case createAdobeIdCredential(org: String, project: String, workspace: String)
    case createServerToServerCredential(org: String, project: String, workspace: String)
    /// `{credentialType}` is the credential's `flow_type` (`adobeid`, `entp`).
    case setServices(org: String, project: String, workspace: String, credentialType: String, credential: String)
    case deleteCredential(org: String, project: String, workspace: String, credential: String)
    case readIntegration(org: String, credential: String)
    case updateAdobeIdIntegration(org: String, credential: String)
    case listEventProviders(org: String)
    case listRegistrations(org: String, project: String, workspace: String)
    case createRegistration(org: String, project: String, workspace: String)
    case readRegistration(org: String, project: String, workspace: String, registration: String)
    case replaceRegistration(org: String, project: String, workspace: String, registration: String)
    case deleteRegistration(org: String, project: String, workspace: String, registration: String)

    /// What a method and path lead to.
    enum Match: Hashable, Sendable {
        case endpoint(EmulatorEndpoint)
        /// The path exists, not with this method; `allowed` lists the methods that do.
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    /// Which API the endpoint belongs to (the I/O Events API answers `application/hal+json`).
    var isEvents: Bool {
        switch self {
        case .listEventProviders, .listRegistrations, .createRegistration, .readRegistration, .replaceRegistration,
            .deleteRegistration:
            true
        default:
            false
        }
    }

    /// The organization id in the path (`nil` for the organizations list).
    var org: String? {
        switch self {
        case .listOrganizations: nil
        case .listServices(let org), .listProjects(let org), .createProject(let org), .listEventProviders(let org): org
        case .readProject(let org, _), .editProject(let org, _), .deleteProject(let org, _), .canDeleteProject(let org, _),
            .listWorkspaces(let org, _), .readIntegration(let org, _), .updateAdobeIdIntegration(let org, _):
            org
        case .readWorkspace(let org, _, _), .listCredentials(let org, _, _), .createAdobeIdCredential(let org, _, _),
            .createServerToServerCredential(let org, _, _), .listRegistrations(let org, _, _), .createRegistration(let org, _, _):
            org
        case .setServices(let org, _, _, _, _), .deleteCredential(let org, _, _, _), .readRegistration(let org, _, _, _),
            .replaceRegistration(let org, _, _, _), .deleteRegistration(let org, _, _, _):
            org
        }
    }

    /// Finds the endpoint for a method and decoded path segments. A literal segment wins over
    /// an id in the same place (`…/credentials/adobeId` is the create, not a credential id).
    static func match(method: String, path: [String]) -> Match {
        var allowed: [String] = []
        var best: (endpoint: EmulatorEndpoint, ids: Int)?
        for pattern in patterns {
            guard let ids = pattern.captures(path) else { continue }
            if !allowed.contains(pattern.method) { allowed.append(pattern.method) }
            guard pattern.method == method else { continue }
            if best == nil || ids.count < (best?.ids ?? .max) { best = (pattern.build(ids), ids.count) }
        }
        if let best { return .endpoint(best.endpoint) }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed.sorted())
    }

    /// A method and a path whose `*` segments are ids.
    private struct Pattern: Sendable {
        let method: String
        let segments: [Substring]
        let build: @Sendable ([String]) -> EmulatorEndpoint

        init(_ method: String, _ path: String, _ build: @escaping @Sendable ([String]) -> EmulatorEndpoint) {
            self.method = method
            self.segments = path.split(separator: "/")
            self.build = build
        }

        /// The ids in `path` when it has this shape.
        func captures(_ path: [String]) -> [String]? {
            guard path.count == segments.count else { return nil }
            var ids: [String] = []
            for (segment, value) in zip(segments, path) {
                if segment == "*" {
                    ids.append(value)
                } else if segment != value {
                    return nil
                }
            }
            return ids
        }
    }

    private static let console = "console/organizations/*"
    private static let workspace = "console/organizations/*/projects/*/workspaces/*"
    private static let registrations = "events/*/*/*/registrations"

    private static let patterns: [Pattern] = [
        Pattern("GET", "console/organizations") { _ in .listOrganizations },
        Pattern("GET", console + "/services") { .listServices(org: $0[0]) },
        Pattern("GET", console + "/projects") { .listProjects(org: $0[0]) },
        Pattern("POST", console + "/projects") { .createProject(org: $0[0]) },
        Pattern("GET", console + "/projects/*") { .readProject(org: $0[0], project: $0[1]) },
        Pattern("PATCH", console + "/projects/*") { .editProject(org: $0[0], project: $0[1]) },
        Pattern("DELETE", console + "/projects/*") { .deleteProject(org: $0[0], project: $0[1]) },
        Pattern("POST", console + "/projects/*/can-delete") { .canDeleteProject(org: $0[0], project: $0[1]) },
        Pattern("GET", console + "/projects/*/workspaces") { .listWorkspaces(org: $0[0], project: $0[1]) },
        Pattern("GET", workspace) { .readWorkspace(org: $0[0], project: $0[1], workspace: $0[2]) },
        Pattern("GET", workspace + "/credentials") { .listCredentials(org: $0[0], project: $0[1], workspace: $0[2]) },
        Pattern("POST", workspace + "/credentials/adobeId") { .createAdobeIdCredential(org: $0[0], project: $0[1], workspace: $0[2]) },
        Pattern("POST", workspace + "/credentials/oauth-server-to-server") {
            .createServerToServerCredential(org: $0[0], project: $0[1], workspace: $0[2])
        },
        Pattern("PUT", workspace + "/credentials/*/*/services") {
            .setServices(org: $0[0], project: $0[1], workspace: $0[2], credentialType: $0[3], credential: $0[4])
        },
        Pattern("DELETE", workspace + "/credentials/*") {
            .deleteCredential(org: $0[0], project: $0[1], workspace: $0[2], credential: $0[3])
        },
        Pattern("GET", console + "/integrations/*") { .readIntegration(org: $0[0], credential: $0[1]) },
        Pattern("PUT", console + "/integrations/adobeid/*") { .updateAdobeIdIntegration(org: $0[0], credential: $0[1]) },
        Pattern("GET", "events/*/providers") { .listEventProviders(org: $0[0]) },
        Pattern("GET", registrations) { .listRegistrations(org: $0[0], project: $0[1], workspace: $0[2]) },
        Pattern("POST", registrations) { .createRegistration(org: $0[0], project: $0[1], workspace: $0[2]) },
        Pattern("GET", registrations + "/*") { .readRegistration(org: $0[0], project: $0[1], workspace: $0[2], registration: $0[3]) },
        Pattern("PUT", registrations + "/*") { .replaceRegistration(org: $0[0], project: $0[1], workspace: $0[2], registration: $0[3]) },
        Pattern("DELETE", registrations + "/*") { .deleteRegistration(org: $0[0], project: $0[1], workspace: $0[2], registration: $0[3]) },
    ]
}
