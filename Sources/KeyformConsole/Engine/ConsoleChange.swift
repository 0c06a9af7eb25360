/// One change to the console's data. A mutating operation validates its request against the
/// current state and produces a list of changes; the engine applies them in memory and logs
/// them as one record, so an operation is durable and replayed as a whole or not at all.
///
/// Changes carry whole entities ("put") rather than deltas, so applying one is idempotent
/// and never fails.
enum ConsoleChange: Hashable, Sendable {
    case putProject(ConsoleProject)
    case deleteProject(id: String)
    /// `secret` is set when the credential is created; `nil` keeps the stored one.
    case putCredential(ConsoleCredential, secret: String?)
    case deleteCredential(id: String)
    case putRegistration(ConsoleRegistration)
    case deleteRegistration(id: String)
}
