import KeyformConsole
import KeyformCore
import KeyformHTTPServer
import KeyformJSON

/// Projects and workspaces (`/console/organizations/{orgId}/projects…`). These run on an
/// engine thread.
extension ConsoleEmulator {
    /// `GET …/projects?page=&size=&title=`: pages from 1, 100 projects by default (at most
    /// 1000), sorted by name; `title` keeps the projects whose title contains it, ignoring
    /// case. The total goes in `X-Pagination-Count`.
    func listProjects(_ request: HTTPRequest, _ encoding: EmulatorEncoding) throws -> HTTPResponse {
        let page = try Self.positiveInteger(request, "page") ?? 1
        let size = try Self.positiveInteger(request, "size") ?? 100
        guard size <= 1000 else { throw EmulatorRequestError.invalidQuery(name: "size", reason: "must be at most 1000, not \(size)") }
        let found = try engine.projects(page: page, size: size, title: request.queryValue("title"))
        let headers: HTTPHeaders = [
            "X-Pagination-Count": String(found.totalCount), "X-Pagination-Page": String(found.page), "X-Pagination-Size": String(found.size),
        ]
        return EmulatorAnswer.json(.array(found.items.map(encoding.listedProject)), headers: headers)
    }

    /// `POST …/projects` `{name, title, description, type: "jaeger"}`: 201
    /// `{projectId, projectType, workspaceId}`; 409 with `x-conflicting-id` when the name is taken.
    func createProject(_ request: HTTPRequest) throws -> HTTPResponse {
        let body = try EmulatorBody.object(request.body)
        let name = try body.string("name")
        let title = try body.string("title")
        let type = try body.string("type")
        guard type == ConsoleProject.type else {
            throw EmulatorRequestError.invalidValue(
                field: "type", reason: "must be \"\(ConsoleProject.type)\" (this console creates App Builder projects only), not \"\(type)\"")
        }
        let created = try engine.createProject(name: name, title: title, description: try body.optionalString("description") ?? "")
        return EmulatorAnswer.json(.object([
            JSONMember("projectId", .string(created.projectId)),
            JSONMember("projectType", .string(created.projectType)),
            JSONMember("workspaceId", .string(created.workspaceId)),
        ]), status: 201)
    }

    /// `PATCH …/projects/{p}`: `name` and `title` must be set (Adobe's rule), `description`
    /// may be; a body with `notifications_enabled` alone changes nothing here.
    func editProject(_ id: String, _ request: HTTPRequest, _ encoding: EmulatorEncoding) throws -> HTTPResponse {
        let body = try EmulatorBody.object(request.body)
        let name = try body.optionalString("name")
        let title = try body.optionalString("title")
        let description = try body.optionalString("description")
        let onlyNotifications = try body.optionalBool("notifications_enabled") != nil && name == nil && title == nil
        if !onlyNotifications {
            guard name != nil else { throw EmulatorRequestError.missingField("name") }
            guard title != nil else { throw EmulatorRequestError.missingField("title") }
        }
        let project = onlyNotifications
            ? try engine.project(id: id)
            : try engine.updateProject(id: id, name: name, title: title, description: description)
        return EmulatorAnswer.json(encoding.project(project))
    }

    /// `POST …/projects/{p}/can-delete`: `{"errors": []}` when the project may be deleted,
    /// else one error naming the event registrations in the way.
    func canDeleteProject(_ id: String, _ encoding: EmulatorEncoding) throws -> HTTPResponse {
        guard try !engine.canDeleteProject(id: id) else {
            return EmulatorAnswer.json(.object([JSONMember("errors", [])]))
        }
        let project = try engine.project(id: id)
        let registrations = try engine.registrations(projectId: id, workspaceId: project.workspace.id)
        let names = registrations.map { "'\($0.name)'" }.joined(separator: ", ")
        let urls = registrations.map { JSON.string(encoding.href(of: $0)) }
        return EmulatorAnswer.json(.object([JSONMember("errors", [.object([
            JSONMember("code", "EVENT_REGISTRATIONS_EXIST"),
            JSONMember("message", .string("the workspace has \(registrations.count) event registration(s) (\(names)); delete them first")),
            JSONMember("workspaceId", .string(project.workspace.id)),
            JSONMember("resourceUrls", .array(urls)),
        ])])]))
    }

    /// A query parameter that must be a positive integer when present.
    static func positiveInteger(_ request: HTTPRequest, _ name: String) throws(EmulatorRequestError) -> Int? {
        guard let text = request.queryValue(name) else { return nil }
        guard let value = Int(text), value >= 1 else {
            throw .invalidQuery(name: name, reason: "must be a positive integer, not '\(text)'")
        }
        return value
    }
}
