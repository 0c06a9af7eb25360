extension IntegrationSpec {
    /// The same spec with every set sorted and unique (as `init` makes it), so that a spec
    /// edited through its `var`s still diffs, encodes and subscribes as a set. Free when the
    /// spec is already normalised (the usual case).
    public var normalized: IntegrationSpec {
        if isNormalized { return self }
        return IntegrationSpec(
            name: name, title: title, description: description, type: type, allowedDomains: allowedDomains,
            redirectUris: redirectUris, services: services,
            events: events.map {
                EventRegistrationSpec(name: $0.name, provider: $0.provider, eventCodes: $0.eventCodes, webhookUrl: $0.webhookUrl)
            },
            isProtected: isProtected, formerNames: formerNames)
    }

    /// Whether every set is sorted and unique, and the events sorted by name.
    var isNormalized: Bool {
        SortedSet.isSortedSet(allowedDomains) && SortedSet.isSortedSet(redirectUris) && SortedSet.isSortedSet(services)
            && events.allSatisfy({ SortedSet.isSortedSet($0.eventCodes) }) && SortedSet.isSorted(events, by: \.name)
    }
}
