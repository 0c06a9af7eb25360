import KeyformJSON

/// The rules about one integration on its own, on the tape: the same findings, in the same
/// order, as `ManifestRules.checkAlone` and `lint` on its draft. Called only when codes and
/// event names are plain ASCII (see `byteComparable`), so they are compared as bytes.
extension IntegrationScanner {
    mutating func checkAlone(_ members: Members, type: CredentialType, events: Int, eventCount: Int, _ text: TapeText) {
        if let catalog {
            checkServices(members.services, type: type, catalog, text)
            checkEvents(events, catalog, text)
        }
        checkURLs(members.redirectUris, events: events, text)
        if eventCount > 1 { checkEventNames(events, integration: members.name, text) }
        if eventCount > Catalog.registrationsPerCredential, let excess = text.event(at: Catalog.registrationsPerCredential, in: events) {
            result.diagnostics.append(.tooManyRegistrations(
                integration: text.string(members.name), count: eventCount, at: source.start(at: excess)))
        }
    }

    private mutating func checkServices(_ services: Int, type: CredentialType, _ catalog: CatalogIndex, _ text: TapeText) {
        text.forEachString(in: services) { element in
            if text.repeatsEarlier(element, in: services) { return }
            guard let position = catalog.service(text.view.rawString(element)) else {
                let code = text.string(element)
                let codes = catalog.catalog.services.map(\.code)
                result.diagnostics.append(.unknownService(
                    code, known: codes, suggestion: Suggestion.closest(to: code, among: codes), at: source.location(at: element)))
                return
            }
            if !catalog.entitled[position] {
                result.diagnostics.append(.serviceNotEntitled(catalog.catalog.services[position], at: source.location(at: element)))
            }
            if catalog.supports[position] & type.bit == 0 {
                result.diagnostics.append(.credentialTypeNotSupported(
                    catalog.catalog.services[position], type: type, at: source.location(at: element)))
            }
        }
    }

    private mutating func checkEvents(_ events: Int, _ catalog: CatalogIndex, _ text: TapeText) {
        text.forEachEvent(in: events) { _, _, event in
            guard event.provider >= 0 else { return }
            let id: UnsafeBufferPointer<UInt8> = text.kind(event.provider) == .string ? text.view.rawString(event.provider) : .init(start: nil, count: 0)
            guard let position = catalog.provider(id) else {
                let name = text.kind(event.provider) == .string ? text.string(event.provider) : ""
                let ids = catalog.catalog.eventProviders.map(\.id)
                result.diagnostics.append(.unknownEventProvider(
                    name, known: ids, suggestion: Suggestion.closest(to: name, among: ids), at: source.location(at: event.provider)))
                return
            }
            text.forEachString(in: event.eventCodes) { element in
                if text.repeatsEarlier(element, in: event.eventCodes) { return }
                guard !catalog.provider(position, offers: text.view.rawString(element)) else { return }
                let provider = catalog.catalog.eventProviders[position]
                let code = text.string(element)
                result.diagnostics.append(.unknownEventCode(
                    code, provider: provider, suggestion: Suggestion.closest(to: code, among: provider.eventCodes),
                    at: source.location(at: element)))
            }
        }
    }

    private mutating func checkURLs(_ redirectUris: Int, events: Int, _ text: TapeText) {
        text.forEachString(in: redirectUris) { element in
            if let problem = text.withText(element, URLPolicy.problem(with:)) {
                result.diagnostics.append(.insecureURL(field: "redirect URI", problem: problem, at: source.location(at: element)))
            }
        }
        text.forEachEvent(in: events) { _, _, event in
            guard event.webhookUrl >= 0 else { return }
            let problem = text.kind(event.webhookUrl) == .string
                ? text.withText(event.webhookUrl, URLPolicy.problem(with:))
                : URLPolicy.problem(with: "")
            if let problem {
                result.diagnostics.append(.insecureURL(field: "webhookUrl", problem: problem, at: source.location(at: event.webhookUrl)))
            }
        }
    }

    /// Each registration named like an earlier one, with a note at the first of that name.
    private mutating func checkEventNames(_ events: Int, integration: Int, _ text: TapeText) {
        var names: [Int] = []
        text.forEachEvent(in: events) { _, _, event in
            let bytes = text.view.rawString(event.name)
            if let first = names.first(where: { text.view.string($0, equals: bytes) }) {
                result.diagnostics.append(.duplicateEventName(
                    text.string(event.name), integration: text.string(integration), at: source.location(at: event.name),
                    first: source.location(at: first)))
            } else {
                names.append(event.name)
            }
        }
    }

    /// Generic names and titles, and missing or one-word descriptions.
    mutating func lint(_ members: Members, _ text: TapeText) {
        if text.withText(members.name, GenericNameLint.isGeneric(utf8:)) {
            result.diagnostics.append(.genericName(text.string(members.name), field: "name", at: source.location(at: members.name)))
        }
        if members.title >= 0 {
            // A title that is not a string defaults to the name.
            let titled = text.kind(members.title) == .string ? members.title : members.name
            if text.withText(titled, GenericNameLint.isGeneric(utf8:)) {
                result.diagnostics.append(.genericName(text.string(titled), field: "title", at: source.location(at: members.title)))
            }
        }
        if members.description >= 0 {
            let words = text.kind(members.description) == .string
                ? text.withText(members.description) { ManifestRules.wordCount(utf8: $0, upTo: 2) }
                : 0
            if words <= 1 {
                result.diagnostics.append(.weakDescription(
                    integration: text.string(members.name), empty: words == 0, at: source.location(at: members.description)))
            }
        }
    }
}
