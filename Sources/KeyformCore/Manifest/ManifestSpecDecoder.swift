import Dispatch
import Foundation
import KeyformJSON

/// Decodes only the specs of a manifest file's integrations, for stages that never point
/// back at the manifest (the plan compares specs only).
///
/// The same reading as `ManifestDecoder` (the first of a repeated key wins, members of the
/// wrong shape are ignored, `title` defaults to the name) without working out a single
/// location: no line index is built and no location dictionary is filled, which is most of
/// the cost of decoding. `ManifestInPlaceAgreementTests` checks the specs are the model's.
enum ManifestSpecDecoder {
    /// The specs of every integration in `loaded`, the first of each name, sorted by name
    /// (as `ManifestModel.specs`). Files are decoded in parallel when worthwhile.
    static func specs(_ loaded: [LoadedManifestFile], parallel: Bool = true) -> [IntegrationSpec] {
        let perFile: [[IntegrationSpec]]
        let total = loaded.reduce(0) { $0 + $1.document.bytes.count }
        if parallel, loaded.count > 1, total >= ManifestLoader.parallelThreshold {
            let slots = Slots(count: loaded.count)
            DispatchQueue.concurrentPerform(iterations: loaded.count) { position in
                slots.set(position, decode(loaded[position]))
            }
            perFile = slots.taken()
        } else {
            perFile = loaded.map(decode)
        }
        var specs: [IntegrationSpec] = []
        specs.reserveCapacity(perFile.reduce(0) { $0 + $1.count })
        var seen = Set<String>(minimumCapacity: specs.capacity)
        for file in perFile {
            for spec in file where seen.insert(spec.name).inserted { specs.append(spec) }
        }
        specs.sort { $0.name < $1.name }
        return specs
    }

    /// The specs of one file, in document order.
    static func decode(_ file: LoadedManifestFile) -> [IntegrationSpec] {
        let source = SourceFile(file)
        guard let integrations = source.document.root["integrations"] else { return [] }
        return integrations.elements.compactMap { decodeIntegration($0, in: source) }
    }

    private static func decodeIntegration(_ value: JSONValueRef, in source: SourceFile) -> IntegrationSpec? {
        guard value.kind == .object else { return nil }
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
        return IntegrationSpec(
            name: name,
            title: titleValue.flatMap(source.string) ?? name,
            description: descriptionValue.flatMap(source.string) ?? "",
            type: type,
            allowedDomains: strings(domainsValue, in: source),
            redirectUris: strings(urisValue, in: source),
            services: strings(servicesValue, in: source),
            events: (eventsValue?.elements ?? []).compactMap { decodeEvent($0, in: source) },
            isProtected: protectedValue?.boolValue ?? false,
            formerNames: uniqueInOrder(strings(formerValue, in: source)))
    }

    private static func decodeEvent(_ value: JSONValueRef, in source: SourceFile) -> EventRegistrationSpec? {
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
        return EventRegistrationSpec(
            name: name,
            provider: providerValue.flatMap(source.string) ?? "",
            eventCodes: strings(codesValue, in: source),
            webhookUrl: urlValue.flatMap(source.string) ?? "")
    }

    /// The strings of an array, others skipped, in order.
    private static func strings(_ array: JSONValueRef?, in source: SourceFile) -> [String] {
        guard let array else { return [] }
        return array.elements.compactMap(source.string)
    }

    /// `values` without repeats, in order (lists here are short: a linear check beats hashing).
    private static func uniqueInOrder(_ values: [String]) -> [String] {
        var result: [String] = []
        result.reserveCapacity(values.count)
        for value in values where !result.contains(value) { result.append(value) }
        return result
    }

    /// Per-file results filled from several threads, one slot per file.
    private final class Slots: @unchecked Sendable {
        // @unchecked Sendable: `slots` is only read and written under `lock`.
        private let lock = NSLock()
        private var slots: [[IntegrationSpec]]

        init(count: Int) { slots = Array(repeating: [], count: count) }

        func set(_ position: Int, _ specs: [IntegrationSpec]) {
            lock.lock()
            slots[position] = specs
            lock.unlock()
        }

        func taken() -> [[IntegrationSpec]] {
            lock.lock()
            defer { lock.unlock() }
            return slots
        }
    }
}
