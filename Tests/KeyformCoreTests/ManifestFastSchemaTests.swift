@testable import KeyformCore
import KeyformJSON
import Testing

/// The fast path's checks are read from the schema file, not written beside it: a change to
/// the schema changes what it accepts, and a schema it does not understand turns it off
/// (every file then takes the full pipeline) instead of letting it certify too much.
@Suite struct ManifestFastSchemaTests {
    static let manifest = """
        {"integrations": [{"name": "stocksearchweb", "title": "Stock Search Web", "type": "apiKey",
          "description": "Stock search for the marketing site.", "allowedDomains": ["www.example.com"],
          "services": ["StockSDK"]}]}
        """

    static func checks(_ schemaText: String) throws -> (schema: ManifestFastSchema, fields: ManifestFastCheck.Fields)? {
        guard let schema = ManifestFastSchema(try JSON.parse(schemaText)), let fields = ManifestFastCheck.Fields(schema) else { return nil }
        return (schema, fields)
    }

    static func isClean(_ manifest: String, _ checks: (schema: ManifestFastSchema, fields: ManifestFastCheck.Fields)?) -> Bool {
        let catalog = CatalogIndex(.default)
        return ManifestFastCheck.check(
            Array(manifest.utf8), environment: [:], catalog: catalog, tables: .init(catalog, environment: [:]), using: checks) != nil
    }

    @Test func theEmbeddedSchemaCertifiesAValidManifest() throws {
        #expect(Self.isClean(Self.manifest, try Self.checks(EmbeddedSchemas.manifest)))
    }

    /// A stricter name pattern in the schema, and the same manifest is no longer clean.
    @Test func aPatternChangedInTheSchemaChangesTheAnswer() throws {
        let strict = EmbeddedSchemas.manifest.replacingOccurrences(of: #""^[A-Za-z0-9]{3,45}$""#, with: #""^[a-z]{3,5}$""#)
        #expect(strict != EmbeddedSchemas.manifest)
        let checks = try Self.checks(strict)
        #expect(checks != nil)
        #expect(!Self.isClean(Self.manifest, checks))
        #expect(Self.isClean(Self.manifest.replacingOccurrences(of: "stocksearchweb", with: "stock"), checks))
    }

    /// The members an integration may have are the schema's properties.
    @Test func propertiesComeFromTheSchema() throws {
        let protected = Self.manifest.replacingOccurrences(of: #""type": "apiKey","#, with: #""type": "apiKey", "protected": true,"#)
        #expect(Self.isClean(protected, try Self.checks(EmbeddedSchemas.manifest)))
        let renamed = try #require(try Self.checks(
            EmbeddedSchemas.manifest.replacingOccurrences(of: #""protected": {"#, with: #""locked": {"#)))
        #expect(!Self.isClean(protected, renamed))
        #expect(Self.isClean(protected.replacingOccurrences(of: #""protected""#, with: #""locked""#), renamed))
    }

    /// Keywords and shapes the fast checks do not cover make the schema compile to nothing.
    @Test(arguments: [
        (#""additionalProperties": false,"#, #""additionalProperties": false, "minProperties": 1,"#),
        (#""type": "boolean""#, #""type": ["boolean", "null"]"#),
        (#""required": ["#, #""oneOf": [{"required": ["name"]}], "required": ["#),
        (#""minItems": 1,"#, #""minItems": 1, "contains": {"const": "x"},"#),
    ])
    func anUnknownKeywordTurnsTheFastPathOff(_ original: String, _ replacement: String) throws {
        let changed = EmbeddedSchemas.manifest.replacingOccurrences(of: original, with: replacement)
        #expect(changed != EmbeddedSchemas.manifest, "the edit must apply: \(original)")
        #expect(try Self.checks(changed) == nil)
    }
}
