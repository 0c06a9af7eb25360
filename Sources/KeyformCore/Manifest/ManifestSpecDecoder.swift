import Dispatch
import Foundation
import KeyformJSON

/// Decodes only the specs of a manifest file's integrations, for stages that never point
/// back at the manifest (the plan compares specs only).
///
/// The same reading as `ManifestDecoder` (the first of a repeated key wins, members of the
/// wrong shape are ignored, `title` defaults to the name), straight off the parser's tape
/// (keys compared as bytes, as `IntegrationScanner` does) and without working out a single
/// location: no line index is built and no location dictionary is filled. `ManifestInPlaceAgreementTests` checks the specs are the model's.
enum ManifestSpecDecoder {
    /// The specs of every integration in `loaded`, the first of each name, sorted by name
    /// (as `ManifestModel.specs`). Files are decoded in parallel when worthwhile.
    static func specs(_ loaded: [LoadedManifestFile], parallel: Bool = true) -> [IntegrationSpec] {
        let total = loaded.reduce(0) { $0 + $1.document.bytes.count }
        let perFile: [[IntegrationSpec]] =
            parallel && loaded.count > 1 && total >= ManifestLoader.parallelThreshold
            ? ParallelMap.map(count: loaded.count) { decode(loaded[$0]) }
            : loaded.map(decode)
        var specs: [IntegrationSpec] = []
        specs.reserveCapacity(perFile.reduce(0) { $0 + $1.count })
        var seen = Set<String>(minimumCapacity: specs.capacity)
        for file in perFile {
            for spec in file where seen.insert(spec.name).inserted { specs.append(spec) }
        }
        specs.sort { $0.name < $1.name }
        return specs
    }

    /// The specs of one file, in document order, read off the parser's tape.
    static func decode(_ file: LoadedManifestFile) -> [IntegrationSpec] {
        file.document.withTapeView { view in
            guard view.kind(0) == .object else { return [] }
            var integrations = -1
            var k = 1
            while k < view.end(of: 0) {
                if IntegrationScanner.rootKeys.position(ofKey: k, in: view) == 0 {
                    integrations = k + 1
                    break
                }
                k = view.next(after: k + 1)
            }
            guard integrations >= 0, view.kind(integrations) == .array else { return [] }
            let text = TapeText(view: view, replacements: file.replacements)
            var specs: [IntegrationSpec] = []
            specs.reserveCapacity(text.elementCount(integrations))
            let end = view.end(of: integrations)
            var element = integrations + 1
            while element < end {
                if let spec = decodeIntegration(element, text) { specs.append(spec) }
                element = view.next(after: element)
            }
            return specs
        }
    }

    private static func decodeIntegration(_ object: Int, _ text: TapeText) -> IntegrationSpec? {
        let view = text.view
        guard view.kind(object) == .object else { return nil }
        // The first of a repeated key wins, as `JSONValueRef`'s subscript has it.
        var name = -1, type = -1, title = -1, description = -1, domains = -1, uris = -1
        var services = -1, isProtected = -1, former = -1, events = -1
        let end = view.end(of: object)
        var k = object + 1
        while k < end {
            let value = k + 1
            switch IntegrationScanner.integrationKeys.position(ofKey: k, in: view) {
            case 0: if name < 0 { name = value }
            case 1: if type < 0 { type = value }
            case 2: if title < 0 { title = value }
            case 3: if description < 0 { description = value }
            case 4: if domains < 0 { domains = value }
            case 5: if uris < 0 { uris = value }
            case 6: if services < 0 { services = value }
            case 7: if isProtected < 0 { isProtected = value }
            case 8: if former < 0 { former = value }
            case 9: if events < 0 { events = value }
            default: break
            }
            k = view.next(after: value)
        }
        guard let nameText = string(name, text), string(type, text) != nil, let credentialType = text.credentialType(type)
        else { return nil }
        var eventSpecs: [EventRegistrationSpec] = []
        if text.kind(events) == .array {
            let eventsEnd = view.end(of: events)
            var event = events + 1
            while event < eventsEnd {
                if let spec = decodeEvent(event, text) { eventSpecs.append(spec) }
                event = view.next(after: event)
            }
        }
        return IntegrationSpec(
            name: nameText,
            title: string(title, text) ?? nameText,
            description: string(description, text) ?? "",
            type: credentialType,
            allowedDomains: strings(domains, text),
            redirectUris: strings(uris, text),
            services: strings(services, text),
            events: eventSpecs,
            isProtected: isProtected >= 0 ? view.bool(isProtected) ?? false : false,
            formerNames: uniqueInOrder(strings(former, text)))
    }

    private static func decodeEvent(_ object: Int, _ text: TapeText) -> EventRegistrationSpec? {
        let view = text.view
        guard view.kind(object) == .object else { return nil }
        var name = -1, provider = -1, url = -1, codes = -1
        let end = view.end(of: object)
        var k = object + 1
        while k < end {
            let value = k + 1
            switch IntegrationScanner.eventKeys.position(ofKey: k, in: view) {
            case 0: if name < 0 { name = value }
            case 1: if provider < 0 { provider = value }
            case 2: if url < 0 { url = value }
            case 3: if codes < 0 { codes = value }
            default: break
            }
            k = view.next(after: value)
        }
        guard let nameText = string(name, text) else { return nil }
        return EventRegistrationSpec(
            name: nameText,
            provider: string(provider, text) ?? "",
            eventCodes: strings(codes, text),
            webhookUrl: string(url, text) ?? "")
    }

    /// The string at `index` after substitution; nil when absent (-1) or not a string.
    private static func string(_ index: Int, _ text: TapeText) -> String? {
        text.kind(index) == .string ? text.string(index) : nil
    }

    /// The strings of the array at `array` after substitution, others skipped, in order.
    private static func strings(_ array: Int, _ text: TapeText) -> [String] {
        var result: [String] = []
        text.forEachString(in: array) { result.append(text.string($0)) }
        return result
    }

    /// `values` without repeats, in order (lists here are short: a linear check beats hashing).
    private static func uniqueInOrder(_ values: [String]) -> [String] {
        var result: [String] = []
        result.reserveCapacity(values.count)
        for value in values where !result.contains(value) { result.append(value) }
        return result
    }
}
