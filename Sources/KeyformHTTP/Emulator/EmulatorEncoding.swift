import KeyformConsole
import KeyformCore
import KeyformJSON

/// The console engine's values in the shapes of Adobe's documents (`console-api.openapi.json`,
/// `events-api.swagger.yaml`): the fields they declare, nothing secret, members in a fixed order.
struct EmulatorEncoding: Sendable {
    let organization: KeyformConsole.ConsoleOrganization
    /// `http://host:port` of the request, for HAL links (empty: links are paths).
    let base: String

    // MARK: Console API

    /// `GET /console/organizations`.
    func organizations() -> JSON {
        [.object([
            JSONMember("id", .string(organization.id)),
            JSONMember("code", .string(organization.code)),
            JSONMember("name", .string(organization.name)),
            JSONMember("description", ""),
            JSONMember("type", .string(KeyformConsole.ConsoleOrganization.type)),
            JSONMember("role", .string(KeyformConsole.ConsoleOrganization.role)),
        ])]
    }

    /// `GET …/services`: one entry per service and flow — `adobeid` for API key and OAuth
    /// credentials, `entp` for service accounts — sorted by code, then flow.
    func services(_ catalog: Catalog) -> JSON {
        var entries: [JSON] = []
        for service in catalog.services {
            let types = service.credentialTypes
            var flows: [String] = []
            if types.contains(.apiKey) || types.contains(.oauth) { flows.append(ConsoleCredentialType.apikey.flowType) }
            if types.contains(.serviceAccount) { flows.append(ConsoleCredentialType.oauthServerToServer.flowType) }
            for flow in flows {
                entries.append(.object([
                    JSONMember("name", .string(service.name)),
                    JSONMember("code", .string(service.code)),
                    JSONMember("enabled", .bool(service.isEntitled)),
                    JSONMember("type", .string(flow)),
                    JSONMember("platformList", flow == "adobeid" ? ["Web"] : []),
                    JSONMember("description", .string(service.name)),
                    JSONMember("deprecated", false),
                    JSONMember("requiresApproval", false),
                    JSONMember("canRequestAccess", .bool(!service.isEntitled)),
                    JSONMember("entitledForOrg", .bool(service.isEntitled)),
                    JSONMember("disabledReasons", service.isEntitled ? [] : ["ORG_MISSING_PRODUCT_PROFILES"]),
                    JSONMember("properties", .object([JSONMember("licenseConfigs", [])])),
                ]))
            }
        }
        return .array(entries)
    }

    /// A project as read: the fields of Adobe's document for `GET …/projects/{projectId}`.
    func project(_ project: ConsoleProject) -> JSON {
        .object(projectMembers(project))
    }

    /// A project as listed, with its default workspace in `metadata.workspaces` (the listing's
    /// document has it; the single read's does not).
    func listedProject(_ project: ConsoleProject) -> JSON {
        .object(projectMembers(project) + [
            JSONMember("metadata", .object([
                JSONMember("workspaces", [.object([
                    JSONMember("id", .string(project.workspace.id)),
                    JSONMember("name", .string(project.workspace.name)),
                ])]),
            ])),
        ])
    }

    private func projectMembers(_ project: ConsoleProject) -> [JSONMember] {
        [
            JSONMember("id", .string(project.id)),
            JSONMember("name", .string(project.name)),
            JSONMember("title", .string(project.title)),
            JSONMember("description", .string(project.description)),
            JSONMember("type", .string(ConsoleProject.type)),
            JSONMember("enabled", true),
            JSONMember("deleted", false),
            JSONMember("org_id", .string(organization.id)),
        ]
    }

    func workspace(_ workspace: ConsoleWorkspace) -> JSON {
        .object([
            JSONMember("id", .string(workspace.id)),
            JSONMember("name", .string(workspace.name)),
            JSONMember("title", .string(workspace.title)),
            JSONMember("description", ""),
            JSONMember("enabled", true),
            JSONMember("runtime_enabled", false),
        ])
    }

    /// An entry of `GET …/workspaces/{w}/credentials`.
    func credentialSummary(_ credential: ConsoleCredential) -> JSON {
        .object([
            JSONMember("id_workspace", .string(credential.workspaceId)),
            JSONMember("id_integration", .string(credential.id)),
            JSONMember("flow_type", .string(credential.type.flowType)),
            JSONMember("credential_type", .string(credential.type.rawValue)),
        ])
    }

    /// The answer to a credential create: `{id, apiKey, orgId}` (`orgId` is the IMS org).
    func createdCredential(_ credential: ConsoleCredential) -> JSON {
        .object([
            JSONMember("id", .string(credential.id)),
            JSONMember("apiKey", .string(credential.apiKey)),
            JSONMember("orgId", .string(organization.code)),
        ])
    }

    /// `GET /console/organizations/{orgId}/integrations/{id}`: the one read with the API key,
    /// domains, redirect URIs and services. Never the client secret.
    func integration(_ credential: ConsoleCredential, catalog: Catalog) -> JSON {
        var members = common(credential)
        members.append(JSONMember("production", true))
        if credential.type == .apikey {
            members.append(JSONMember("domain", .string(credential.domains.joined(separator: ","))))
        }
        members.append(JSONMember("sdkList", .array(credential.services.map { .string($0) })))
        members.append(JSONMember("serviceProperties", .array(credential.services.map { code in
            .object([
                JSONMember("sdkCode", .string(code)),
                JSONMember("name", .string(catalog.service(code)?.name ?? code)),
                JSONMember("roles", []),
                JSONMember("scopes", []),
                JSONMember("licenseConfigs", []),
            ])
        })))
        return .object(members)
    }

    /// The answer to `PUT …/integrations/adobeid/{id}` (the fields its document lists).
    func updatedIntegration(_ credential: ConsoleCredential) -> JSON {
        .object(common(credential))
    }

    private func common(_ credential: ConsoleCredential) -> [JSONMember] {
        var members = [
            JSONMember("id", .string(credential.id)),
            JSONMember("apikey", .string(credential.apiKey)),
            JSONMember("orgId", .string(organization.code)),
            JSONMember("name", .string(credential.name)),
            JSONMember("description", .string(credential.description)),
            JSONMember("status", "Active"),
            JSONMember("type", .string(credential.type.flowType)),
            JSONMember("readOnly", false),
        ]
        switch credential.type {
        case .apikey:
            members.append(JSONMember("platform", "apiKey"))
        case .oauthwebapp:
            members.append(JSONMember("platform", "WebApp"))
            members.append(JSONMember("redirectUriList", .array(credential.redirectUris.map { .string($0) })))
            members.append(JSONMember("defaultRedirectUri", .string(credential.redirectUris.first ?? "")))
        case .oauthServerToServer:
            break
        }
        return members
    }

    // MARK: I/O Events API

    /// HAL: `_embedded.providers[]`, each with its `_embedded.eventmetadata[]` when asked.
    func eventProviders(_ catalog: Catalog, orgPath: String, withMetadata: Bool) -> JSON {
        let providers = catalog.eventProviders.map { provider -> JSON in
            let href = base + "/events/providers/\(ConsoleRequest.percentEncoded(provider.id))"
            var members = [
                JSONMember("id", .string(provider.id)),
                JSONMember("label", .string(provider.label)),
                JSONMember("description", .string(provider.label)),
                JSONMember("publisher", "Adobe"),
            ]
            if withMetadata {
                members.append(JSONMember("_embedded", .object([JSONMember("eventmetadata", .array(provider.eventCodes.sorted().map { code in
                    .object([
                        JSONMember("event_code", .string(code)),
                        JSONMember("label", .string(code)),
                        JSONMember("description", .string(code)),
                        JSONMember("_links", .object([JSONMember("self", link(href + "/eventmetadata/\(ConsoleRequest.percentEncoded(code))"))])),
                    ])
                }))])))
            }
            members.append(JSONMember("_links", .object([
                JSONMember("rel:eventmetadata", link(href + "/eventmetadata")),
                JSONMember("self", link(href)),
            ])))
            return .object(members)
        }
        return .object([
            JSONMember("_embedded", .object([JSONMember("providers", .array(providers))])),
            JSONMember("_links", .object([JSONMember("self", link(base + orgPath))])),
        ])
    }

    /// A registration (`RegistrationHalModel`); `id` is the numeric id the console shows.
    func registration(_ registration: ConsoleRegistration) -> JSON {
        .object([
            JSONMember("id", .number(JSONNumber(literal: String(registration.numericId)))),
            JSONMember("name", .string(registration.name)),
            JSONMember("description", .string(registration.description)),
            JSONMember("client_id", .string(registration.clientId)),
            JSONMember("registration_id", .string(registration.id)),
            JSONMember("events_of_interest", .array(registration.eventCodes.map { code in
                .object([JSONMember("event_code", .string(code)), JSONMember("provider_id", .string(registration.providerId))])
            })),
            JSONMember("webhook_status", .string(registration.webhookStatus)),
            JSONMember("consumer_id", .string(organization.id)),
            JSONMember("project_id", .string(registration.projectId)),
            JSONMember("workspace_id", .string(registration.workspaceId)),
            JSONMember("webhook_url", .string(registration.webhookUrl)),
            JSONMember("delivery_type", .string(registration.deliveryType)),
            JSONMember("enabled", .bool(registration.enabled)),
            JSONMember("_links", .object([JSONMember("self", link(href(of: registration)))])),
        ])
    }

    /// The registration's own address.
    func href(of registration: ConsoleRegistration) -> String {
        base + "/events/\(organization.id)/\(registration.projectId)/\(registration.workspaceId)/registrations/\(registration.id)"
    }

    /// HAL: `_embedded.registrations[]`.
    func registrations(_ registrations: [ConsoleRegistration], path: String) -> JSON {
        .object([
            JSONMember("_embedded", .object([JSONMember("registrations", .array(registrations.map(registration)))])),
            JSONMember("_links", .object([JSONMember("self", link(base + path))])),
        ])
    }

    private func link(_ href: String) -> JSON {
        .object([JSONMember("href", .string(href))])
    }
}
