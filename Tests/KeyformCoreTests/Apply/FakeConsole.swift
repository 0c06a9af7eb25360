import Foundation
@testable import KeyformCore

/// An in-memory console for executor unit tests, with scripted faults.
final class FakeConsole: ConsoleProvider, @unchecked Sendable {
    // @unchecked: all state is guarded by `lock`.
    private let lock = NSLock()
    private var records: [String: IntegrationRecord] = [:]
    private var nextId = 1
    private(set) var calls: [String] = []
    /// Errors to throw, in order, for calls whose name starts with the key (e.g. "create").
    var faults: [String: [ConsoleError]] = [:]
    /// When true, a failing create still creates (the answer was lost on the way back).
    var createSucceedsBeforeFailing = false
    /// Webhook URLs the console cannot verify, with the status it reports for them.
    var unverifiedWebhooks: [String: String] = [:]

    func seed(_ record: IntegrationRecord) { lock.withLock { records[record.name] = record } }
    var all: [IntegrationRecord] { lock.withLock { records.values.sorted { $0.name < $1.name } } }

    private func call(_ name: String) throws(ConsoleError) {
        let fault: ConsoleError? = lock.withLock {
            calls.append(name)
            guard var list = faults[name], !list.isEmpty else { return nil }
            let first = list.removeFirst()
            faults[name] = list
            return first
        }
        if let fault { throw fault }
    }

    private func webhookStatus(_ url: String) -> String? { lock.withLock { unverifiedWebhooks[url] } }

    private func newId() -> String { lock.withLock { defer { nextId += 1 }; return String(nextId) } }

    func catalog() async throws -> Catalog { .default }

    func listIntegrations() async throws -> [IntegrationRecord] {
        try call("list")
        return all
    }

    func integration(named name: String) async throws -> IntegrationRecord? {
        try call("get")
        return lock.withLock { records[name] }
    }

    func createIntegration(_ attributes: IntegrationAttributes) async throws -> IntegrationRecord {
        let id = newId()
        let record = IntegrationRecord(
            id: IntegrationID(projectId: "p\(id)", workspaceId: "w\(id)", credentialId: "c\(id)"),
            apiKey: "key\(id)", attributes: attributes)
        do {
            try call("create")
        } catch {
            if createSucceedsBeforeFailing { lock.withLock { records[attributes.name] = record } }
            throw error
        }
        return try lock.withLock { () throws -> IntegrationRecord in
            if records[attributes.name] != nil { throw ConsoleError.conflict(what: attributes.name, existingId: nil, request: nil) }
            records[attributes.name] = record
            return record
        }
    }

    private func mutate(_ id: IntegrationID, _ change: (inout IntegrationRecord) -> Void) throws {
        try lock.withLock { () throws in
            guard let name = records.first(where: { $0.value.id == id })?.key, var record = records[name] else {
                throw ConsoleError.notFound(what: id.projectId, request: nil)
            }
            records[name] = nil
            change(&record)
            records[record.name] = record
        }
    }

    func updateIntegration(_ id: IntegrationID, to attributes: IntegrationAttributes) async throws {
        try call("update")
        try mutate(id) { $0.attributes = attributes }
    }

    func setServices(_ id: IntegrationID, to services: [String]) async throws {
        try call("services")
        try mutate(id) { $0.services = services }
    }

    func createRegistration(_ id: IntegrationID, _ spec: EventRegistrationSpec) async throws -> RegistrationRecord {
        let registration = RegistrationRecord(id: "r" + newId(), spec: spec, unverifiedWebhook: webhookStatus(spec.webhookUrl))
        try call("register")
        try mutate(id) { $0.registrations.append(registration) }
        return registration
    }

    @discardableResult
    func updateRegistration(_ id: IntegrationID, registrationId: String, to spec: EventRegistrationSpec) async throws -> RegistrationRecord {
        try call("update-registration")
        let updated = RegistrationRecord(id: registrationId, spec: spec, unverifiedWebhook: webhookStatus(spec.webhookUrl))
        try mutate(id) { record in
            record.registrations = record.registrations.map { $0.id == registrationId ? updated : $0 }
        }
        return updated
    }

    func deleteRegistration(_ id: IntegrationID, registrationId: String) async throws {
        try call("deregister")
        try mutate(id) { $0.registrations.removeAll { $0.id == registrationId } }
    }

    func deleteIntegration(_ id: IntegrationID) async throws {
        try call("delete")
        lock.withLock {
            if let name = records.first(where: { $0.value.id == id })?.key { records[name] = nil }
        }
    }
}

/// A journal that keeps entries in memory.
final class MemoryJournal: StateJournal, @unchecked Sendable {
    // @unchecked: `entries` is guarded by `lock`.
    private let lock = NSLock()
    private var stored: [StateChange] = []
    func append(_ change: StateChange) throws { lock.withLock { stored.append(change) } }
    func close() throws {}
    var entries: [StateChange] { lock.withLock { stored } }
}
