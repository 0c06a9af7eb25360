import KeyformCore

/// The registration quotas an engine enforces: the real console's unless a caller raises
/// them (a benchmark of 10,000 integrations with one registration each needs more than the
/// organization's 2,500).
public struct ConsoleQuotas: Hashable, Sendable {
    public var registrationsPerCredential: Int
    public var registrationsPerOrganization: Int

    public init(
        registrationsPerCredential: Int = Catalog.registrationsPerCredential,
        registrationsPerOrganization: Int = Catalog.registrationsPerOrganization
    ) {
        self.registrationsPerCredential = registrationsPerCredential
        self.registrationsPerOrganization = registrationsPerOrganization
    }

    /// The real console's: 30 per credential, 2,500 per organization.
    public static let console = ConsoleQuotas()
}
