import Foundation
import KeyformCore

/// A read-only `local` console for a command that may need only the catalog (`keyform plan
/// --no-refresh`): opening it reads and checks the console file — syntax, format,
/// organization and catalog, reported exactly as `LocalProvider.open` reports them — but
/// decodes no project, credential or registration. Those are loaded (by
/// `LocalProvider.open(path:readOnly: true)`, log replayed) the first time anything other
/// than the catalog is asked for, such as the look-up of a create an interrupted apply left
/// pending. For a console of 10,000 integrations this saves decoding and indexing some
/// 20,000 entities that such a plan never reads.
///
/// The catalog cannot change after the console is created (no operation changes it), so the
/// one read at opening stays right even if a writer compacts the console meanwhile.
public final class DeferredLocalProvider: ConsoleProvider, @unchecked Sendable {
    // @unchecked: `loaded` is only touched while `lock` is held; the rest is immutable.
    private let lock = NSLock()
    private var loaded: LocalProvider?
    private let knownCatalog: Catalog

    /// The console file's path.
    public let path: String

    private init(path: String, catalog: Catalog) {
        self.path = path
        self.knownCatalog = catalog
    }

    /// Opens the console kept at `path` for reading (the default catalog when the file does
    /// not exist yet; nothing is created).
    /// - Throws: `ConsoleStoreError` for a damaged or unreadable file.
    public static func open(path: String) throws(ConsoleStoreError) -> DeferredLocalProvider {
        DeferredLocalProvider(path: path, catalog: try ConsoleStore.readCatalog(path: path) ?? .default)
    }

    /// Releases the console if it was loaded.
    public func close() throws(ConsoleStoreError) {
        let provider = lock.withLock { loaded }
        try provider?.close()
    }

    /// The console with everything in it, loaded on first use.
    private func provider() throws(ConsoleStoreError) -> LocalProvider {
        lock.lock()
        defer { lock.unlock() }
        if let loaded { return loaded }
        let provider = try LocalProvider.open(path: path, readOnly: true)
        loaded = provider
        return provider
    }

    public func catalog() async throws -> Catalog {
        knownCatalog
    }

    public func listIntegrations() async throws -> [IntegrationRecord] {
        try await provider().listIntegrations()
    }

    public func integration(named name: String) async throws -> IntegrationRecord? {
        try await provider().integration(named: name)
    }

    // Writes reach the read-only console, which refuses them.

    public func createIntegration(_ attributes: IntegrationAttributes) async throws -> IntegrationRecord {
        try await provider().createIntegration(attributes)
    }

    public func updateIntegration(_ id: IntegrationID, to attributes: IntegrationAttributes) async throws {
        try await provider().updateIntegration(id, to: attributes)
    }

    public func setServices(_ id: IntegrationID, to services: [String]) async throws {
        try await provider().setServices(id, to: services)
    }

    public func createRegistration(_ id: IntegrationID, _ spec: EventRegistrationSpec) async throws -> RegistrationRecord {
        try await provider().createRegistration(id, spec)
    }

    @discardableResult
    public func updateRegistration(_ id: IntegrationID, registrationId: String, to spec: EventRegistrationSpec) async throws -> RegistrationRecord {
        try await provider().updateRegistration(id, registrationId: registrationId, to: spec)
    }

    public func deleteRegistration(_ id: IntegrationID, registrationId: String) async throws {
        try await provider().deleteRegistration(id, registrationId: registrationId)
    }

    /// In process: a failure (a storage error that stopped the engine) does not pass with
    /// waiting, so apply does not retry it.
    public var handlesTransientFailures: Bool { true }

    public func deleteIntegration(_ id: IntegrationID) async throws {
        try await provider().deleteIntegration(id)
    }
}
