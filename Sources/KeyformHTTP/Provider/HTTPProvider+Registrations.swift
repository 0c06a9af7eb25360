import KeyformCore

extension HTTPProvider {
    /// Creates a webhook registration for the integration's credential. A 409 with
    /// `x-conflicting-id` (the name is taken in the workspace) adopts that registration, and
    /// an ambiguous POST adopts one of the same name; an adopted registration is replaced with
    /// `spec` when it differs. The answer's `webhook_status` (of the replacement, when there
    /// was one) becomes the record's `unverifiedWebhook`.
    public func createRegistration(_ id: IntegrationID, _ spec: EventRegistrationSpec) async throws -> RegistrationRecord {
        let org = try await organization()
        let clientId = try await apiKey(of: id, org: org.id)
        do {
            return try await client.create(
                ConsoleRoutes.createRegistration(org: org.id, id: id, clientId: clientId, spec), imsOrg: org.code,
                decode: { reply in
                    let created = try ConsoleDecoding.registration(reply)
                    return RegistrationRecord(id: created.id, spec: spec, unverifiedWebhook: created.unverifiedWebhook)
                },
                lookup: {
                    guard let found = try await registrations(org: org, id: id).first(where: { $0.name == spec.name }) else { return nil }
                    return try await converge(found, to: spec, id: id, org: org)
                })
        } catch ConsoleError.conflict(_, let existingId?, _) {
            let request = ConsoleRoutes.registration(org: org.id, id: id, registrationId: existingId)
            let found = try ConsoleDecoding.registration(try await client.send(request, imsOrg: org.code))
            return try await converge(found, to: spec, id: id, org: org)
        }
    }

    /// Replaces the registration (`PUT`: the create body without `client_id`); the answer's
    /// `webhook_status`, when it has one, becomes the record's `unverifiedWebhook`.
    @discardableResult
    public func updateRegistration(_ id: IntegrationID, registrationId: String, to spec: EventRegistrationSpec) async throws -> RegistrationRecord {
        let org = try await organization()
        let reply = try await client.send(
            ConsoleRoutes.replaceRegistration(org: org.id, id: id, registrationId: registrationId, spec), imsOrg: org.code)
        return RegistrationRecord(id: registrationId, spec: spec, unverifiedWebhook: ConsoleDecoding.unverifiedWebhook(reply))
    }

    /// Deletes the registration; one already gone counts as deleted.
    public func deleteRegistration(_ id: IntegrationID, registrationId: String) async throws {
        let org = try await organization()
        do {
            _ = try await client.send(ConsoleRoutes.deleteRegistration(org: org.id, id: id, registrationId: registrationId), imsOrg: org.code)
        } catch ConsoleError.notFound {
            return
        }
    }

    // MARK: Building blocks

    /// An adopted registration, replaced with `spec` unless it already matches (then its
    /// webhook status is the one read).
    private func converge(_ found: RegistrationRecord, to spec: EventRegistrationSpec, id: IntegrationID, org: ConsoleOrganization) async throws -> RegistrationRecord {
        guard found.spec != spec else { return found }
        return try await updateRegistration(id, registrationId: found.id, to: spec)
    }

    /// The credential's API key (the registration's `client_id`): remembered, else read.
    private func apiKey(of id: IntegrationID, org: String) async throws -> String {
        if let known = await memory.apiKey(of: id.credentialId) { return known }
        let reply = try await client.send(ConsoleRoutes.credential(org: org, credentialId: id.credentialId))
        let json = try reply.fields.object(try reply.json())
        let apiKey = try reply.fields.string(json, ConsoleRoutes.Field.apiKeyOnRead)
        await memory.remember(credentialId: id.credentialId, flowType: nil, apiKey: apiKey)
        return apiKey
    }
}
