extension IntegrationSpec {
    /// The same spec with every set sorted and unique (as `init` makes it), so that a spec
    /// edited through its `var`s still diffs, encodes and subscribes as a set.
    public var normalized: IntegrationSpec {
        IntegrationSpec(
            name: name, title: title, description: description, type: type, allowedDomains: allowedDomains,
            redirectUris: redirectUris, services: services,
            events: events.map {
                EventRegistrationSpec(name: $0.name, provider: $0.provider, eventCodes: $0.eventCodes, webhookUrl: $0.webhookUrl)
            },
            isProtected: isProtected, formerNames: formerNames)
    }
}
