/// Why an `HTTPProvider.Configuration` could not be made. Never quotes a token or key.
public enum HTTPProviderConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A required environment variable (`KEYFORM_ACCESS_TOKEN`, `KEYFORM_API_KEY`) is unset or empty.
    case missingEnvironmentVariable(String)
    /// A credential holds a character that cannot go into an HTTP header (a line break, a control
    /// character or a non-ASCII one). `source` names where it came from.
    case invalidCredential(source: String)
    /// A console or events address is not an absolute `http`/`https` URL.
    case invalidURL(field: String, value: String)
    /// The organization is neither an IMS org code (`…@AdobeOrg`) nor a numeric console id.
    case invalidOrganization(String)
    /// A number that must be positive is not.
    case invalidNumber(field: String, value: Double)

    public var description: String {
        switch self {
        case .missingEnvironmentVariable(let name):
            "\(name) is not set; export it before running Keyform with the http console"
                + " (\(name == HTTPProvider.Configuration.accessTokenVariable ? "an IMS access token for the organization" : "the client id your token was issued to"))"
        case .invalidCredential(let source):
            "\(source) contains a line break, a control or a non-ASCII character; copy the value again without them"
        case .invalidURL(let field, let value):
            "\(field) '\(value)' is not an absolute http or https URL; use e.g. https://developers.adobe.io or http://127.0.0.1:8080"
        case .invalidOrganization(let value):
            "organization '\(value)' is neither an IMS org code ending in @AdobeOrg nor a numeric console id"
        case .invalidNumber(let field, let value):
            "\(field) must be positive, not \(value)"
        }
    }
}
