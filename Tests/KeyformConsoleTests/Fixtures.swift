import Foundation
import KeyformCore
import KeyformTestSupport
@testable import KeyformConsole

enum Fixtures {
    static func apiKeyRequest(_ name: String = "stocksearch", domains: [String] = ["www.example.com"]) -> ConsoleCredentialRequest {
        ConsoleCredentialRequest(type: .apikey, name: name, description: "Stock search", domains: domains)
    }

    static func serviceAccountRequest(_ name: String = "assetsync", services: [String] = []) -> ConsoleCredentialRequest {
        ConsoleCredentialRequest(type: .oauthServerToServer, name: name, description: "Asset sync", services: services)
    }

    static func oauthRequest(_ name: String = "webportal", redirectUris: [String] = ["https://portal.example.com/callback"]) -> ConsoleCredentialRequest {
        ConsoleCredentialRequest(type: .oauthwebapp, name: name, description: "Web portal", redirectUris: redirectUris)
    }

    /// A project with a credential of `request`'s type, named after the request.
    @discardableResult
    static func integration(_ engine: ConsoleEngine, _ request: ConsoleCredentialRequest) throws -> (ConsoleProject, ConsoleCredential) {
        try engine.createProjectWithCredential(name: request.name, title: "Title of \(request.name)", description: "About \(request.name)", credential: request)
    }

    static func registrationRequest(
        _ name: String = "asset-sync", clientId: String, provider: String = "ccstorage",
        codes: [String] = ["asset_created"], url: String = "https://hooks.example.com/adobe"
    ) -> ConsoleRegistrationRequest {
        ConsoleRegistrationRequest(name: name, clientId: clientId, providerId: provider, eventCodes: codes, webhookUrl: url)
    }

    static func attributes(_ name: String, type: CredentialType = .apiKey) -> IntegrationAttributes {
        IntegrationAttributes(
            name: name, title: "Title \(name)", description: "Integration \(name)", type: type,
            allowedDomains: type == .apiKey ? ["www.example.com"] : [],
            redirectUris: type == .oauth ? ["https://example.com/callback"] : [])
    }

    /// The value of every `"clientSecret"` member in a console data file.
    static func storedSecrets(in path: String) -> [String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        var secrets: [String] = []
        var rest = text[...]
        while let range = rest.range(of: "\"clientSecret\"") {
            rest = rest[range.upperBound...]
            guard let open = rest.firstIndex(of: "\"") else { break }
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "\"") else { break }
            secrets.append(String(rest[afterOpen..<close]))
            rest = rest[close...]
        }
        return secrets
    }
}
