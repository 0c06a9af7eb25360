import KeyformCore

/// I/O Events registrations of a workspace (Events API: `/events/{c}/{p}/{w}/registrations…`).
extension ConsoleEngine {
    /// The registrations of a workspace, sorted by name (not paged).
    public func registrations(projectId: String, workspaceId: String) throws(ConsoleError) -> [ConsoleRegistration] {
        try read { state throws(ConsoleError) in
            _ = try Self.existingWorkspace(projectId, workspaceId, in: state)
            return state.registrations(inWorkspace: workspaceId)
        }
    }

    public func registration(projectId: String, workspaceId: String, registrationId: String) throws(ConsoleError) -> ConsoleRegistration {
        try read { state throws(ConsoleError) in try Self.existingRegistration(projectId, workspaceId, registrationId, in: state) }
    }

    /// Registers a webhook for event codes of one provider, for the workspace's credential.
    /// - Throws: `.notFound` for an unknown project or workspace; `.invalid` for a client id
    ///   that is not the workspace's credential, an unknown provider or event code, or a bad
    ///   name or URL; `.conflict` with the holder's id when the name is taken in the
    ///   workspace; `.quotaExceeded` at the quotas (30 registrations per credential, 2500 per
    ///   organization, unless the engine's `quotas` say otherwise).
    public func createRegistration(projectId: String, workspaceId: String, _ request: ConsoleRegistrationRequest) throws(ConsoleError) -> ConsoleRegistration {
        try perform(Self.createRegistrationOperation(projectId: projectId, workspaceId: workspaceId, request))
    }

    static func createRegistrationOperation(projectId: String, workspaceId: String, _ request: ConsoleRegistrationRequest) -> ConsoleOperation<ConsoleRegistration> {
        ConsoleOperation { state, identifiers, quotas throws(ConsoleError) in
            _ = try Self.existingWorkspace(projectId, workspaceId, in: state)
            guard let credential = state.credential(inWorkspace: workspaceId), credential.apiKey == request.clientId else {
                throw .invalid("client_id '\(request.clientId)' is not the API key of the credential of workspace \(workspaceId)", request: nil)
            }
            try ConsoleRules.checkRegistration(request, in: state.catalog)
            if let existing = state.registrationIdsByWorkspace[workspaceId]?[request.name] {
                throw .conflict(what: "registration name '\(request.name)' in workspace \(workspaceId)", existingId: existing, request: nil)
            }
            let perCredential = state.registrationCountsByClient[credential.apiKey] ?? 0
            if perCredential >= quotas.registrationsPerCredential {
                throw .quotaExceeded(
                    "credential '\(credential.name)' has \(perCredential) event registrations, the most one credential may have; delete one first",
                    request: nil)
            }
            if state.registrations.count >= quotas.registrationsPerOrganization {
                throw .quotaExceeded(
                    "the organization has \(state.registrations.count) event registrations, the most it may have; delete one first",
                    request: nil)
            }
            let registration = ConsoleRegistration(
                id: identifiers.freshRegistrationId(in: state), numericId: identifiers.freshNumericId(in: state),
                name: request.name, description: request.description, projectId: projectId, workspaceId: workspaceId,
                clientId: credential.apiKey, providerId: request.providerId, eventCodes: request.eventCodes,
                webhookUrl: request.webhookUrl, enabled: request.enabled, webhookStatus: request.webhookStatus)
            return (registration, [.putRegistration(registration)])
        }
    }

    /// Replaces a registration's name, description, provider, event codes, webhook URL and
    /// status (`PUT`); its ids and client id stay.
    /// - Throws: as `createRegistration`, except quotas; `.notFound` for an unknown registration.
    @discardableResult
    public func updateRegistration(
        projectId: String, workspaceId: String, registrationId: String, _ request: ConsoleRegistrationRequest
    ) throws(ConsoleError) -> ConsoleRegistration {
        try perform(Self.updateRegistrationOperation(projectId: projectId, workspaceId: workspaceId, registrationId: registrationId, request))
    }

    static func updateRegistrationOperation(
        projectId: String, workspaceId: String, registrationId: String, _ request: ConsoleRegistrationRequest
    ) -> ConsoleOperation<ConsoleRegistration> {
        ConsoleOperation { state, _, quotas throws(ConsoleError) in
            var registration = try Self.existingRegistration(projectId, workspaceId, registrationId, in: state)
            try ConsoleRules.checkRegistration(request, in: state.catalog)
            if let existing = state.registrationIdsByWorkspace[workspaceId]?[request.name], existing != registrationId {
                throw .conflict(what: "registration name '\(request.name)' in workspace \(workspaceId)", existingId: existing, request: nil)
            }
            registration.name = request.name
            registration.description = request.description
            registration.providerId = request.providerId
            registration.eventCodes = Array(Set(request.eventCodes)).sorted()
            registration.webhookUrl = request.webhookUrl
            registration.enabled = request.enabled
            registration.webhookStatus = request.webhookStatus
            return (registration, [.putRegistration(registration)])
        }
    }

    public func deleteRegistration(projectId: String, workspaceId: String, registrationId: String) throws(ConsoleError) {
        try perform(Self.deleteRegistrationOperation(projectId: projectId, workspaceId: workspaceId, registrationId: registrationId))
    }

    static func deleteRegistrationOperation(projectId: String, workspaceId: String, registrationId: String) -> ConsoleOperation<Void> {
        ConsoleOperation { state, _, quotas throws(ConsoleError) in
            _ = try Self.existingRegistration(projectId, workspaceId, registrationId, in: state)
            return ((), [.deleteRegistration(id: registrationId)])
        }
    }

    static func existingRegistration(
        _ projectId: String, _ workspaceId: String, _ registrationId: String, in state: ConsoleState
    ) throws(ConsoleError) -> ConsoleRegistration {
        _ = try existingWorkspace(projectId, workspaceId, in: state)
        guard let registration = state.registrations[registrationId], registration.workspaceId == workspaceId else {
            throw .notFound(what: "registration \(registrationId) in workspace \(workspaceId)", request: nil)
        }
        return registration
    }
}
