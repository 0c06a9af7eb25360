import KeyformJSON

/// A difference between what the state recorded and what the console holds now, found by a
/// refresh: someone (or another tool) changed the console outside Keyform.
///
/// Drift is reported separately from the plan's actions. The actions are computed against the
/// console as it is now, so an apply brings drifted objects back in line with the manifests
/// (as Terraform does); unmanaged integrations are only mentioned, never touched.
public struct Drift: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// Attributes or services of an integration, or a registration's settings, changed.
        case changed
        /// A registration was added to a managed integration outside Keyform.
        case added
        /// An integration or a registration was deleted outside Keyform.
        case deleted
        /// An integration the console holds but the state does not know.
        case unmanaged
    }

    public var kind: Kind
    /// `stocksearchweb` or `stocksearchweb.events["asset-sync"]`.
    public var address: String
    /// The integration's name as the state records it (the console's name when unmanaged).
    public var integrationName: String
    /// What happened, in words ("changed in the console").
    public var message: String
    /// As the state recorded it; `null` for `added` and `unmanaged`.
    public var before: JSON
    /// As the console holds it now; `null` for `deleted`.
    public var after: JSON

    public init(kind: Kind, address: String, integrationName: String, message: String, before: JSON, after: JSON) {
        self.kind = kind
        self.address = address
        self.integrationName = integrationName
        self.message = message
        self.before = before
        self.after = after
    }
}
