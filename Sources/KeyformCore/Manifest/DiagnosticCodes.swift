import KeyformJSON

/// The stable codes of manifest and configuration diagnostics, with a one-line summary of
/// each (SARIF's rule descriptions, the README's table).
///
/// `KF1xx` JSON syntax (from the parser), `KF2xx` structure (JSON Schema), `KF3xx` manifest
/// semantics, `KF4xx` configuration. A code never changes meaning once released.
public enum DiagnosticCodes {
    // Structure: schema violations (manifests and keyform.json).
    public static let unknownProperty = "KF201"
    public static let missingProperty = "KF202"
    public static let wrongType = "KF203"
    public static let valueNotAllowed = "KF204"
    public static let patternMismatch = "KF205"
    public static let lengthOutOfRange = "KF206"
    public static let itemCountOutOfRange = "KF207"
    public static let schemaViolation = "KF208"

    // Manifest semantics.
    public static let unreadableManifest = "KF300"
    public static let duplicateName = "KF301"
    public static let unknownService = "KF302"
    public static let serviceNotEntitled = "KF303"
    public static let credentialTypeNotSupported = "KF304"
    public static let unknownEventProvider = "KF305"
    public static let unknownEventCode = "KF306"
    public static let allowedDomainsNotOnAPIKey = "KF307"
    public static let redirectURIsOnlyOnOAuth = "KF308"
    public static let insecureURL = "KF309"
    public static let registrationsPerCredential = "KF310"
    public static let registrationsPerOrganization = "KF311"
    public static let formerNameCollision = "KF312"
    public static let secretInManifest = "KF313"
    public static let undefinedEnvironmentVariable = "KF314"
    public static let malformedEnvironmentReference = "KF315"
    public static let duplicateEventName = "KF316"
    public static let noManifests = "KF317"
    public static let genericName = "KF350"
    public static let weakDescription = "KF351"
    public static let catalogRulesSkipped = "KF390"

    // Configuration.
    public static let unreadableConfiguration = "KF401"

    /// One line per code: what the rule checks.
    public static let summaries: [String: String] = [
        unknownProperty: "Unknown property",
        missingProperty: "Missing required property",
        wrongType: "Value of the wrong type",
        valueNotAllowed: "Value not among the allowed ones",
        patternMismatch: "String not in the required form",
        lengthOutOfRange: "String too short or too long",
        itemCountOutOfRange: "Too few or too many items",
        schemaViolation: "Value does not satisfy the schema",
        unreadableManifest: "Manifest path cannot be read",
        duplicateName: "Integration name used more than once",
        unknownService: "Unknown service code",
        serviceNotEntitled: "Service not available to the organization",
        credentialTypeNotSupported: "Service does not support the credential type",
        unknownEventProvider: "Unknown event provider",
        unknownEventCode: "Unknown event code",
        allowedDomainsNotOnAPIKey: "allowedDomains only on apiKey integrations",
        redirectURIsOnlyOnOAuth: "redirectUris required on, and only on, oauth integrations",
        insecureURL: "URL must use https (http only for localhost)",
        registrationsPerCredential: "More than 30 event registrations on one credential",
        registrationsPerOrganization: "More than 2500 event registrations in the organization",
        formerNameCollision: "Former name collides with another name",
        secretInManifest: "Value looks like a secret",
        undefinedEnvironmentVariable: "Undefined environment variable",
        malformedEnvironmentReference: "Malformed ${env:NAME} reference",
        duplicateEventName: "Event registration name used twice in one integration",
        noManifests: "No manifest files found",
        genericName: "Generic integration name or title",
        weakDescription: "Missing or one-word description",
        catalogRulesSkipped: "Catalog rules skipped (--offline)",
        unreadableConfiguration: "Configuration file cannot be read",
    ]

    /// The summary of `code`; JSON syntax codes (`KF1xx`) share one.
    public static func summary(of code: String) -> String {
        if let summary = summaries[code] { return summary }
        if code.hasPrefix("KF1") { return "JSON syntax error" }
        return "Keyform diagnostic"
    }
}
