@testable import KeyformCore
import Testing

/// The secret detector and the generic-name lint, value by value.
@Suite struct ManifestSecretAndLintTests {
    @Test(arguments: [
        ("p8e-Xk2mR9vQ7wLpT4nB6yH1cJ8dF3sG5aZ0", "description", SecretDetector.Kind.clientSecret),
        ("secret: p8e-Xk2mR9vQ7wLpT4nB6yH1cJ8dF3sG", "title", .clientSecret),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIEow", "description", .privateKey),
        ("-----BEGIN PRIVATE KEY-----", "description", .privateKey),
        ("Authorization: Bearer abcdefghijklmnop1234", "description", .bearerToken),
        ("bearer 0123456789abcdef0123", "name", .bearerToken),
        ("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJrZXlmb3JtIn0.c2ln", "webhookUrl", .jsonWebToken),
        ("https://h.example.com/a?k=9f86d081884c7d659a2feaa0c55ad015", "webhookUrl", .randomToken),
        ("token Zm9vYmFyQmF6UXV4MTIzNDU2Nzg5MGFiY2RlZkdI", "description", .randomToken),
    ] as [(String, String, SecretDetector.Kind)])
    func secretsAreRecognised(_ value: String, _ field: String, _ kind: SecretDetector.Kind) {
        #expect(SecretDetector.inspect(value, field: field) == kind)
    }

    @Test(arguments: [
        ("Adobe Stock search for the marketing site's image picker.", "description"),
        ("https://hooks.example.com/adobe/assets", "webhookUrl"),
        // A UUID is an identifier, not a secret: its dashes keep the runs short and mixed.
        ("https://hooks.example.com/9f86d081-884c-7d65-9a2f-eaa0c55ad015", "webhookUrl"),
        ("internationalization_and_localization_of_the_portal", "description"),
        // A 32-digit hex name is a public id (names are exempt from the random-token check).
        ("9f86d081884c7d659a2feaa0c55ad015", "name"),
        ("9f86d081884c7d659a2feaa0c55ad015", "formerNames"),
        ("00000000000000000000000000000000", "description"),
        ("p8e-short", "description"),
        ("The bearer of this integration is the web team.", "description"),
    ])
    func ordinaryValuesAreNotSecrets(_ value: String, _ field: String) {
        #expect(SecretDetector.inspect(value, field: field) == nil)
    }

    @Test(arguments: [
        "My Test App", "MyTestApp", "test", "Test 2", "demo", "demo1", "Sample", "untitled", "Untitled Project",
        "example", "New Project", "myapp", "hello world", "123", "API Key",
    ])
    func genericNamesAreRecognised(_ value: String) {
        #expect(GenericNameLint.isGeneric(value))
    }

    @Test(arguments: [
        "stocksearchweb", "Stock Search Web", "Demonstration Portal", "Template Renderer", "assethooks", "Testimonials Feed",
        "creativeassetsync", "",
    ])
    func specificNamesAreNotGeneric(_ value: String) {
        #expect(!GenericNameLint.isGeneric(value))
    }
}
