import KeyformJSON

/// The fast path for the bulk of a state file, its `integrations`: records are read straight
/// off the parser's tape (keys compared as bytes, no intermediate member arrays), which is
/// what keeps `plan` quick on a large state.
///
/// It only ever accepts: anything it does not expect (an unknown, repeated or missing member,
/// a value of the wrong kind, an empty id, an unknown credential type, a repeated name) makes
/// it answer nil, and the caller decodes the same value with the generic decoder, which
/// reports exactly what is wrong. A well-formed state therefore decodes to the same records
/// either way (`StateTapeDecoderTests` checks it), and a broken one gets the same error.
enum StateTapeDecoder {
    private static let recordKeys = MemberKeys(IntegrationRecord.stateKeys)
    private static let idKeys = MemberKeys(IntegrationRecord.idKeys)
    private static let attributeKeys = MemberKeys(IntegrationRecord.attributeKeys)
    private static let registrationKeys = MemberKeys(IntegrationRecord.registrationKeys)

    /// The records of the `integrations` object at `value`, by name; nil when the generic
    /// decoder must decide.
    static func integrations(_ value: JSONValueRef) -> [String: IntegrationRecord]? {
        value.withTapeView { view in
            let object = value.tapeIndex
            guard view.kind(object) == .object else { return nil }
            var records: [String: IntegrationRecord] = [:]
            records.reserveCapacity(memberCount(object, view))
            let end = view.end(of: object)
            var k = object + 1
            while k < end {
                let name = view.string(k)
                guard !name.isEmpty, let record = record(name: name, at: k + 1, view),
                    records.updateValue(record, forKey: name) == nil
                else { return nil }
                k = view.next(after: k + 1)
            }
            return records
        }
    }

    private static func record(name: String, at object: Int, _ view: JSONTapeView) -> IntegrationRecord? {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 6) { member -> IntegrationRecord? in
            guard members(of: object, recordKeys, into: member, view),
                let ids = ids(member[0], view),
                let apiKey = nonEmptyString(member[1], view),
                let attributes = attributes(name: name, member[2], view),
                let services = strings(member[3], view),
                let registrations = registrations(member[4], view),
                let isProtected = view.bool(member[5])
            else { return nil }
            return IntegrationRecord(
                id: ids, apiKey: apiKey, attributes: attributes, services: services,
                registrations: registrations, isProtected: isProtected)
        }
    }

    private static func ids(_ object: Int, _ view: JSONTapeView) -> IntegrationID? {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 3) { member -> IntegrationID? in
            guard members(of: object, idKeys, into: member, view),
                let project = nonEmptyString(member[0], view),
                let workspace = nonEmptyString(member[1], view),
                let credential = nonEmptyString(member[2], view)
            else { return nil }
            return IntegrationID(projectId: project, workspaceId: workspace, credentialId: credential)
        }
    }

    private static func attributes(name: String, _ object: Int, _ view: JSONTapeView) -> IntegrationAttributes? {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 5) { member -> IntegrationAttributes? in
            guard members(of: object, attributeKeys, into: member, view),
                let title = string(member[0], view),
                let description = string(member[1], view),
                let typeName = string(member[2], view), let type = CredentialType(rawValue: typeName),
                let domains = strings(member[3], view),
                let uris = strings(member[4], view)
            else { return nil }
            return IntegrationAttributes(
                name: name, title: title, description: description, type: type,
                allowedDomains: domains, redirectUris: uris)
        }
    }

    private static func registrations(_ object: Int, _ view: JSONTapeView) -> [RegistrationRecord]? {
        guard view.kind(object) == .object else { return nil }
        var result: [RegistrationRecord] = []
        let end = view.end(of: object)
        var k = object + 1
        while k < end {
            let name = view.string(k)
            // Names compare as `String`s (canonical equivalence), as the generic decoder's do.
            guard !result.contains(where: { $0.name == name }) else { return nil }
            let registration = withUnsafeTemporaryAllocation(of: Int.self, capacity: 4) { member -> RegistrationRecord? in
                guard members(of: k + 1, registrationKeys, into: member, view),
                    let id = nonEmptyString(member[0], view),
                    let provider = nonEmptyString(member[1], view),
                    let codes = strings(member[2], view),
                    let url = string(member[3], view)
                else { return nil }
                return RegistrationRecord(
                    id: id, spec: EventRegistrationSpec(name: name, provider: provider, eventCodes: codes, webhookUrl: url))
            }
            guard let registration else { return nil }
            result.append(registration)
            k = view.next(after: k + 1)
        }
        return result
    }

    /// Fills `member[i]` with the tape index of the value of key `i`; false unless the value
    /// at `object` is an object with each key exactly once and no other.
    @inline(__always)
    private static func members(
        of object: Int, _ keys: MemberKeys, into member: UnsafeMutableBufferPointer<Int>, _ view: JSONTapeView
    ) -> Bool {
        guard view.kind(object) == .object else { return false }
        member.initialize(repeating: -1)
        let end = view.end(of: object)
        var k = object + 1
        while k < end {
            guard let position = keys.position(ofKey: k, in: view), position < member.count, member[position] < 0
            else { return false }
            member[position] = k + 1
            k = view.next(after: k + 1)
        }
        return !member.contains(-1)
    }

    @inline(__always)
    private static func string(_ index: Int, _ view: JSONTapeView) -> String? {
        view.kind(index) == .string ? view.string(index) : nil
    }

    @inline(__always)
    private static func nonEmptyString(_ index: Int, _ view: JSONTapeView) -> String? {
        guard let s = string(index, view), !s.isEmpty else { return nil }
        return s
    }

    private static func strings(_ array: Int, _ view: JSONTapeView) -> [String]? {
        guard view.kind(array) == .array else { return nil }
        var result: [String] = []
        let end = view.end(of: array)
        var k = array + 1
        while k < end {
            guard view.kind(k) == .string else { return nil }
            result.append(view.string(k))
            k = view.next(after: k)
        }
        return result
    }

    private static func memberCount(_ object: Int, _ view: JSONTapeView) -> Int {
        var count = 0
        let end = view.end(of: object)
        var k = object + 1
        while k < end {
            count += 1
            k = view.next(after: k + 1)
        }
        return count
    }
}
