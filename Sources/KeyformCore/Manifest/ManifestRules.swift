import KeyformJSON

/// The semantic rules: what a schema cannot say about manifests. They run over the decoded
/// integrations of every file together (names are unique across files).
///
/// Catalog rules (services, entitlements, credential types, event providers and codes) need
/// a catalog; without one (`--offline`) they are skipped and one note says so.
struct ManifestRules {
    let catalog: Catalog?
    var diagnostics: [Diagnostic] = []
    /// The catalog's services and event providers by code and id, looked up once each.
    private let servicesByCode: [String: Catalog.Service]
    private let providersByID: [String: Catalog.EventProvider]

    init(catalog: Catalog?) {
        self.catalog = catalog
        servicesByCode = Dictionary(catalog?.services.map { ($0.code, $0) } ?? [], uniquingKeysWith: { first, _ in first })
        providersByID = Dictionary(catalog?.eventProviders.map { ($0.id, $0) } ?? [], uniquingKeysWith: { first, _ in first })
    }

    /// Checks `integrations`, given in reading order (sorted files, then document order).
    ///
    /// The loader runs the same rules on the tape (`IntegrationScanner`, `CrossFileRules`),
    /// and these only for integrations whose names or codes need comparing as `String`s; this
    /// whole-model form is the reference the tests hold the loader to.
    mutating func check(_ integrations: [IntegrationDraft]) {
        checkNames(integrations)
        checkFormerNames(integrations)
        var registrations = 0
        for integration in integrations {
            checkAlone(integration)
            for event in integration.events {
                registrations += 1
                if registrations == Catalog.registrationsPerOrganization + 1 {
                    let total = integrations.reduce(0) { $0 + $1.events.count }
                    diagnostics.append(.tooManyRegistrationsInOrganization(count: total, at: event.locations.registration))
                }
            }
            lint(integration)
        }
        if catalog == nil { diagnostics.append(.catalogRulesSkipped()) }
    }

    /// The rules about one integration on its own, all but the lint: catalog (unless
    /// offline), URLs, event registration names, the per-credential quota.
    mutating func checkAlone(_ integration: IntegrationDraft) {
        if let catalog {
            checkServices(integration, catalog: catalog)
            checkEvents(integration, catalog: catalog)
        }
        checkURLs(integration)
        checkEventNames(integration)
        if integration.events.count > Catalog.registrationsPerCredential {
            let excess = integration.events[Catalog.registrationsPerCredential]
            diagnostics.append(.tooManyRegistrations(
                integration: integration.spec.name, count: integration.events.count, at: excess.locations.registration))
        }
    }

    private mutating func checkNames(_ integrations: [IntegrationDraft]) {
        var first: [String: SourceLocation] = [:]
        first.reserveCapacity(integrations.count)
        for integration in integrations {
            let name = integration.spec.name
            if let earlier = first[name] {
                diagnostics.append(.duplicateName(name, at: integration.locations.name, first: earlier))
            } else {
                first[name] = integration.locations.name
            }
        }
    }

    private mutating func checkFormerNames(_ integrations: [IntegrationDraft]) {
        var names: [String: SourceLocation] = [:]
        names.reserveCapacity(integrations.count)
        for integration in integrations where names[integration.spec.name] == nil {
            names[integration.spec.name] = integration.locations.name
        }
        var claimed: [String: (owner: String, location: SourceLocation)] = [:]
        for integration in integrations {
            let own = integration.spec.name
            for (index, (former, location)) in integration.formerNames.enumerated()
            where !integration.formerNames[..<index].contains(where: { $0.name == former }) {
                if former == own {
                    diagnostics.append(.formerNameIsOwnName(former, at: location))
                } else if let other = names[former] {
                    diagnostics.append(.formerNameInUse(former, at: location, nameAt: other))
                } else if let earlier = claimed[former], earlier.owner != own {
                    diagnostics.append(.formerNameClaimedTwice(former, by: earlier.owner, at: location, first: earlier.location))
                } else if claimed[former] == nil {
                    claimed[former] = (own, location)
                }
            }
        }
    }

    private mutating func checkServices(_ integration: IntegrationDraft, catalog: Catalog) {
        let type = integration.spec.type
        for (code, location) in integration.services {
            guard let service = servicesByCode[code] else {
                diagnostics.append(.unknownService(
                    code, known: catalog.services.map(\.code),
                    suggestion: Suggestion.closest(to: code, among: catalog.services.map(\.code)), at: location))
                continue
            }
            if !service.isEntitled {
                diagnostics.append(.serviceNotEntitled(service, at: location))
            }
            if !service.credentialTypes.contains(type) {
                diagnostics.append(.credentialTypeNotSupported(service, type: type, at: location))
            }
        }
    }

    private mutating func checkEvents(_ integration: IntegrationDraft, catalog: Catalog) {
        for event in integration.events {
            let providerID = event.spec.provider
            guard let providerLocation = event.locations.provider else { continue }
            guard let provider = providersByID[providerID] else {
                let ids = catalog.eventProviders.map(\.id)
                diagnostics.append(.unknownEventProvider(
                    providerID, known: ids, suggestion: Suggestion.closest(to: providerID, among: ids), at: providerLocation))
                continue
            }
            for (code, location) in event.eventCodes where !provider.eventCodes.contains(code) {
                diagnostics.append(.unknownEventCode(
                    code, provider: provider,
                    suggestion: Suggestion.closest(to: code, among: provider.eventCodes), at: location))
            }
        }
    }

    private mutating func checkURLs(_ integration: IntegrationDraft) {
        for (uri, location) in integration.redirectUris {
            if let problem = URLPolicy.problem(with: uri) {
                diagnostics.append(.insecureURL(field: "redirect URI", problem: problem, at: location))
            }
        }
        for event in integration.events {
            if let location = event.locations.webhookUrl, let problem = URLPolicy.problem(with: event.spec.webhookUrl) {
                diagnostics.append(.insecureURL(field: "webhookUrl", problem: problem, at: location))
            }
        }
    }

    private mutating func checkEventNames(_ integration: IntegrationDraft) {
        guard integration.events.count > 1 else { return }
        var first: [String: SourceLocation] = [:]
        for event in integration.events {
            if let earlier = first[event.spec.name] {
                diagnostics.append(.duplicateEventName(
                    event.spec.name, integration: integration.spec.name, at: event.locations.name, first: earlier))
            } else {
                first[event.spec.name] = event.locations.name
            }
        }
    }

    /// The number of white-space separated words in `text`, counting no further than `limit`.
    static func wordCount(_ text: String, upTo limit: Int) -> Int {
        var text = text
        return text.withUTF8 { wordCount(utf8: $0, upTo: limit) }
    }

    /// The words of `text`, counted up to `limit`: runs between white space, Unicode's white
    /// space included (an ideographic space U+3000 alone is no word).
    static func wordCount(utf8 text: UnsafeBufferPointer<UInt8>, upTo limit: Int) -> Int {
        var count = 0, inWord = false
        func step(_ space: Bool) -> Bool {
            if !space, !inWord { count += 1 }
            inWord = !space
            return count >= limit
        }
        if ByteScan.isASCII(text) {
            for byte in text where step(byte == 0x20 || (0x09...0x0D).contains(byte)) { return count }
        } else {
            for scalar in String(decoding: text, as: UTF8.self).unicodeScalars where step(scalar.properties.isWhitespace) { return count }
        }
        return count
    }

    mutating func lint(_ integration: IntegrationDraft) {
        let spec = integration.spec
        if GenericNameLint.isGeneric(spec.name) {
            diagnostics.append(.genericName(spec.name, field: "name", at: integration.locations.name))
        }
        if let title = integration.locations.title, GenericNameLint.isGeneric(spec.title) {
            diagnostics.append(.genericName(spec.title, field: "title", at: title))
        }
        if let location = integration.locations.description {
            let words = Self.wordCount(spec.description, upTo: 2)
            if words <= 1 {
                diagnostics.append(.weakDescription(integration: spec.name, empty: words == 0, at: location))
            }
        }
    }
}
