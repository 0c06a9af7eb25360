/// How the manifests' spec of one integration differs from the integration as it is.
///
/// Sets (services, event codes, domains, redirect URIs) compare as sets: order and duplicates
/// are never a change. Strings compare exactly. `protected` compares with what the state
/// recorded, since the console does not know it. Registrations match by name; one whose
/// webhook the console has not verified is updated even when its spec matches (the console
/// verifies again on every edit).
///
/// Example: spec `services: [ViewSDK, StockSDK]`, title "Stock Search"; record `services:
/// [StockSDK, ViewSDK]`, title "Stock search" → changed attributes `[title]`, services unchanged.
enum IntegrationComparison {
    struct Delta {
        var changedAttributes: [String] = []
        var typeChanged = false
        var servicesChanged = false
        var registrations: [IntegrationChange.RegistrationChange] = []

        var isEmpty: Bool { changedAttributes.isEmpty && !typeChanged && !servicesChanged && registrations.isEmpty }
    }

    static func compare(_ desired: IntegrationSpec, with current: IntegrationRecord, recordedProtected: Bool) -> Delta {
        var delta = Delta()
        let now = current.attributes
        if now.name != desired.name { delta.changedAttributes.append("name") }
        if now.title != desired.title { delta.changedAttributes.append("title") }
        if now.description != desired.description { delta.changedAttributes.append("description") }
        if !sameSet(now.allowedDomains, desired.allowedDomains) { delta.changedAttributes.append("allowedDomains") }
        if !sameSet(now.redirectUris, desired.redirectUris) { delta.changedAttributes.append("redirectUris") }
        if recordedProtected != desired.isProtected { delta.changedAttributes.append("protected") }
        delta.typeChanged = now.type != desired.type
        delta.servicesChanged = !sameSet(current.services, desired.services)

        // Usually both lists hold the same names in the same order: compare pairwise.
        if current.registrations.count == desired.events.count,
            zip(current.registrations, desired.events).allSatisfy({ $0.name == $1.name })
        {
            for (existing, event) in zip(current.registrations, desired.events) where needsUpdate(existing, to: event) {
                delta.registrations.append(.update(from: existing, to: event))
            }
            return delta
        }
        var currentByName: [String: RegistrationRecord] = [:]
        for registration in current.registrations where currentByName[registration.name] == nil {
            currentByName[registration.name] = registration
        }
        var desiredNames = Set<String>()
        for event in desired.events {
            desiredNames.insert(event.name)
            if let existing = currentByName[event.name] {
                if needsUpdate(existing, to: event) {
                    delta.registrations.append(.update(from: existing, to: event))
                }
            } else {
                delta.registrations.append(.register(event))
            }
        }
        // A console may hold two registrations of one name (made by hand): all but the matched
        // one are removed.
        for registration in current.registrations
        where !desiredNames.contains(registration.name) || currentByName[registration.name]?.id != registration.id {
            delta.registrations.append(.deregister(registration))
        }
        delta.registrations.sort { ($0.name, rank($0)) < ($1.name, rank($1)) }
        return delta
    }

    /// Whether two records hold the same thing (sets compared as sets).
    static func sameRecord(_ a: IntegrationRecord, _ b: IntegrationRecord) -> Bool {
        guard a.id == b.id, a.apiKey == b.apiKey, a.isProtected == b.isProtected,
            a.attributes.name == b.attributes.name, a.attributes.title == b.attributes.title,
            a.attributes.description == b.attributes.description, a.attributes.type == b.attributes.type,
            sameSet(a.attributes.allowedDomains, b.attributes.allowedDomains),
            sameSet(a.attributes.redirectUris, b.attributes.redirectUris),
            sameSet(a.services, b.services), a.registrations.count == b.registrations.count
        else { return false }
        for (x, y) in zip(a.registrations, b.registrations) {
            guard x.id == y.id, sameRegistration(x.spec, y.spec) else { return false }
        }
        return true
    }

    /// Whether a registration needs an update: its spec differs, or the console has not
    /// verified its webhook (an update asks it to verify again).
    static func needsUpdate(_ existing: RegistrationRecord, to desired: EventRegistrationSpec) -> Bool {
        existing.unverifiedWebhook != nil || !sameRegistration(existing.spec, desired)
    }

    /// Whether two registration specs are the same (event codes compared as a set). A webhook
    /// status is not part of the spec, so it is never compared here.
    static func sameRegistration(_ a: EventRegistrationSpec, _ b: EventRegistrationSpec) -> Bool {
        a.name == b.name && a.provider == b.provider && a.webhookUrl == b.webhookUrl && sameSet(a.eventCodes, b.eventCodes)
    }

    static func sameSet(_ a: [String], _ b: [String]) -> Bool {
        a == b || PlanValue.normalized(a) == PlanValue.normalized(b)
    }

    private static func rank(_ change: IntegrationChange.RegistrationChange) -> Int {
        switch change {
        case .deregister: 0
        case .update: 1
        case .register: 2
        }
    }
}
