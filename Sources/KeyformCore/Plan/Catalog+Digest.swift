import KeyformJSON

extension Catalog {
    /// Hex SHA-256 of the catalog's canonical JSON (services and event providers, sorted),
    /// which a saved plan records so that an apply notices a catalog that changed since.
    public var digest: String {
        let services = JSON.array(services.map { service in
            .object([
                JSONMember("code", .string(service.code)),
                JSONMember("name", .string(service.name)),
                JSONMember("credentialTypes", PlanValue.strings(service.credentialTypes.map(\.rawValue))),
                JSONMember("entitled", .bool(service.isEntitled)),
            ])
        })
        let providers = JSON.array(eventProviders.map { provider in
            .object([
                JSONMember("id", .string(provider.id)),
                JSONMember("label", .string(provider.label)),
                JSONMember("eventCodes", PlanValue.strings(PlanValue.normalized(provider.eventCodes))),
            ])
        })
        let document = JSON.object([JSONMember("services", services), JSONMember("eventProviders", providers)])
        return SHA256.hex(Array(document.compactText().utf8))
    }
}
