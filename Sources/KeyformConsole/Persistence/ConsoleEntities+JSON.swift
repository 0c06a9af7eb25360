import KeyformCore
import KeyformJSON

// How each entity is written in the snapshot and in log records. Member names follow the
// entities' Swift names; arrays are written sorted so equal consoles write equal bytes.

extension ConsoleOrganization {
    var json: JSON {
        .object([JSONMember("id", .string(id)), JSONMember("code", .string(code)), JSONMember("name", .string(name))])
    }

    init(_ fields: JSONFields) throws(JSONFields.Failure) {
        self.init(id: try fields.string("id"), code: try fields.string("code"), name: try fields.string("name"))
    }
}

extension Catalog {
    var json: JSON {
        .object([
            JSONMember("services", .array(services.map { service in
                .object([
                    JSONMember("code", .string(service.code)),
                    JSONMember("name", .string(service.name)),
                    JSONMember("credentialTypes", .array(service.credentialTypes.map { .string($0.rawValue) })),
                    JSONMember("entitled", .bool(service.isEntitled)),
                ])
            })),
            JSONMember("eventProviders", .array(eventProviders.map { provider in
                .object([
                    JSONMember("id", .string(provider.id)),
                    JSONMember("label", .string(provider.label)),
                    JSONMember("eventCodes", .array(provider.eventCodes.map { .string($0) })),
                ])
            })),
        ])
    }

    init(_ fields: JSONFields) throws(JSONFields.Failure) {
        var services: [Service] = []
        for service in try fields.objects("services") {
            var types: [CredentialType] = []
            for (index, name) in try service.strings("credentialTypes").enumerated() {
                guard let type = CredentialType(rawValue: name) else {
                    throw JSONFields.Failure(pointer: "\(service.pointer)/credentialTypes/\(index)", message: "unknown credential type")
                }
                types.append(type)
            }
            services.append(Service(
                code: try service.string("code"), name: try service.string("name"), credentialTypes: types,
                isEntitled: try service.bool("entitled")))
        }
        var providers: [EventProvider] = []
        for provider in try fields.objects("eventProviders") {
            providers.append(EventProvider(
                id: try provider.string("id"), label: try provider.string("label"), eventCodes: try provider.strings("eventCodes")))
        }
        self.init(services: services, eventProviders: providers)
    }
}

extension ConsoleProject {
    var json: JSON {
        .object([
            JSONMember("id", .string(id)),
            JSONMember("name", .string(name)),
            JSONMember("title", .string(title)),
            JSONMember("description", .string(description)),
            JSONMember("workspace", .object([
                JSONMember("id", .string(workspace.id)),
                JSONMember("name", .string(workspace.name)),
                JSONMember("title", .string(workspace.title)),
            ])),
        ])
    }

    init(_ fields: JSONFields) throws(JSONFields.Failure) {
        let workspace = try fields.object("workspace")
        self.init(
            id: try fields.string("id"), name: try fields.string("name"), title: try fields.string("title"),
            description: try fields.string("description"),
            workspace: ConsoleWorkspace(id: try workspace.string("id"), name: try workspace.string("name"), title: try workspace.string("title")))
    }
}

extension ConsoleCredential {
    /// The credential with, when given, its client secret (data files only).
    func json(secret: String?) -> JSON {
        var members = [
            JSONMember("id", .string(id)),
            JSONMember("projectId", .string(projectId)),
            JSONMember("workspaceId", .string(workspaceId)),
            JSONMember("type", .string(type.rawValue)),
            JSONMember("apiKey", .string(apiKey)),
            JSONMember("name", .string(name)),
            JSONMember("description", .string(description)),
            JSONMember("domains", .array(domains.map { .string($0) })),
            JSONMember("redirectUris", .array(redirectUris.map { .string($0) })),
            JSONMember("services", .array(services.map { .string($0) })),
        ]
        if let secret { members.append(JSONMember("clientSecret", .string(secret))) }
        return .object(members)
    }

    /// The credential and its client secret, when the object has one.
    static func decode(_ fields: JSONFields) throws(JSONFields.Failure) -> (ConsoleCredential, secret: String?) {
        guard let type = ConsoleCredentialType(rawValue: try fields.string("type")) else {
            throw JSONFields.Failure(pointer: "\(fields.pointer)/type", message: "unknown credential type")
        }
        let credential = ConsoleCredential(
            id: try fields.string("id"), projectId: try fields.string("projectId"), workspaceId: try fields.string("workspaceId"),
            type: type, apiKey: try fields.string("apiKey"), name: try fields.string("name"),
            description: try fields.string("description"), domains: try fields.strings("domains"),
            redirectUris: try fields.strings("redirectUris"), services: try fields.strings("services"))
        let secret = fields.has("clientSecret") ? try fields.string("clientSecret") : nil
        return (credential, secret)
    }
}

extension ConsoleRegistration {
    var json: JSON {
        .object([
            JSONMember("id", .string(id)),
            JSONMember("numericId", .number(JSONNumber(literal: String(numericId)))),
            JSONMember("name", .string(name)),
            JSONMember("description", .string(description)),
            JSONMember("projectId", .string(projectId)),
            JSONMember("workspaceId", .string(workspaceId)),
            JSONMember("clientId", .string(clientId)),
            JSONMember("providerId", .string(providerId)),
            JSONMember("eventCodes", .array(eventCodes.map { .string($0) })),
            JSONMember("webhookUrl", .string(webhookUrl)),
            JSONMember("deliveryType", .string(deliveryType)),
            JSONMember("enabled", .bool(enabled)),
            JSONMember("webhookStatus", .string(webhookStatus)),
        ])
    }

    init(_ fields: JSONFields) throws(JSONFields.Failure) {
        self.init(
            id: try fields.string("id"), numericId: Int64(try fields.int("numericId")), name: try fields.string("name"),
            description: try fields.string("description"), projectId: try fields.string("projectId"),
            workspaceId: try fields.string("workspaceId"), clientId: try fields.string("clientId"),
            providerId: try fields.string("providerId"), eventCodes: try fields.strings("eventCodes"),
            webhookUrl: try fields.string("webhookUrl"), deliveryType: try fields.string("deliveryType"),
            enabled: try fields.bool("enabled"), webhookStatus: try fields.string("webhookStatus"))
    }
}
