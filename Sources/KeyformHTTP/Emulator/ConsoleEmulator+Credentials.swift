import KeyformConsole
import KeyformCore
import KeyformHTTPServer
import KeyformJSON

/// Credentials and their services (`…/workspaces/{w}/credentials…`,
/// `/console/organizations/{orgId}/integrations…`). These run on an engine thread.
extension ConsoleEmulator {
    /// `POST …/credentials/adobeId`: `platform` `apiKey` (with `domain`, comma-separated) or
    /// `WebApp` (with `redirectUriList` and `defaultRedirectUri`, one of them). Answers 200 with
    /// `[{id, apiKey, orgId}]`, a one-element array as Adobe's document shows.
    func createAdobeIdCredential(project: String, workspace: String, _ request: HTTPRequest, _ encoding: EmulatorEncoding) throws -> HTTPResponse {
        let body = try EmulatorBody.object(request.body)
        var credential = try Self.adobeIdRequest(body)
        credential.services = try Self.serviceCodes(try body.optionalArray("services") ?? [], field: "services")
        let created = try engine.createCredential(projectId: project, workspaceId: workspace, credential)
        return EmulatorAnswer.json([encoding.createdCredential(created)])
    }

    /// `POST …/credentials/oauth-server-to-server` `{name, description, services?}`: 200 `{id, apiKey, orgId}`.
    func createServerToServerCredential(project: String, workspace: String, _ request: HTTPRequest, _ encoding: EmulatorEncoding) throws -> HTTPResponse {
        let body = try EmulatorBody.object(request.body)
        let credential = ConsoleCredentialRequest(
            type: .oauthServerToServer, name: try body.string("name"), description: try body.string("description"),
            services: try Self.serviceCodes(try body.optionalArray("services") ?? [], field: "services"))
        let created = try engine.createCredential(projectId: project, workspaceId: workspace, credential)
        return EmulatorAnswer.json(encoding.createdCredential(created))
    }

    /// `PUT /console/organizations/{orgId}/integrations/adobeid/{id}`: name, description, and
    /// the domain or redirect URIs of an API key or OAuth web app credential. The platform
    /// cannot change.
    func updateAdobeIdIntegration(_ id: String, _ request: HTTPRequest, _ encoding: EmulatorEncoding) throws -> HTTPResponse {
        let current = try engine.credential(id: id)
        guard current.type != .oauthServerToServer else {
            throw ConsoleError.invalid("credential \(id) is an OAuth server-to-server credential, not an adobeid one", request: nil)
        }
        let body = try EmulatorBody.object(request.body)
        let updated = try engine.updateCredential(id: id, try Self.adobeIdRequest(body))
        return EmulatorAnswer.json(encoding.updatedIntegration(updated))
    }

    /// `PUT …/credentials/{credentialType}/{id}/services` `[{sdkCode, licenseConfigs, roles}]`:
    /// the whole list, replacing the credential's. Answers `[{"sdkList": "A,B"}]`, the
    /// document's shape (one entry, the codes comma-separated).
    func setServices(project: String, workspace: String, credentialType: String, credential id: String, _ request: HTTPRequest) throws -> HTTPResponse {
        let credential = try existingCredential(id, project: project, workspace: workspace)
        guard Self.names(credentialType, credential.type) else {
            throw ConsoleError.invalid(
                "credential \(id) is of type \(credential.type.flowType) (\(credential.type.rawValue)), not \(credentialType)", request: nil)
        }
        let codes = try Self.serviceCodes(try EmulatorBody.array(request.body), field: "")
        let services = try engine.setServices(credentialId: id, codes)
        return EmulatorAnswer.json([.object([JSONMember("sdkList", .string(services.joined(separator: ",")))])])
    }

    /// `DELETE …/workspaces/{w}/credentials/{id}`: 200; 400 while event registrations use it.
    func deleteCredential(project: String, workspace: String, credential id: String) throws -> HTTPResponse {
        _ = try existingCredential(id, project: project, workspace: workspace)
        try engine.deleteCredential(id: id)
        return HTTPResponse(status: 200)
    }

    // MARK: Building blocks

    /// The credential, when it is the one of workspace `workspace` of project `project`.
    private func existingCredential(_ id: String, project: String, workspace: String) throws -> ConsoleCredential {
        _ = try engine.workspace(projectId: project, workspaceId: workspace)
        let credential = try engine.credential(id: id)
        guard credential.projectId == project, credential.workspaceId == workspace else {
            throw ConsoleError.notFound(what: "credential \(id) in workspace \(workspace)", request: nil)
        }
        return credential
    }

    /// Whether a `{credentialType}` path segment names this type: its flow type (`adobeid`,
    /// `entp`), its own name, or the create path's (`oauth-server-to-server`), in any case.
    private static func names(_ segment: String, _ type: ConsoleCredentialType) -> Bool {
        let lowered = segment.lowercased()
        return lowered == type.flowType || lowered == type.rawValue
            || (type == .oauthServerToServer && lowered == "oauth-server-to-server")
    }

    /// The body of an adobeId create or update. The other platform's fields are ignored
    /// (`domain` for a web app, redirect URIs for an API key), as the console does.
    static func adobeIdRequest(_ body: EmulatorBody) throws -> ConsoleCredentialRequest {
        let name = try body.string("name")
        let description = try body.string("description")
        let platform = try body.string("platform")
        switch platform {
        case "apiKey":
            let domains = (try body.optionalString("domain") ?? "").split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            return ConsoleCredentialRequest(type: .apikey, name: name, description: description, domains: domains)
        case "WebApp":
            guard let uris = try body.optionalStrings("redirectUriList") else { throw EmulatorRequestError.missingField("redirectUriList") }
            guard !uris.isEmpty else { throw EmulatorRequestError.invalidValue(field: "redirectUriList", reason: "must hold at least one URI") }
            let defaultUri = try body.string("defaultRedirectUri")
            guard uris.contains(defaultUri) else {
                throw EmulatorRequestError.invalidValue(field: "defaultRedirectUri", reason: "must be one of `redirectUriList`")
            }
            return ConsoleCredentialRequest(type: .oauthwebapp, name: name, description: description, redirectUris: uris)
        case "SinglePageApp", "NativeApp":
            throw EmulatorRequestError.invalidValue(field: "platform", reason: "\(platform) is not offered by this console; use apiKey or WebApp")
        default:
            throw EmulatorRequestError.invalidValue(field: "platform", reason: "must be apiKey, WebApp, SinglePageApp or NativeApp, not \"\(platform)\"")
        }
    }

    /// The `sdkCode`s of a services list (`[{sdkCode, …}]`); `field` prefixes error paths.
    static func serviceCodes(_ items: [JSON], field: String) throws(EmulatorRequestError) -> [String] {
        var codes: [String] = []
        for (index, item) in items.enumerated() {
            let path = "\(field)[\(index)]"
            guard item.objectValue != nil else { throw .wrongType(field: path, expected: "an object") }
            codes.append(try EmulatorBody.string(item, "sdkCode", at: path))
        }
        return codes
    }
}
