import KeyformJSON

/// The before/after values that plans and drift show: plain JSON objects with the attributes
/// a reader compares, in a fixed order. Built only from records and specs, which never hold a
/// secret (the API key is public), so nothing needs redacting here.
public enum PlanValue {
    /// An integration's attributes: `name`, `type`, `title`, `description`, then
    /// `allowedDomains` (for `apiKey`, or when not empty), `redirectUris` (for `oauth`, or when
    /// not empty), then `protected` and `apiKey` when given.
    public static func integration(_ attributes: IntegrationAttributes, protected: Bool? = nil, apiKey: String? = nil) -> JSON {
        var members: [JSONMember] = [
            JSONMember("name", .string(attributes.name)),
            JSONMember("type", .string(attributes.type.rawValue)),
            JSONMember("title", .string(attributes.title)),
            JSONMember("description", .string(attributes.description)),
        ]
        let domains = normalized(attributes.allowedDomains)
        if attributes.type == .apiKey || !domains.isEmpty {
            members.append(JSONMember("allowedDomains", strings(domains)))
        }
        let uris = normalized(attributes.redirectUris)
        if attributes.type == .oauth || !uris.isEmpty {
            members.append(JSONMember("redirectUris", strings(uris)))
        }
        if let protected { members.append(JSONMember("protected", .bool(protected))) }
        if let apiKey { members.append(JSONMember("apiKey", .string(apiKey))) }
        return .object(members)
    }

    /// An integration as the console holds it, for drift: its attributes, API key and services.
    public static func consoleIntegration(_ record: IntegrationRecord) -> JSON {
        guard case .object(var members) = integration(record.attributes, apiKey: record.apiKey) else { return .null }
        members.append(JSONMember("services", strings(normalized(record.services))))
        return .object(members)
    }

    /// A service set: `{"services": [...]}`.
    public static func services(_ services: [String]) -> JSON {
        .object([JSONMember("services", strings(normalized(services)))])
    }

    /// A registration: `name`, `provider`, `eventCodes`, `webhookUrl`, then `id` when known.
    public static func registration(_ spec: EventRegistrationSpec, id: String? = nil) -> JSON {
        var members: [JSONMember] = [
            JSONMember("name", .string(spec.name)),
            JSONMember("provider", .string(spec.provider)),
            JSONMember("eventCodes", strings(normalized(spec.eventCodes))),
            JSONMember("webhookUrl", .string(spec.webhookUrl)),
        ]
        if let id { members.append(JSONMember("id", .string(id))) }
        return .object(members)
    }

    /// A JSON array of strings.
    public static func strings(_ values: [String]) -> JSON {
        .array(values.map { .string($0) })
    }

    /// Sorted and unique: how every set-valued attribute is compared and shown.
    public static func normalized(_ values: [String]) -> [String] {
        var sorted = values.sorted()
        var last: String?
        sorted.removeAll { value in
            defer { last = value }
            return value == last
        }
        return sorted
    }

    /// The address of an integration: its name.
    public static func address(_ name: String) -> String { name }

    /// The address of an integration's service set: `name.services`.
    public static func servicesAddress(_ name: String) -> String { name + ".services" }

    /// The address of a registration: `name.events["event"]` (the event name as a JSON string).
    public static func registrationAddress(_ name: String, _ event: String) -> String {
        name + ".events[" + JSON.string(event).compactText() + "]"
    }
}
