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
        try reader.onlyMembers(Members.plan)
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
        if let (i, found) = inconsistency(across: actions, drift: drift) {
            throw .invalidValue(pointer: "/actions/\(i)/\(found.member)", problem: found.problem)
        }
        var refresh: [StateChange] = []
        for item in try reader.member("stateRefresh").array() { refresh.append(try stateChange(item)) }
        // Forgetting an integration is shown: the refresh found it deleted in the console.
        let deleted = Set(drift.filter { $0.kind == .deleted }.map(\.address))
        for (i, change) in refresh.enumerated() {
            if case .remove(let name) = change, !deleted.contains(PlanValue.address(name)) {
                throw .invalidValue(
                    pointer: "/stateRefresh/\(i)",
                    problem: "the plan forgets \(JSON.string(name).compactText()) without showing it deleted in the console (no such drift)")
            }
        }
        let plan = Plan(
            header: header, refreshed: try reader.member("refreshed").bool(), actions: actions, drift: drift,
            stateRefresh: refresh)
        // Scripts read the summary (`jq .summary.delete`): it must count what the plan does.
        let summary = try reader.member("summary")
        if summary.value != json(plan.summary) {
            throw .invalidValue(
                pointer: "/summary",
                problem: "the summary does not count the plan's actions (they make it \(json(plan.summary).compactText()))")
        }
        return plan
    }

    private static func drift(_ r: PlanFileReader) throws(PlanFileError) -> Drift {
        try r.onlyMembers(Members.drift)
        // An integration's or a registration's values.
        let values = Members.consoleIntegrationValue.union(Members.registrationValue)
        try r.member("before").onlyMembers(values, orNull: true)
        try r.member("after").onlyMembers(values, orNull: true)
        return Drift(
            kind: try r.member("kind").enumeration(Drift.Kind.self), address: try r.member("address").string(),
            integrationName: try r.member("integration").string(), message: try r.member("message").string(),
            before: try r.member("before").value, after: try r.member("after").value)
    }

    private static func action(_ r: PlanFileReader) throws(PlanFileError) -> PlanAction {
        let kind = try r.member("kind").enumeration(PlanAction.Kind.self)
        try r.onlyMembers(Members.action(kind))
        if let shape = beforeShape(of: kind) {
            try r.member("before").onlyMembers(shape.members, orNull: shape.nullable)
        } else if try r.member("before").value != .null {
            throw .invalidValue(pointer: r.pointer + "/before", problem: "a \(kind.rawValue) has nothing before it: \"before\" must be null")
        }
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
        if let found = inconsistency(in: action) {
            throw .invalidValue(pointer: r.pointer + "/" + found.member, problem: found.problem)
        }
        return action
    }

    /// Whether the `after` a reviewer sees (in `show` and the plan output) is exactly what the
    /// operation applies: every value it sets, as it will be set, and nothing else (an extra
    /// line would show a change that does not happen). A plan edited by hand, with its
    /// checksum made again, is caught here.
    static func showsItsOperation(_ action: PlanAction) -> Bool {
        switch action.operation {
        case .create(let spec):
            // Shown as `protected` when it is, and always when a replacement recreates it.
            let protected = spec.isProtected || action.isReplacement ? spec.isProtected : nil
            return action.after == PlanValue.integration(spec.attributes, protected: protected) && action.integrationName == spec.name
        case .update(let spec), .rename(_, let spec):
            // The state records `protected`; an update or rename keeps the API key.
            guard case .string(let apiKey)? = action.after["apiKey"], action.before["apiKey"] == .string(apiKey) else { return false }
            return action.after == PlanValue.integration(spec.attributes, protected: spec.isProtected, apiKey: apiKey)
                && action.integrationName == spec.name
        case .subscribe(let services):
            return action.after == PlanValue.services(services)
        case .register(let event):
            return action.after == PlanValue.registration(event)
        case .updateRegistration(let id, let event):
            return action.after == PlanValue.registration(event, id: id)
        case .deregister, .delete:
            return action.after == .null
        case .noOp:
            return action.after == .null && action.before == .null
        }
    }

    private static func stateChange(_ r: PlanFileReader) throws(PlanFileError) -> StateChange {
        let op = try r.member("op")
        switch try op.string() {
        case "intent":
            try r.onlyMembers(["op", "name"])
            return .intent(name: try r.member("name").string())
        case "remove":
            try r.onlyMembers(["op", "name"])
            return .remove(name: try r.member("name").string())
        case "upsert":
            try r.onlyMembers(["op", "record", "formerName"])
            return .upsert(try record(r.member("record")), formerName: try r.optionalMember("formerName")?.string())
        case let other:
            throw .invalidValue(pointer: op.pointer, problem: "'\(other)' is not one of 'intent', 'remove', 'upsert'")
        }
    }

    static func spec(_ r: PlanFileReader) throws(PlanFileError) -> IntegrationSpec {
        try r.onlyMembers(Members.spec)
        var events: [EventRegistrationSpec] = []
        for item in try r.member("events").array() { events.append(try event(item)) }
        return IntegrationSpec(
            name: try r.member("name").string(), title: try r.member("title").string(),
            description: try r.member("description").string(), type: try r.member("type").enumeration(CredentialType.self),
            allowedDomains: try r.member("allowedDomains").strings(), redirectUris: try r.member("redirectUris").strings(),
            services: try r.member("services").strings(), events: events, isProtected: try r.member("protected").bool(),
            formerNames: try r.member("formerNames").strings())
    }

    /// - Parameter members: the object's members (a recorded registration has its `id` too).
    static func event(_ r: PlanFileReader, members: Set<String> = Members.event) throws(PlanFileError) -> EventRegistrationSpec {
        try r.onlyMembers(members)
        return EventRegistrationSpec(
            name: try r.member("name").string(), provider: try r.member("provider").string(),
            eventCodes: try r.member("eventCodes").strings(), webhookUrl: try r.member("webhookUrl").string())
    }

    static func record(_ r: PlanFileReader) throws(PlanFileError) -> IntegrationRecord {
        try r.onlyMembers(Members.record)
        var registrations: [RegistrationRecord] = []
        for item in try r.member("registrations").array() {
            registrations.append(RegistrationRecord(id: try item.member("id").string(), spec: try event(item, members: Members.registration)))
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
        try r.onlyMembers(Members.integrationId)
        return IntegrationID(
            projectId: try r.member("projectId").string(), workspaceId: try r.member("workspaceId").string(),
            credentialId: try r.member("credentialId").string())
    }
}
