import KeyformCore
import KeyformJSON

/// The checks the console makes on request bodies before it changes anything. Each refusal
/// is a `ConsoleError` that says what is wrong and what would be accepted.
enum ConsoleRules {
    static let maxDescriptionLength = 1000
    static let maxWebhookUrlLength = 4000

    /// Project and credential names: `^[A-Za-z0-9]{3,45}$`.
    static func checkName(_ name: String, of what: String) throws(ConsoleError) {
        let valid = (3...45).contains(name.utf8.count) && name.utf8.allSatisfy(isLetterOrDigit)
        if !valid {
            throw .invalid("\(what) name '\(name)' must be 3 to 45 letters or digits (A-Z, a-z, 0-9)", request: nil)
        }
    }

    /// Project titles: 3 to 45 letters, digits and spaces.
    static func checkTitle(_ title: String) throws(ConsoleError) {
        let valid = (3...45).contains(title.count) && title.unicodeScalars.allSatisfy { $0 == " " || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
        if !valid { throw .invalid("project title '\(title)' must be 3 to 45 letters, digits or spaces", request: nil) }
    }

    static func checkDescription(_ description: String, of what: String) throws(ConsoleError) {
        if description.count > maxDescriptionLength {
            throw .invalid("\(what) description has \(description.count) characters; at most \(maxDescriptionLength) are allowed", request: nil)
        }
    }

    /// Domains belong to API key credentials, redirect URIs to OAuth web apps (which need at
    /// least one); service-account credentials have neither.
    static func checkCredential(_ request: ConsoleCredentialRequest) throws(ConsoleError) {
        try checkName(request.name, of: "credential")
        try checkDescription(request.description, of: "credential")
        if request.type != .apikey, !request.domains.isEmpty {
            throw .invalid("allowed domains apply to API key credentials only, not to \(request.type.rawValue)", request: nil)
        }
        for domain in request.domains where domain.isEmpty || domain.contains(where: { $0 == " " || $0 == "/" }) {
            throw .invalid("allowed domain '\(domain)' is not a host name", request: nil)
        }
        if request.type != .oauthwebapp, !request.redirectUris.isEmpty {
            throw .invalid("redirect URIs apply to OAuth web app credentials only, not to \(request.type.rawValue)", request: nil)
        }
        if request.type == .oauthwebapp, request.redirectUris.isEmpty {
            throw .invalid("an OAuth web app credential needs at least one redirect URI", request: nil)
        }
        for uri in request.redirectUris where !isAcceptedURL(uri, maxLength: 2000) {
            throw .invalid("redirect URI '\(uri)' must be an https URL (http only for localhost or 127.0.0.1)", request: nil)
        }
    }

    /// Checks a whole service list for a credential type and returns it sorted and unique.
    static func checkServices(_ services: [String], for type: ConsoleCredentialType, in catalog: Catalog) throws(ConsoleError) -> [String] {
        let unique = Array(Set(services)).sorted()
        for code in unique {
            guard let service = catalog.service(code) else {
                var message = "unknown service '\(code)'"
                if let guess = closest(code, among: catalog.services.map(\.code)) { message += "; did you mean '\(guess)'?" }
                throw .invalid(message, request: nil)
            }
            guard service.isEntitled else { throw .notEntitled(service: code, request: nil) }
            guard service.credentialTypes.contains(type.credentialType) else {
                throw .unsupportedCredentialType(service: code, type: type.credentialType, supported: service.credentialTypes, request: nil)
            }
        }
        return unique
    }

    /// Name, event provider, event codes and webhook URL of a registration body.
    static func checkRegistration(_ request: ConsoleRegistrationRequest, in catalog: Catalog) throws(ConsoleError) {
        if !(3...255).contains(request.name.count) {
            throw .invalid("registration name '\(request.name)' must have 3 to 255 characters", request: nil)
        }
        if request.description.count > 5000 {
            throw .invalid("registration description has \(request.description.count) characters; at most 5000 are allowed", request: nil)
        }
        guard let provider = catalog.eventProvider(request.providerId) else {
            var message = "unknown event provider '\(request.providerId)'"
            if let guess = closest(request.providerId, among: catalog.eventProviders.map(\.id)) { message += "; did you mean '\(guess)'?" }
            throw .invalid(message, request: nil)
        }
        if request.eventCodes.isEmpty {
            throw .invalid("registration '\(request.name)' has no event codes; name at least one of \(provider.id)'s", request: nil)
        }
        for code in Set(request.eventCodes).sorted() where !provider.eventCodes.contains(code) {
            let known = provider.eventCodes.sorted().joined(separator: ", ")
            throw .invalid("unknown event code '\(code)' for provider '\(provider.id)' (known: \(known))", request: nil)
        }
        if !isAcceptedURL(request.webhookUrl, maxLength: maxWebhookUrlLength) {
            throw .invalid("webhook URL '\(request.webhookUrl)' must be an https URL of at most \(maxWebhookUrlLength) characters (http only for localhost or 127.0.0.1)", request: nil)
        }
    }

    /// `https://host…`, or `http://` to localhost or 127.0.0.1 (for testing).
    static func isAcceptedURL(_ url: String, maxLength: Int) -> Bool {
        guard url.count <= maxLength, !url.contains(where: { $0 == " " || $0.isNewline }) else { return false }
        if url.hasPrefix("https://") { return url.count > "https://".count && !url.hasPrefix("https:///") }
        for local in ["http://localhost", "http://127.0.0.1"] where url.hasPrefix(local) {
            let rest = url.dropFirst(local.count)
            if rest.isEmpty || rest.hasPrefix(":") || rest.hasPrefix("/") || rest.hasPrefix("?") { return true }
        }
        return false
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    /// The closest candidate by edit distance, when it is close enough to be a likely typo.
    private static func closest(_ word: String, among candidates: [String]) -> String? {
        Suggestion.closest(to: word, among: candidates)
    }
}
