import Foundation
import KeyformCore
import KeyformJSON

/// A project as listed: enough to find an integration by name and read the rest.
struct ProjectSummary: Hashable, Sendable {
    var id: String
    var name: String
    var title: String
    var description: String
    /// The default workspace, when the listing says (`metadata.workspaces`).
    var workspaceId: String?
    var isDeleted: Bool
}

/// A workspace credential as listed.
struct CredentialSummary: Hashable, Sendable {
    var id: String
    /// `flow_type`: the `{credentialType}` segment of the services path.
    var flowType: String
    /// The Keyform type, or `nil` for a credential Keyform does not manage.
    var type: CredentialType?
}

/// What the credential read adds: the API key, domains, redirect URIs and services.
struct CredentialDetail: Hashable, Sendable {
    var apiKey: String
    var allowedDomains: [String]
    var redirectUris: [String]
    var services: [String]
}

/// The organization the provider works in.
struct ConsoleOrganization: Hashable, Sendable {
    /// The numeric console id used in paths.
    var id: String
    /// The IMS org code (`…@AdobeOrg`) sent as `x-ims-org-id`, when known.
    var code: String?
}

/// Reads the Console and I/O Events answers into Keyform's values. Field names come from
/// `ConsoleRoutes.Field`; a missing or mistyped field is a `.badResponse` naming it.
enum ConsoleDecoding {
    typealias Field = ConsoleRoutes.Field
    typealias Value = ConsoleRoutes.Value

    static func organization(matching org: String, in reply: ConsoleReply) throws(ConsoleError) -> ConsoleOrganization? {
        let f = reply.fields
        let items = try f.array(try reply.json())
        for (index, item) in items.enumerated() {
            let id = try f.string(item, Field.id, at: "[\(index)]")
            let code = f.optionalString(item, Field.code)
            // An empty org means "the only organization this token can see".
            if id == org || code == org || (org.isEmpty && items.count == 1) { return ConsoleOrganization(id: id, code: code) }
        }
        return nil
    }

    /// Services merged per code: `adobeid` entries allow apiKey and oauth, `entp` entries
    /// serviceAccount, other types none; entitled when any entry is (`entitledForOrg`, else `enabled`).
    static func services(_ reply: ConsoleReply) throws(ConsoleError) -> [Catalog.Service] {
        let f = reply.fields
        var byCode: [String: Catalog.Service] = [:]
        for (index, item) in try f.array(try reply.json()).enumerated() {
            let code = try f.string(item, Field.code, at: "[\(index)]")
            let types: [CredentialType] = switch f.optionalString(item, Field.type) {
            case Value.serviceAdobeId?: [.apiKey, .oauth]
            case Value.serviceEnterprise?: [.serviceAccount]
            default: []
            }
            guard !types.isEmpty else { continue }
            let entitled = f.optionalBool(item, Field.entitledForOrg) ?? f.optionalBool(item, Field.enabled) ?? false
            let name = f.optionalString(item, Field.name) ?? code
            if let known = byCode[code] {
                byCode[code] = Catalog.Service(
                    code: code, name: known.name, credentialTypes: Array(Set(known.credentialTypes + types)),
                    isEntitled: known.isEntitled || entitled)
            } else {
                byCode[code] = Catalog.Service(code: code, name: name, credentialTypes: types, isEntitled: entitled)
            }
        }
        return Array(byCode.values)
    }

    /// HAL: `_embedded.providers[{id, label, _embedded.eventmetadata[{event_code}]}]`.
    static func eventProviders(_ reply: ConsoleReply) throws(ConsoleError) -> [Catalog.EventProvider] {
        let f = reply.fields
        let json = try f.object(try reply.json())
        var providers: [Catalog.EventProvider] = []
        for (index, item) in try f.embedded(json, Field.providers).enumerated() {
            let path = "_embedded.providers[\(index)]"
            let id = try f.string(item, Field.id, at: path)
            var codes: [String] = []
            for (k, metadata) in try f.embedded(item, Field.eventMetadata, at: path).enumerated() {
                codes.append(try f.string(metadata, Field.eventCode, at: "\(path)._embedded.eventmetadata[\(k)]"))
            }
            providers.append(Catalog.EventProvider(id: id, label: f.optionalString(item, Field.label) ?? id, eventCodes: codes.sorted()))
        }
        return providers
    }

    static func projects(_ reply: ConsoleReply) throws(ConsoleError) -> [ProjectSummary] {
        let f = reply.fields
        return try f.array(try reply.json()).enumerated().map { (index, item) throws(ConsoleError) in
            try project(item, at: "[\(index)]", fields: f)
        }
    }

    static func project(_ reply: ConsoleReply) throws(ConsoleError) -> ProjectSummary {
        let f = reply.fields
        return try project(try f.object(try reply.json()), at: "", fields: f)
    }

    private static func project(_ item: JSON, at path: String, fields f: ResponseFields) throws(ConsoleError) -> ProjectSummary {
        var workspaceId: String?
        if let metadata = item[Field.metadata], metadata.objectValue != nil {
            let workspaces = try f.array(metadata, Field.workspaces, at: f.join(path, Field.metadata), required: false)
            workspaceId = try defaultWorkspace(workspaces, at: f.join(f.join(path, Field.metadata), Field.workspaces), fields: f)
        }
        return ProjectSummary(
            id: try f.string(item, Field.id, at: path), name: try f.string(item, Field.name, at: path),
            title: f.optionalString(item, Field.title) ?? "", description: f.optionalString(item, Field.description) ?? "",
            workspaceId: workspaceId, isDeleted: f.optionalBool(item, Field.deleted) ?? false)
    }

    /// `{projectId, workspaceId}` of a created project.
    static func createdProject(_ reply: ConsoleReply) throws(ConsoleError) -> (projectId: String, workspaceId: String) {
        let f = reply.fields
        let json = try f.object(try reply.json())
        return (try f.string(json, Field.projectId), try f.string(json, Field.workspaceId))
    }

    /// The default workspace of a project's list: the one named `Production`, else the first.
    static func defaultWorkspace(_ reply: ConsoleReply) throws(ConsoleError) -> String? {
        let f = reply.fields
        return try defaultWorkspace(try f.array(try reply.json()), at: "", fields: f)
    }

    private static func defaultWorkspace(_ items: [JSON], at path: String, fields f: ResponseFields) throws(ConsoleError) -> String? {
        let preferred = items.firstIndex { f.optionalString($0, Field.name) == Value.defaultWorkspaceName } ?? 0
        guard preferred < items.count else { return nil }
        return try f.string(items[preferred], Field.id, at: "\(path)[\(preferred)]")
    }

    static func credentials(_ reply: ConsoleReply) throws(ConsoleError) -> [CredentialSummary] {
        let f = reply.fields
        return try f.array(try reply.json()).enumerated().map { (index, item) throws(ConsoleError) in
            let kind = f.optionalString(item, Field.credentialType) ?? f.optionalString(item, Field.integrationType)
            return CredentialSummary(
                id: try f.string(item, Field.idIntegration, at: "[\(index)]"),
                flowType: f.optionalString(item, Field.flowType) ?? "",
                type: kind.flatMap(credentialType))
        }
    }

    static func credentialType(_ kind: String) -> CredentialType? {
        switch kind {
        case Value.credentialAPIKey: .apiKey
        case Value.credentialOAuthWebApp, Value.credentialOAuthWeb: .oauth
        case Value.credentialServerToServer: .serviceAccount
        default: nil
        }
    }

    /// `{id, apiKey}` of a created credential (the document shows the adobeId answer as a
    /// one-element array and the server-to-server one as an object: both are read).
    static func createdCredential(_ reply: ConsoleReply) throws(ConsoleError) -> (id: String, apiKey: String) {
        let f = reply.fields
        let json = try f.object(try reply.json())
        return (try f.string(json, Field.id), try f.string(json, Field.apiKeyOnCreate))
    }

    static func credentialDetail(_ reply: ConsoleReply, type: CredentialType) throws(ConsoleError) -> CredentialDetail {
        let f = reply.fields
        let json = try f.object(try reply.json())
        let domains = type == .apiKey
            ? (f.optionalString(json, Field.domain) ?? "").split(separator: Value.domainSeparator)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            : []
        let redirects = type == .oauth
            ? try f.array(json, Field.redirectUriList, required: false).compactMap(\.stringValue) : []
        let services = try f.array(json, Field.sdkList, required: false).compactMap(\.stringValue)
        return CredentialDetail(
            apiKey: try f.string(json, Field.apiKeyOnRead), allowedDomains: Array(Set(domains)).sorted(),
            redirectUris: Array(Set(redirects)).sorted(), services: Array(Set(services)).sorted())
    }

    /// HAL: `_embedded.registrations[]`.
    static func registrations(_ reply: ConsoleReply) throws(ConsoleError) -> [RegistrationRecord] {
        let f = reply.fields
        let json = try f.object(try reply.json())
        return try f.embedded(json, Field.registrations).enumerated().map { (index, item) throws(ConsoleError) in
            try registration(item, at: "_embedded.registrations[\(index)]", fields: f)
        }
    }

    static func registration(_ reply: ConsoleReply) throws(ConsoleError) -> RegistrationRecord {
        let f = reply.fields
        return try registration(try f.object(try reply.json()), at: "", fields: f)
    }

    /// The `unverifiedWebhook` of a replaced registration (`PUT`), read leniently: an answer
    /// without a body or without `webhook_status` says nothing about it (`nil`).
    static func unverifiedWebhook(_ reply: ConsoleReply) -> String? {
        guard !reply.response.body.isEmpty, let json = try? reply.fields.object(try reply.json()) else { return nil }
        return RegistrationRecord.unverifiedWebhook(fromStatus: reply.fields.optionalString(json, Field.webhookStatus))
    }

    /// A registration; its provider is the first `provider_id` among its events of interest,
    /// and a `webhook_status` other than `verified` is its `unverifiedWebhook`.
    private static func registration(_ item: JSON, at path: String, fields f: ResponseFields) throws(ConsoleError) -> RegistrationRecord {
        let interests = try f.array(item, Field.eventsOfInterest, at: path, required: false)
        var codes: [String] = []
        var provider: String?
        for (index, interest) in interests.enumerated() {
            codes.append(try f.string(interest, Field.eventCode, at: "\(f.join(path, Field.eventsOfInterest))[\(index)]"))
            if provider == nil { provider = f.optionalString(interest, Field.providerId) }
        }
        let spec = EventRegistrationSpec(
            name: try f.string(item, Field.name, at: path), provider: provider ?? "", eventCodes: codes,
            webhookUrl: f.optionalString(item, Field.webhookURL) ?? "")
        return RegistrationRecord(
            id: try f.string(item, Field.registrationId, at: path), spec: spec,
            unverifiedWebhook: RegistrationRecord.unverifiedWebhook(fromStatus: f.optionalString(item, Field.webhookStatus)))
    }
}
