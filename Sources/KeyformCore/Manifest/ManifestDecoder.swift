import KeyformJSON

/// An integration as decoded from its manifest, before the semantic rules run: the spec,
/// its locations, and the document-order details that rules need (the spec's sets are
/// sorted and deduplicated, so repeated entries are kept here). A class: the rules pass
/// drafts around a lot, and one reference is cheaper to copy than a dozen arrays.
final class IntegrationDraft {
    var spec: IntegrationSpec
    var locations: IntegrationLocations
    /// Event registrations in document order (repeated names included).
    var events: [EventDraft]
    /// `formerNames` in document order.
    var formerNames: [(name: String, location: SourceLocation)]
    /// Each service code once, in document order of its first occurrence.
    var services: [(code: String, location: SourceLocation)]
    var redirectUris: [(uri: String, location: SourceLocation)]

    init(
        spec: IntegrationSpec, locations: IntegrationLocations, events: [EventDraft],
        formerNames: [(name: String, location: SourceLocation)], services: [(code: String, location: SourceLocation)],
        redirectUris: [(uri: String, location: SourceLocation)]
    ) {
        self.spec = spec
        self.locations = locations
        self.events = events
        self.formerNames = formerNames
        self.services = services
        self.redirectUris = redirectUris
    }
}

/// One event registration as decoded.
struct EventDraft {
    var spec: EventRegistrationSpec
    var locations: EventLocations
    var eventCodes: [(code: String, location: SourceLocation)]
}

/// Decodes the integrations of a manifest file into drafts.
///
/// Lenient by design: the schema has already reported every structural problem, and the
/// semantic rules should still see what can be read so that one run reports everything.
/// An integration is decoded when it is an object with a string `name` and a valid `type`;
/// other members are read when they have the expected shape and ignored otherwise.
/// `title` defaults to the name.
enum ManifestDecoder {
    static func decode(_ source: SourceFile) -> [IntegrationDraft] {
        guard let integrations = source.document.root["integrations"] else { return [] }
        return integrations.elements.compactMap { decodeIntegration($0, in: source) }
    }

    static func decodeIntegration(_ value: JSONValueRef, in source: SourceFile) -> IntegrationDraft? {
        guard value.kind == .object else { return nil }
        // One pass over the members (the first of a repeated key wins, as `subscript` does).
        var nameValue: JSONValueRef?, typeValue: JSONValueRef?, titleValue: JSONValueRef?
        var descriptionValue: JSONValueRef?, domainsValue: JSONValueRef?, urisValue: JSONValueRef?
        var servicesValue: JSONValueRef?, protectedValue: JSONValueRef?, formerValue: JSONValueRef?
        var eventsValue: JSONValueRef?
        for member in value.members {
            switch member.key {
            case "name": if nameValue == nil { nameValue = member.value }
            case "type": if typeValue == nil { typeValue = member.value }
            case "title": if titleValue == nil { titleValue = member.value }
            case "description": if descriptionValue == nil { descriptionValue = member.value }
            case "allowedDomains": if domainsValue == nil { domainsValue = member.value }
            case "redirectUris": if urisValue == nil { urisValue = member.value }
            case "services": if servicesValue == nil { servicesValue = member.value }
            case "protected": if protectedValue == nil { protectedValue = member.value }
            case "formerNames": if formerValue == nil { formerValue = member.value }
            case "events": if eventsValue == nil { eventsValue = member.value }
            default: break
            }
        }
        guard let nameValue, let name = source.string(nameValue),
            let typeValue, let typeText = source.string(typeValue),
            let type = CredentialType(rawValue: typeText)
        else { return nil }

        var services: [(code: String, location: SourceLocation)] = []
        var serviceLocations: [String: SourceLocation] = [:]
        for element in servicesValue?.elements ?? [] {
            guard let code = source.string(element), serviceLocations[code] == nil else { continue }
            let location = source.location(of: element)
            serviceLocations[code] = location
            services.append((code, location))
        }
        let formerNames = located(formerValue, in: source)
        let redirectUris = located(urisValue, in: source)
        let events = (eventsValue?.elements ?? []).compactMap { decodeEvent($0, in: source) }

        var eventLocations: [String: EventLocations] = [:]
        for event in events where eventLocations[event.spec.name] == nil {
            eventLocations[event.spec.name] = event.locations
        }
        var formerLocations: [String: SourceLocation] = [:]
        for (former, location) in formerNames where formerLocations[former] == nil {
            formerLocations[former] = location
        }

        let spec = IntegrationSpec(
            name: name,
            title: titleValue.flatMap(source.string) ?? name,
            description: descriptionValue.flatMap(source.string) ?? "",
            type: type,
            allowedDomains: (domainsValue?.elements ?? []).compactMap(source.string),
            redirectUris: redirectUris.map(\.0),
            services: services.map(\.code),
            events: events.map(\.spec),
            isProtected: protectedValue?.boolValue ?? false,
            formerNames: uniqueInOrder(formerNames.map(\.0)))
        let locations = IntegrationLocations(
            integration: source.start(of: value),
            name: source.location(of: nameValue),
            title: titleValue.map(source.location(of:)),
            description: descriptionValue.map(source.location(of:)),
            type: source.location(of: typeValue),
            allowedDomains: domainsValue.map(source.location(of:)),
            redirectUris: urisValue.map(source.location(of:)),
            servicesList: servicesValue.map(source.location(of:)),
            services: serviceLocations,
            events: eventLocations,
            isProtected: protectedValue.map(source.location(of:)),
            formerNames: formerLocations)
        return IntegrationDraft(
            spec: spec, locations: locations, events: events, formerNames: formerNames,
            services: services, redirectUris: redirectUris)
    }

    private static func decodeEvent(_ value: JSONValueRef, in source: SourceFile) -> EventDraft? {
        guard value.kind == .object else { return nil }
        var nameValue: JSONValueRef?, providerValue: JSONValueRef?, urlValue: JSONValueRef?, codesValue: JSONValueRef?
        for member in value.members {
            switch member.key {
            case "name": if nameValue == nil { nameValue = member.value }
            case "provider": if providerValue == nil { providerValue = member.value }
            case "webhookUrl": if urlValue == nil { urlValue = member.value }
            case "eventCodes": if codesValue == nil { codesValue = member.value }
            default: break
            }
        }
        guard let nameValue, let name = source.string(nameValue) else { return nil }
        var codes: [(code: String, location: SourceLocation)] = []
        var codeLocations: [String: SourceLocation] = [:]
        for element in codesValue?.elements ?? [] {
            guard let code = source.string(element), codeLocations[code] == nil else { continue }
            let location = source.location(of: element)
            codeLocations[code] = location
            codes.append((code, location))
        }
        let spec = EventRegistrationSpec(
            name: name,
            provider: providerValue.flatMap(source.string) ?? "",
            eventCodes: codes.map(\.code),
            webhookUrl: urlValue.flatMap(source.string) ?? "")
        let locations = EventLocations(
            registration: source.start(of: value),
            name: source.location(of: nameValue),
            provider: providerValue.map(source.location(of:)),
            eventCodes: codeLocations,
            webhookUrl: urlValue.map(source.location(of:)))
        return EventDraft(spec: spec, locations: locations, eventCodes: codes)
    }

    /// The strings of an array (others skipped), each with its location.
    private static func located(_ array: JSONValueRef?, in source: SourceFile) -> [(String, SourceLocation)] {
        guard let array else { return [] }
        return array.elements.compactMap { element in source.string(element).map { ($0, source.location(of: element)) } }
    }

    /// `values` without repeats, in order (lists here are short: a linear check beats hashing).
    private static func uniqueInOrder(_ values: [String]) -> [String] {
        var result: [String] = []
        result.reserveCapacity(values.count)
        for value in values where !result.contains(value) { result.append(value) }
        return result
    }
}
