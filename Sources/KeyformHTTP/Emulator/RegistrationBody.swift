import KeyformConsole
import KeyformJSON

/// The body of a registration create (`RegistrationCreateModel`) or replace
/// (`RegistrationUpdateModel`), read and checked for shape; the engine checks the rest
/// (provider, event codes, URL, name uniqueness, quotas).
struct RegistrationBody: Hashable, Sendable {
    var clientId: String
    var name: String
    var description: String
    var providerId: String
    var eventCodes: [String]
    var webhookUrl: String
    var enabled: Bool

    /// - Parameter requireClientId: a create needs `client_id`; a replace keeps the
    ///   registration's own and ignores one sent.
    static func parse(_ bytes: [UInt8], requireClientId: Bool) throws(EmulatorRequestError) -> RegistrationBody {
        let body = try EmulatorBody.object(bytes)
        let clientId = requireClientId ? try body.string("client_id") : ""
        let name = try body.string("name")
        let deliveryType = try body.string("delivery_type")
        guard deliveryType == "webhook" else {
            throw .invalidValue(field: "delivery_type", reason: "must be \"webhook\": this console delivers to webhooks only, not \"\(deliveryType)\"")
        }
        guard let interests = try body.optionalArray("events_of_interest") else { throw .missingField("events_of_interest") }
        guard !interests.isEmpty else { throw .invalidValue(field: "events_of_interest", reason: "must name at least one event") }
        var providerId: String?
        var codes: [String] = []
        for (index, interest) in interests.enumerated() {
            let path = "events_of_interest[\(index)]"
            guard interest.objectValue != nil else { throw .wrongType(field: path, expected: "an object") }
            codes.append(try EmulatorBody.string(interest, "event_code", at: path))
            // `provider` is the older name, still in Adobe's guides.
            var provider = try EmulatorBody.optionalString(interest, "provider_id", at: path)
            if provider == nil { provider = try EmulatorBody.optionalString(interest, "provider", at: path) }
            guard let provider else { throw .missingField("\(path).provider_id") }
            if let first = providerId, first != provider {
                throw .invalidValue(field: "\(path).provider_id", reason: "must be \"\(first)\" like the first: a registration here covers one event provider")
            }
            providerId = provider
        }
        guard let webhookUrl = try body.optionalString("webhook_url") else { throw .missingField("webhook_url") }
        return RegistrationBody(
            clientId: clientId, name: name, description: try body.optionalString("description") ?? "",
            providerId: providerId ?? "", eventCodes: codes, webhookUrl: webhookUrl, enabled: try body.optionalBool("enabled") ?? true)
    }

    /// The engine's request, with the webhook's verification outcome.
    func request(webhookStatus: String) -> ConsoleRegistrationRequest {
        ConsoleRegistrationRequest(
            name: name, description: description, clientId: clientId, providerId: providerId, eventCodes: eventCodes,
            webhookUrl: webhookUrl, enabled: enabled, webhookStatus: webhookStatus)
    }
}
