import KeyformJSON

/// The JSON form of plans and of the values they carry (the format `schemas/plan.schema.json`
/// documents). Members are written in a fixed order, so equal plans give equal bytes.
extension PlanFile {
    /// The plan as a JSON object, without the checksum.
    public static func json(_ plan: Plan) -> JSON {
        .object([
            JSONMember("formatVersion", .number(plan.formatVersion)),
            JSONMember("id", .string(plan.id)),
            JSONMember("createdAt", .string(plan.createdAt)),
            JSONMember("stateLineage", optional(plan.stateLineage)),
            JSONMember("stateSerial", plan.stateSerial.map { .number($0) } ?? .null),
            JSONMember("stateDigest", optional(plan.stateDigest)),
            JSONMember("catalogDigest", .string(plan.catalogDigest)),
            JSONMember("refreshed", .bool(plan.refreshed)),
            JSONMember("summary", json(plan.summary)),
            JSONMember("drift", .array(plan.drift.map(json))),
            JSONMember("actions", .array(plan.actions.map(json))),
            JSONMember("stateRefresh", .array(plan.stateRefresh.map(json))),
        ])
    }

    static func json(_ summary: PlanSummary) -> JSON {
        .object([
            JSONMember("create", .number(summary.toCreate)),
            JSONMember("update", .number(summary.toUpdate)),
            JSONMember("delete", .number(summary.toDelete)),
            JSONMember("unchanged", .number(summary.unchanged)),
            JSONMember("actions", .object(summary.actionCounts.map { JSONMember($0.kind.rawValue, .number($0.count)) })),
        ])
    }

    static func json(_ drift: Drift) -> JSON {
        .object([
            JSONMember("kind", .string(drift.kind.rawValue)),
            JSONMember("address", .string(drift.address)),
            JSONMember("integration", .string(drift.integrationName)),
            JSONMember("message", .string(drift.message)),
            JSONMember("before", drift.before),
            JSONMember("after", drift.after),
        ])
    }

    static func json(_ action: PlanAction) -> JSON {
        var members: [JSONMember] = [
            JSONMember("id", .string(action.id)),
            JSONMember("kind", .string(action.kind.rawValue)),
            JSONMember("address", .string(action.address)),
            JSONMember("integration", .string(action.integrationName)),
            JSONMember("stateName", optional(action.stateName)),
            JSONMember("integrationId", action.integrationId.map(json) ?? .null),
            JSONMember("reason", .string(action.reason)),
            JSONMember("replacement", .bool(action.isReplacement)),
            JSONMember("dependsOn", PlanValue.strings(action.dependsOn)),
            JSONMember("before", action.before),
            JSONMember("after", action.after),
            JSONMember("afterUnknown", PlanValue.strings(action.afterUnknown)),
        ]
        switch action.operation {
        case .create(let spec), .update(let spec):
            members.append(JSONMember("spec", json(spec)))
        case .rename(let from, let spec):
            members.append(JSONMember("formerName", .string(from)))
            members.append(JSONMember("spec", json(spec)))
        case .subscribe(let services):
            members.append(JSONMember("services", PlanValue.strings(services)))
        case .register(let event):
            members.append(JSONMember("event", json(event)))
        case .updateRegistration(let registrationId, let event):
            members.append(JSONMember("registrationId", .string(registrationId)))
            members.append(JSONMember("event", json(event)))
        case .deregister(let registrationId, let name):
            members.append(JSONMember("registrationId", .string(registrationId)))
            members.append(JSONMember("registrationName", .string(name)))
        case .delete, .noOp:
            break
        }
        return .object(members)
    }

    static func json(_ change: StateChange) -> JSON {
        switch change {
        case .intent(let name):
            .object([JSONMember("op", "intent"), JSONMember("name", .string(name))])
        case .upsert(let record, let formerName):
            .object([
                JSONMember("op", "upsert"), JSONMember("record", json(record)),
                JSONMember("formerName", optional(formerName)),
            ])
        case .remove(let name):
            .object([JSONMember("op", "remove"), JSONMember("name", .string(name))])
        }
    }

    static func json(_ spec: IntegrationSpec) -> JSON {
        .object([
            JSONMember("name", .string(spec.name)),
            JSONMember("title", .string(spec.title)),
            JSONMember("description", .string(spec.description)),
            JSONMember("type", .string(spec.type.rawValue)),
            JSONMember("allowedDomains", PlanValue.strings(spec.allowedDomains)),
            JSONMember("redirectUris", PlanValue.strings(spec.redirectUris)),
            JSONMember("services", PlanValue.strings(spec.services)),
            JSONMember("events", .array(spec.events.map(json))),
            JSONMember("protected", .bool(spec.isProtected)),
            JSONMember("formerNames", PlanValue.strings(spec.formerNames)),
        ])
    }

    static func json(_ event: EventRegistrationSpec) -> JSON {
        .object([
            JSONMember("name", .string(event.name)),
            JSONMember("provider", .string(event.provider)),
            JSONMember("eventCodes", PlanValue.strings(event.eventCodes)),
            JSONMember("webhookUrl", .string(event.webhookUrl)),
        ])
    }

    static func json(_ record: IntegrationRecord) -> JSON {
        .object([
            JSONMember("name", .string(record.attributes.name)),
            JSONMember("title", .string(record.attributes.title)),
            JSONMember("description", .string(record.attributes.description)),
            JSONMember("type", .string(record.attributes.type.rawValue)),
            JSONMember("allowedDomains", PlanValue.strings(record.attributes.allowedDomains)),
            JSONMember("redirectUris", PlanValue.strings(record.attributes.redirectUris)),
            JSONMember("apiKey", .string(record.apiKey)),
            JSONMember("id", json(record.id)),
            JSONMember("services", PlanValue.strings(record.services)),
            JSONMember("registrations", .array(record.registrations.map { registration in
                .object([JSONMember("id", .string(registration.id))] + (json(registration.spec).objectValue ?? []))
            })),
            JSONMember("protected", .bool(record.isProtected)),
        ])
    }

    static func json(_ id: IntegrationID) -> JSON {
        .object([
            JSONMember("projectId", .string(id.projectId)),
            JSONMember("workspaceId", .string(id.workspaceId)),
            JSONMember("credentialId", .string(id.credentialId)),
        ])
    }

    private static func optional(_ value: String?) -> JSON {
        value.map { .string($0) } ?? .null
    }
}
