import KeyformJSON

/// The saved plan (`plan --out FILE`) and the `--json` plan: one JSON document, documented by
/// `schemas/plan.schema.json`, with a format version and a checksum.
///
/// The checksum is `sha256:` and the hex SHA-256 of the document's compact JSON without the
/// `checksum` member. It catches a plan edited after review (by hand or by a broken tool); it
/// is not a signature, since anyone can recompute it.
///
/// Example: `PlanFile.decode(PlanFile.encode(plan)) == plan` for every plan.
public enum PlanFile {
    /// The plan as canonical JSON text (2-space indentation, final newline), checksum last.
    public static func encode(_ plan: Plan) -> String {
        guard case .object(var members) = json(plan) else { return "" }
        members.append(JSONMember("checksum", .string(checksum(of: members))))
        return JSON.object(members).canonicalText()
    }

    /// Reads a plan file's bytes.
    /// - Throws: `PlanFileError`: syntax (with line and column), not a plan, an unsupported
    ///   format version, a checksum that does not match, or a member that is missing, of the
    ///   wrong type or with a bad value (named by its JSON Pointer).
    public static func decode(_ bytes: [UInt8]) throws(PlanFileError) -> Plan {
        let document: JSON
        do {
            document = try JSON.parse(bytes)
        } catch {
            let (line, column) = lineAndColumn(of: error.offset, in: bytes)
            throw .syntax(message: error.message, line: line, column: column)
        }
        guard case .object(let members) = document, let version = document["formatVersion"] else { throw .notAPlan }
        let reader = PlanFileReader(document)
        guard case .number(let number) = version, let found = number.int else {
            throw .wrongType(pointer: "/formatVersion", expected: "an integer")
        }
        guard found == Plan.currentFormatVersion else {
            throw .unsupportedVersion(found: found, supported: Plan.currentFormatVersion)
        }
        let recorded = try reader.member("checksum").string()
        guard recorded == checksum(of: members.filter { $0.key != "checksum" }) else { throw .checksumMismatch }
        return try plan(from: reader)
    }

    /// Reads a plan file's text.
    public static func decode(_ text: String) throws(PlanFileError) -> Plan {
        try decode(Array(text.utf8))
    }

    static func checksum(of members: [JSONMember]) -> String {
        "sha256:" + SHA256.hex(Array(JSON.object(members).compactText().utf8))
    }

    /// 1-based line and column (in Unicode scalars) of a byte offset.
    static func lineAndColumn(of offset: Int, in bytes: [UInt8]) -> (Int, Int) {
        var line = 1, column = 1
        for byte in bytes.prefix(max(0, offset)) {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    private static func plan(from reader: PlanFileReader) throws(PlanFileError) -> Plan {
        let header = PlanHeader(
            id: try reader.member("id").string(),
            createdAt: try reader.member("createdAt").string(),
            stateLineage: try reader.optionalMember("stateLineage")?.string(),
            stateSerial: try reader.optionalMember("stateSerial")?.int(),
            stateDigest: try reader.optionalMember("stateDigest")?.string(),
            catalogDigest: try reader.member("catalogDigest").string())
        var drift: [Drift] = []
        for item in try reader.member("drift").array() { drift.append(try self.drift(item)) }
        var actions: [PlanAction] = []
        var seen = Set<String>()
        for item in try reader.member("actions").array() {
            let action = try self.action(item)
            guard seen.insert(action.id).inserted else {
                throw .duplicateActionId(pointer: item.pointer + "/id", id: action.id)
            }
            for dependency in action.dependsOn where !seen.contains(dependency) || dependency == action.id {
                throw .badDependency(pointer: item.pointer + "/dependsOn", id: action.id, dependency: dependency)
            }
            actions.append(action)
        }
        var refresh: [StateChange] = []
        for item in try reader.member("stateRefresh").array() { refresh.append(try stateChange(item)) }
        return Plan(
            header: header, refreshed: try reader.member("refreshed").bool(), actions: actions, drift: drift,
            stateRefresh: refresh)
    }

    private static func drift(_ r: PlanFileReader) throws(PlanFileError) -> Drift {
        Drift(
            kind: try r.member("kind").enumeration(Drift.Kind.self), address: try r.member("address").string(),
            integrationName: try r.member("integration").string(), message: try r.member("message").string(),
            before: try r.member("before").value, after: try r.member("after").value)
    }

    private static func action(_ r: PlanFileReader) throws(PlanFileError) -> PlanAction {
        let kind = try r.member("kind").enumeration(PlanAction.Kind.self)
        let operation: PlanAction.Operation
        switch kind {
        case .create: operation = .create(try spec(r.member("spec")))
        case .update: operation = .update(try spec(r.member("spec")))
        case .rename: operation = .rename(from: try r.member("formerName").string(), to: try spec(r.member("spec")))
        case .subscribe: operation = .subscribe(services: try r.member("services").strings())
        case .register: operation = .register(try event(r.member("event")))
        case .updateRegistration:
            operation = .updateRegistration(
                registrationId: try r.member("registrationId").string(), to: try event(r.member("event")))
        case .deregister:
            operation = .deregister(
                registrationId: try r.member("registrationId").string(), name: try r.member("registrationName").string())
        case .delete: operation = .delete
        case .noOp: operation = .noOp
        }
        let action = PlanAction(
            id: try r.member("id").string(), address: try r.member("address").string(),
            integrationName: try r.member("integration").string(), stateName: try r.optionalMember("stateName")?.string(),
            integrationId: try r.optionalMember("integrationId").map { (m) throws(PlanFileError) in try integrationId(m) },
            operation: operation, reason: try r.member("reason").string(), isReplacement: try r.member("replacement").bool(),
            dependsOn: try r.member("dependsOn").strings(), before: try r.member("before").value,
            after: try r.member("after").value, afterUnknown: try r.member("afterUnknown").strings())
        guard showsItsOperation(action) else {
            throw .invalidValue(
                pointer: r.pointer + "/after",
                problem: "what the action shows is not what it would do (its \"after\" differs from the values it applies)")
        }
        return action
    }

    /// Whether the `after` a reviewer sees (in `show` and the plan output) is what the
    /// operation applies: each value the operation sets appears in `after` as it will be set.
    /// A plan edited by hand, with its checksum made again, is caught here.
    static func showsItsOperation(_ action: PlanAction) -> Bool {
        func shown(_ expected: JSON, except ignored: Set<String> = []) -> Bool {
            guard case .object(let wanted) = expected, case .object(let members) = action.after else { return false }
            for member in wanted where !ignored.contains(member.key) {
                guard members.first(where: { $0.key == member.key })?.value == member.value else { return false }
            }
            return true
        }
        switch action.operation {
        case .create(let spec), .update(let spec), .rename(_, let spec):
            // `protected` and `apiKey` depend on the state, not on the spec's attributes.
            return shown(PlanValue.integration(spec.attributes)) && action.integrationName == spec.name
        case .subscribe(let services):
            return shown(PlanValue.services(services))
        case .register(let event):
            return shown(PlanValue.registration(event))
        case .updateRegistration(let id, let event):
            return shown(PlanValue.registration(event, id: id))
        case .deregister, .delete:
            return action.after == .null
        case .noOp:
            return true
        }
    }

    private static func stateChange(_ r: PlanFileReader) throws(PlanFileError) -> StateChange {
        let op = try r.member("op")
        switch try op.string() {
        case "intent": return .intent(name: try r.member("name").string())
        case "remove": return .remove(name: try r.member("name").string())
        case "upsert": return .upsert(try record(r.member("record")), formerName: try r.optionalMember("formerName")?.string())
        case let other:
            throw .invalidValue(pointer: op.pointer, problem: "'\(other)' is not one of 'intent', 'remove', 'upsert'")
        }
    }

    static func spec(_ r: PlanFileReader) throws(PlanFileError) -> IntegrationSpec {
        var events: [EventRegistrationSpec] = []
        for item in try r.member("events").array() { events.append(try event(item)) }
        return IntegrationSpec(
            name: try r.member("name").string(), title: try r.member("title").string(),
            description: try r.member("description").string(), type: try r.member("type").enumeration(CredentialType.self),
            allowedDomains: try r.member("allowedDomains").strings(), redirectUris: try r.member("redirectUris").strings(),
            services: try r.member("services").strings(), events: events, isProtected: try r.member("protected").bool(),
            formerNames: try r.member("formerNames").strings())
    }

    static func event(_ r: PlanFileReader) throws(PlanFileError) -> EventRegistrationSpec {
        EventRegistrationSpec(
            name: try r.member("name").string(), provider: try r.member("provider").string(),
            eventCodes: try r.member("eventCodes").strings(), webhookUrl: try r.member("webhookUrl").string())
    }

    static func record(_ r: PlanFileReader) throws(PlanFileError) -> IntegrationRecord {
        var registrations: [RegistrationRecord] = []
        for item in try r.member("registrations").array() {
            registrations.append(RegistrationRecord(id: try item.member("id").string(), spec: try event(item)))
        }
        let attributes = IntegrationAttributes(
            name: try r.member("name").string(), title: try r.member("title").string(),
            description: try r.member("description").string(), type: try r.member("type").enumeration(CredentialType.self),
            allowedDomains: try r.member("allowedDomains").strings(), redirectUris: try r.member("redirectUris").strings())
        return IntegrationRecord(
            id: try integrationId(r.member("id")), apiKey: try r.member("apiKey").string(), attributes: attributes,
            services: try r.member("services").strings(), registrations: registrations,
            isProtected: try r.member("protected").bool())
    }

    static func integrationId(_ r: PlanFileReader) throws(PlanFileError) -> IntegrationID {
        IntegrationID(
            projectId: try r.member("projectId").string(), workspaceId: try r.member("workspaceId").string(),
            credentialId: try r.member("credentialId").string())
    }
}
