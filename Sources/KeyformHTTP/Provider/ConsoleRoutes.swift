import KeyformCore
import KeyformJSON

/// Every path, query parameter, header and body field the `http` provider uses, in one place,
/// so that a correction to Adobe's API is a one-file change. `docs/console-api-mapping.md`
/// maps each provider operation to these requests and records the choices made where Adobe's
/// documents (`console-api.openapi.json`, `events-api.swagger.yaml`) are silent.
enum ConsoleRoutes {
    // MARK: Organizations and catalog

    static func organizations() -> ConsoleRequest {
        // A 404 here means no console answers at the URL: the subject says so.
        .init(.console, "GET", "/console/organizations", subject: ConsoleError.consoleAPISubject)
    }

    static func services(org: String) -> ConsoleRequest {
        .init(.console, "GET", "/console/organizations/\(seg(org))/services", subject: "organization \(org)")
    }

    static func eventProviders(org: String) -> ConsoleRequest {
        .init(.events, "GET", "/events/\(seg(org))/providers", query: [("eventmetadata", "true")], subject: "organization \(org)")
    }

    // MARK: Projects and workspaces

    static func projects(org: String, page: Int, size: Int) -> ConsoleRequest {
        .init(.console, "GET", "/console/organizations/\(seg(org))/projects", query: [("page", String(page)), ("size", String(size))], subject: "organization \(org)")
    }

    /// Projects whose title is exactly `title` (the only name-like filter Adobe documents).
    static func projects(org: String, title: String) -> ConsoleRequest {
        .init(.console, "GET", "/console/organizations/\(seg(org))/projects", query: [("title", title)], subject: "organization \(org)")
    }

    static func project(org: String, projectId: String) -> ConsoleRequest {
        .init(.console, "GET", "/console/organizations/\(seg(org))/projects/\(seg(projectId))", subject: "project \(projectId)")
    }

    static func createProject(org: String, _ attributes: IntegrationAttributes) -> ConsoleRequest {
        .init(.console, "POST", "/console/organizations/\(seg(org))/projects", subject: "project \(attributes.name)", body: .object([
            JSONMember(Field.name, .string(attributes.name)),
            JSONMember(Field.title, .string(attributes.title)),
            JSONMember(Field.description, .string(attributes.description)),
            JSONMember(Field.type, .string(Value.projectType)),
        ]))
    }

    /// Name, title and description; Adobe's PATCH takes `name`, so a rename is an edit.
    static func editProject(org: String, projectId: String, _ attributes: IntegrationAttributes) -> ConsoleRequest {
        .init(.console, "PATCH", "/console/organizations/\(seg(org))/projects/\(seg(projectId))", subject: "project \(projectId)", body: .object([
            JSONMember(Field.name, .string(attributes.name)),
            JSONMember(Field.title, .string(attributes.title)),
            JSONMember(Field.description, .string(attributes.description)),
        ]))
    }

    static func deleteProject(org: String, projectId: String) -> ConsoleRequest {
        .init(.console, "DELETE", "/console/organizations/\(seg(org))/projects/\(seg(projectId))", subject: "project \(projectId)")
    }

    static func workspaces(org: String, projectId: String) -> ConsoleRequest {
        .init(.console, "GET", "/console/organizations/\(seg(org))/projects/\(seg(projectId))/workspaces", subject: "project \(projectId)")
    }

    // MARK: Credentials and services

    static func credentials(org: String, projectId: String, workspaceId: String) -> ConsoleRequest {
        .init(.console, "GET", workspacePath(org, projectId, workspaceId) + "/credentials", subject: "workspace \(workspaceId)")
    }

    /// An API key (`platform` apiKey, `domain`) or OAuth web app (`platform` WebApp, redirect
    /// URIs) credential.
    static func createAdobeIdCredential(org: String, projectId: String, workspaceId: String, _ attributes: IntegrationAttributes) -> ConsoleRequest {
        .init(.console, "POST", workspacePath(org, projectId, workspaceId) + "/credentials/adobeId", subject: "credential \(attributes.name)", body: adobeIdBody(attributes))
    }

    static func createServerToServerCredential(org: String, projectId: String, workspaceId: String, _ attributes: IntegrationAttributes) -> ConsoleRequest {
        .init(.console, "POST", workspacePath(org, projectId, workspaceId) + "/credentials/oauth-server-to-server", subject: "credential \(attributes.name)", body: .object([
            JSONMember(Field.name, .string(attributes.name)),
            JSONMember(Field.description, .string(attributes.description)),
        ]))
    }

    /// The one read that returns a credential's API key, domain, redirect URIs and services.
    static func credential(org: String, credentialId: String) -> ConsoleRequest {
        .init(.console, "GET", "/console/organizations/\(seg(org))/integrations/\(seg(credentialId))", subject: "credential \(credentialId)")
    }

    /// Edits an API key or OAuth credential (there is no update on the workspace-scoped path).
    static func updateAdobeIdCredential(org: String, credentialId: String, _ attributes: IntegrationAttributes) -> ConsoleRequest {
        .init(.console, "PUT", "/console/organizations/\(seg(org))/integrations/adobeid/\(seg(credentialId))", subject: "credential \(credentialId)", body: adobeIdBody(attributes))
    }

    /// Replaces the credential's whole service list. `flowType` is the credential's `flow_type`.
    static func setServices(org: String, id: IntegrationID, flowType: String, services: [String]) -> ConsoleRequest {
        .init(
            .console, "PUT",
            workspacePath(org, id.projectId, id.workspaceId) + "/credentials/\(seg(flowType))/\(seg(id.credentialId))/services",
            subject: "credential \(id.credentialId)",
            body: .array(services.map { code in
                .object([JSONMember(Field.sdkCode, .string(code)), JSONMember(Field.licenseConfigs, .null), JSONMember(Field.roles, .null)])
            }))
    }

    static func deleteCredential(org: String, id: IntegrationID) -> ConsoleRequest {
        .init(.console, "DELETE", workspacePath(org, id.projectId, id.workspaceId) + "/credentials/\(seg(id.credentialId))", subject: "credential \(id.credentialId)")
    }

    // MARK: Event registrations

    static func registrations(org: String, projectId: String, workspaceId: String) -> ConsoleRequest {
        .init(.events, "GET", registrationsPath(org, projectId, workspaceId), subject: "workspace \(workspaceId)")
    }

    static func registration(org: String, id: IntegrationID, registrationId: String) -> ConsoleRequest {
        .init(.events, "GET", registrationsPath(org, id.projectId, id.workspaceId) + "/\(seg(registrationId))", subject: "registration \(registrationId)")
    }

    static func createRegistration(org: String, id: IntegrationID, clientId: String, _ spec: EventRegistrationSpec) -> ConsoleRequest {
        .init(.events, "POST", registrationsPath(org, id.projectId, id.workspaceId), subject: "registration \(spec.name)",
              body: .object([JSONMember(Field.clientId, .string(clientId))] + registrationMembers(spec)))
    }

    static func replaceRegistration(org: String, id: IntegrationID, registrationId: String, _ spec: EventRegistrationSpec) -> ConsoleRequest {
        .init(.events, "PUT", registrationsPath(org, id.projectId, id.workspaceId) + "/\(seg(registrationId))", subject: "registration \(registrationId)",
              body: .object(registrationMembers(spec)))
    }

    static func deleteRegistration(org: String, id: IntegrationID, registrationId: String) -> ConsoleRequest {
        .init(.events, "DELETE", registrationsPath(org, id.projectId, id.workspaceId) + "/\(seg(registrationId))", subject: "registration \(registrationId)")
    }

    // MARK: Names

    /// Body and response field names.
    enum Field {
        static let id = "id", code = "code", name = "name", title = "title", description = "description", type = "type"
        static let enabled = "enabled", entitledForOrg = "entitledForOrg", deleted = "deleted"
        static let projectId = "projectId", workspaceId = "workspaceId"
        static let metadata = "metadata", workspaces = "workspaces"
        static let idIntegration = "id_integration", flowType = "flow_type", credentialType = "credential_type"
        /// Adobe's SDK tests see this name where the OpenAPI document says `credential_type`.
        static let integrationType = "integration_type"
        static let apiKeyOnCreate = "apiKey", apiKeyOnRead = "apikey"
        static let platform = "platform", domain = "domain", redirectUriList = "redirectUriList", defaultRedirectUri = "defaultRedirectUri"
        static let sdkList = "sdkList", sdkCode = "sdkCode", licenseConfigs = "licenseConfigs", roles = "roles"
        static let embedded = "_embedded", providers = "providers", eventMetadata = "eventmetadata", label = "label", eventCode = "event_code"
        static let registrations = "registrations", registrationId = "registration_id", clientId = "client_id"
        static let deliveryType = "delivery_type", eventsOfInterest = "events_of_interest", providerId = "provider_id", webhookURL = "webhook_url"
        /// `verified`, or why not (`hook_unreachable`, `unverified`): the console checks the
        /// webhook on every create and replace.
        static let webhookStatus = "webhook_status"
    }

    /// Fixed values sent or recognised.
    enum Value {
        /// Project type; App Builder (`jaeger`) projects come with a default workspace.
        static let projectType = "jaeger"
        /// The default workspace's name, preferred when a project has several.
        static let defaultWorkspaceName = "Production"
        static let platformAPIKey = "apiKey", platformWebApp = "WebApp"
        static let deliveryWebhook = "webhook"
        /// Credential flow types (`flow_type`, and the `{credentialType}` path segment).
        static let flowAdobeId = "adobeid", flowEnterprise = "entp"
        /// Credential types (`credential_type`).
        static let credentialAPIKey = "apikey", credentialOAuthWebApp = "oauthwebapp", credentialOAuthWeb = "oauthweb"
        static let credentialServerToServer = "oauth_server_to_server"
        /// Service `type`s: which credential flows a service supports.
        static let serviceAdobeId = "adobeid", serviceEnterprise = "entp"
        /// `allowedDomains` travel as one comma-separated `domain`.
        static let domainSeparator: Character = ","
    }

    /// Header names and fixed values.
    enum Header {
        static let authorization = "Authorization", apiKey = "x-api-key", imsOrg = "x-ims-org-id"
        static let accept = "Accept", contentType = "Content-Type"
        static let requestId = "x-request-id", conflictingId = "x-conflicting-id", retryAfter = "Retry-After"
        static let json = "application/json", halJSON = "application/hal+json"
    }

    // MARK: Building blocks

    private static func workspacePath(_ org: String, _ projectId: String, _ workspaceId: String) -> String {
        "/console/organizations/\(seg(org))/projects/\(seg(projectId))/workspaces/\(seg(workspaceId))"
    }

    private static func registrationsPath(_ org: String, _ projectId: String, _ workspaceId: String) -> String {
        "/events/\(seg(org))/\(seg(projectId))/\(seg(workspaceId))/registrations"
    }

    private static func adobeIdBody(_ attributes: IntegrationAttributes) -> JSON {
        var members = [
            JSONMember(Field.name, .string(attributes.name)),
            JSONMember(Field.description, .string(attributes.description)),
        ]
        if attributes.type == .oauth {
            members.append(JSONMember(Field.platform, .string(Value.platformWebApp)))
            members.append(JSONMember(Field.redirectUriList, .array(attributes.redirectUris.map { .string($0) })))
            members.append(JSONMember(Field.defaultRedirectUri, .string(attributes.redirectUris.first ?? "")))
        } else {
            members.append(JSONMember(Field.platform, .string(Value.platformAPIKey)))
            members.append(JSONMember(Field.domain, .string(attributes.allowedDomains.joined(separator: String(Value.domainSeparator)))))
        }
        return .object(members)
    }

    private static func registrationMembers(_ spec: EventRegistrationSpec) -> [JSONMember] {
        [
            JSONMember(Field.name, .string(spec.name)),
            JSONMember(Field.description, .string("")),
            JSONMember(Field.deliveryType, .string(Value.deliveryWebhook)),
            JSONMember(Field.eventsOfInterest, .array(spec.eventCodes.map { code in
                .object([JSONMember(Field.providerId, .string(spec.provider)), JSONMember(Field.eventCode, .string(code))])
            })),
            JSONMember(Field.webhookURL, .string(spec.webhookUrl)),
        ]
    }

    /// One percent-encoded path segment (ids come from the console and manifests).
    static func seg(_ value: String) -> String { ConsoleRequest.percentEncoded(value) }
}
