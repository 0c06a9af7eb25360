import KeyformCore

/// The console's credential types (`integration_type`), and how they map onto Keyform's.
public enum ConsoleCredentialType: String, Hashable, Sendable, CaseIterable {
    /// An API key (client id only): `adobeId` credential with `platform: "apiKey"`.
    case apikey
    /// An OAuth web app: `adobeId` credential with `platform: "WebApp"` and redirect URIs.
    case oauthwebapp
    /// OAuth server-to-server (a service account).
    case oauthServerToServer = "oauth_server_to_server"

    public init(_ type: CredentialType) {
        switch type {
        case .apiKey: self = .apikey
        case .oauth: self = .oauthwebapp
        case .serviceAccount: self = .oauthServerToServer
        }
    }

    /// The Keyform credential type this console type implements.
    public var credentialType: CredentialType {
        switch self {
        case .apikey: .apiKey
        case .oauthwebapp: .oauth
        case .oauthServerToServer: .serviceAccount
        }
    }

    /// The console's `flow_type`: `adobeid` for API key and OAuth web app, `entp` for service accounts.
    public var flowType: String {
        self == .oauthServerToServer ? "entp" : "adobeid"
    }

    /// Whether the console generates a client secret for this type.
    public var hasClientSecret: Bool { self != .apikey }
}

/// A credential in a project's workspace, as the console reports it. It deliberately has no
/// field for the client secret: the secret stays inside the engine and its data file.
public struct ConsoleCredential: Hashable, Sendable {
    /// A 19-digit console id (the `id_integration` of the workspace listing).
    public var id: String
    public var projectId: String
    public var workspaceId: String
    public var type: ConsoleCredentialType
    /// The public client id: 32 lowercase hex characters from a cryptographic random source.
    public var apiKey: String
    public var name: String
    public var description: String
    /// Allowed domains (`apikey` only); sorted, unique.
    public var domains: [String]
    /// Redirect URIs (`oauthwebapp` only); sorted, unique. The first is the default one.
    public var redirectUris: [String]
    /// Subscribed service codes; sorted, unique.
    public var services: [String]

    public init(
        id: String, projectId: String, workspaceId: String, type: ConsoleCredentialType, apiKey: String,
        name: String, description: String, domains: [String] = [], redirectUris: [String] = [], services: [String] = []
    ) {
        self.id = id
        self.projectId = projectId
        self.workspaceId = workspaceId
        self.type = type
        self.apiKey = apiKey
        self.name = name
        self.description = description
        self.domains = Array(Set(domains)).sorted()
        self.redirectUris = Array(Set(redirectUris)).sorted()
        self.services = Array(Set(services)).sorted()
    }
}

/// The body of a credential create or edit: everything but the ids, key and secret, which
/// the console generates.
public struct ConsoleCredentialRequest: Hashable, Sendable {
    public var type: ConsoleCredentialType
    public var name: String
    public var description: String
    public var domains: [String]
    public var redirectUris: [String]
    /// Services to subscribe at creation (service-account credentials take them in the create
    /// body); ignored by edits, which leave subscriptions to `setServices`.
    public var services: [String]

    public init(
        type: ConsoleCredentialType, name: String, description: String,
        domains: [String] = [], redirectUris: [String] = [], services: [String] = []
    ) {
        self.type = type
        self.name = name
        self.description = description
        self.domains = domains
        self.redirectUris = redirectUris
        self.services = services
    }
}
