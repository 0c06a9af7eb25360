import KeyformConsole
import KeyformCore
import KeyformHTTPServer

/// The I/O Events API: event providers and registrations (`/events/{consumerOrgId}/…`),
/// answered as HAL (`application/hal+json`).
extension ConsoleEmulator {
    /// `GET /events/{c}/providers[?eventmetadata=true]`: the catalog's providers, with their
    /// event codes in `_embedded.eventmetadata` when asked.
    func listEventProviders(_ request: HTTPRequest) throws -> HTTPResponse {
        let withMetadata: Bool
        switch request.queryValue("eventmetadata") {
        case nil, "false"?: withMetadata = false
        case "true"?: withMetadata = true
        case let other?: throw EmulatorRequestError.invalidQuery(name: "eventmetadata", reason: "must be true or false, not '\(other)'")
        }
        let json = encoding(for: request).eventProviders(catalog, orgPath: request.path, withMetadata: withMetadata)
        return EmulatorAnswer.json(json, hal: true)
    }

    /// `POST …/registrations` (201) or `PUT …/registrations/{r}` (200): the body is checked,
    /// the webhook verified when that is switched on — a webhook that does not echo its
    /// challenge leaves the registration `unverified` (or `hook_unreachable` when it does not
    /// answer) — then the engine creates or replaces it. A taken name is 409 with
    /// `x-conflicting-id`; a quota 403.
    func writeRegistration(_ request: HTTPRequest, project: String, workspace: String, replacing registrationId: String?) async -> HTTPResponse {
        let body: RegistrationBody
        do {
            body = try RegistrationBody.parse(request.body, requireClientId: registrationId == nil)
        } catch {
            return EmulatorAnswer.badRequest(error)
        }
        var status = "verified"
        if let verifier { status = await verifier.verify(body.webhookUrl).webhookStatus }
        let engineRequest = body.request(webhookStatus: status)
        let encoding = encoding(for: request)
        return await workers.run { [engine] in
            Self.answering { () throws -> HTTPResponse in
                if let registrationId {
                    let replaced = try engine.updateRegistration(
                        projectId: project, workspaceId: workspace, registrationId: registrationId, engineRequest)
                    return EmulatorAnswer.json(encoding.registration(replaced), hal: true)
                }
                let created = try engine.createRegistration(projectId: project, workspaceId: workspace, engineRequest)
                return EmulatorAnswer.json(encoding.registration(created), status: 201, hal: true)
            }
        }
    }
}
