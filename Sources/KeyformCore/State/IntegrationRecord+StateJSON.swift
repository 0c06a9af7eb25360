import KeyformJSON

/// The state file's form of one integration (its name is the key that holds it):
///
///     {
///       "ids": { "projectId": "4566…", "workspaceId": "4566…", "credentialId": "1234…" },
///       "apiKey": "5c8a…",
///       "attributes": { "title": "Stock Search Web", "description": "…", "type": "apiKey",
///                       "allowedDomains": ["www.example.com"], "redirectUris": [] },
///       "services": ["StockSDK"],
///       "registrations": {
///         "asset-sync": { "id": "reg-1", "provider": "ccstorage",
///                         "eventCodes": ["asset_created"], "webhookUrl": "https://…" }
///       },
///       "protected": true
///     }
///
/// Every member is always written (empty arrays and objects included), in this order, so
/// the same record always has the same bytes.
extension IntegrationRecord {
    static let stateKeys = ["ids", "apiKey", "attributes", "services", "registrations", "protected"]
    static let idKeys = ["projectId", "workspaceId", "credentialId"]
    static let attributeKeys = ["title", "description", "type", "allowedDomains", "redirectUris"]
    static let registrationKeys = ["id", "provider", "eventCodes", "webhookUrl"]

    /// The record as the state file writes it, without its name.
    public var stateJSON: JSON {
        .object([
            JSONMember("ids", .object([
                JSONMember("projectId", .string(id.projectId)),
                JSONMember("workspaceId", .string(id.workspaceId)),
                JSONMember("credentialId", .string(id.credentialId)),
            ])),
            JSONMember("apiKey", .string(apiKey)),
            JSONMember("attributes", .object([
                JSONMember("title", .string(attributes.title)),
                JSONMember("description", .string(attributes.description)),
                JSONMember("type", .string(attributes.type.rawValue)),
                JSONMember("allowedDomains", .array(attributes.allowedDomains.map { .string($0) })),
                JSONMember("redirectUris", .array(attributes.redirectUris.map { .string($0) })),
            ])),
            JSONMember("services", .array(services.map { .string($0) })),
            JSONMember("registrations", .object(registrations.map { registration in
                JSONMember(registration.name, .object([
                    JSONMember("id", .string(registration.id)),
                    JSONMember("provider", .string(registration.spec.provider)),
                    JSONMember("eventCodes", .array(registration.spec.eventCodes.map { .string($0) })),
                    JSONMember("webhookUrl", .string(registration.spec.webhookUrl)),
                ]))
            })),
            JSONMember("protected", .bool(isProtected)),
        ])
    }

    /// Decodes the state file's form of the integration called `name`.
    /// - Throws: `StateDecodingError` with a pointer relative to this record's object.
    public init(name: String, stateJSON json: JSON) throws(StateDecodingError) {
        try self.init(name: name, stateValue: json)
    }

    /// Decodes the record from an owned tree or straight from a parsed document.
    init<Value: StateJSONValue>(name: String, stateValue json: Value) throws(StateDecodingError) {
        let record = try StateObjectReader(json, allowed: IntegrationRecord.stateKeys)

        let idsJSON = try record.value("ids")
        let ids: IntegrationID
        do throws(StateDecodingError) {
            let reader = try StateObjectReader(idsJSON, allowed: IntegrationRecord.idKeys)
            ids = IntegrationID(
                projectId: try reader.nonEmptyString("projectId"),
                workspaceId: try reader.nonEmptyString("workspaceId"),
                credentialId: try reader.nonEmptyString("credentialId"))
        } catch {
            throw error.under("ids")
        }

        let attributesJSON = try record.value("attributes")
        let attributes: IntegrationAttributes
        do throws(StateDecodingError) {
            let reader = try StateObjectReader(attributesJSON, allowed: IntegrationRecord.attributeKeys)
            let typeName = try reader.string("type")
            guard let type = CredentialType(rawValue: typeName) else {
                let known = CredentialType.allCases.map(\.rawValue)
                throw StateDecodingError.here(
                    "unknown credential type '\(typeName)' (expected \(known.joined(separator: ", ")))",
                    suggestion: Suggestion.closest(to: typeName, among: known).map { "did you mean '\($0)'?" }
                ).under("type")
            }
            attributes = IntegrationAttributes(
                name: name, title: try reader.string("title"), description: try reader.string("description"),
                type: type, allowedDomains: try reader.strings("allowedDomains"),
                redirectUris: try reader.strings("redirectUris"))
        } catch {
            throw error.under("attributes")
        }

        var registrations: [RegistrationRecord] = []
        for member in try record.keyed("registrations") {
            do throws(StateDecodingError) {
                let reader = try StateObjectReader(member.value, allowed: IntegrationRecord.registrationKeys)
                let spec = EventRegistrationSpec(
                    name: member.key, provider: try reader.nonEmptyString("provider"),
                    eventCodes: try reader.strings("eventCodes"), webhookUrl: try reader.string("webhookUrl"))
                registrations.append(RegistrationRecord(id: try reader.nonEmptyString("id"), spec: spec))
            } catch {
                throw error.under(member.key).under("registrations")
            }
        }
        var seen = Set<String>()
        for registration in registrations where !seen.insert(registration.name).inserted {
            throw StateDecodingError.here("duplicate registration '\(registration.name)'").under("registrations")
        }

        self.init(
            id: ids, apiKey: try record.nonEmptyString("apiKey"), attributes: attributes,
            services: try record.strings("services"), registrations: registrations,
            isProtected: try record.bool("protected"))
    }
}
