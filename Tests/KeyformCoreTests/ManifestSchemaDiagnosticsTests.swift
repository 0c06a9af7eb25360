@testable import KeyformCore
import KeyformJSON
import Testing

/// How schema violations are worded when they do not come from the manifest schema's own
/// keywords: any other keyword falls back to KF208 with the validator's message, at the value.
@Suite struct ManifestSchemaDiagnosticsTests {
    static func diagnostics(schema schemaText: String, instance: String) throws -> [Diagnostic] {
        let schema = try JSON.parse(schemaText)
        let document = try JSONDocument.parse(instance, file: "x.json")
        let source = SourceFile(path: "x.json", document: document)
        let mapper = SchemaDiagnostics(source: source, schema: schema, documentNoun: "a file", describe: { path, _ in
            path.last.map { "\"\($0)\"" } ?? "the file"
        })
        return mapper.diagnostics(for: try JSONSchema(compiling: schema).validate(document.root.json))
    }

    @Test func otherKeywordsFallBackToKF208AtTheValue() throws {
        let diagnostics = try Self.diagnostics(
            schema: #"{"properties": {"count": {"minimum": 3}, "tags": {"uniqueItems": true}}}"#,
            instance: "{\"count\": 1,\n \"tags\": [\"a\", \"a\"]}")
        #expect(diagnostics.map { "\($0.location?.line ?? 0):\($0.location?.column ?? 0) \($0.code)" } == ["1:11 KF208", "2:16 KF208"])
        #expect(diagnostics.first?.message.hasPrefix("\"count\" ") == true)
    }

    @Test func aMissingPropertyHelpQuotesItsDescription() throws {
        let diagnostics = try Self.diagnostics(
            schema: #"{"required": ["org"], "properties": {"org": {"description": "The organization."}}}"#, instance: "{}")
        #expect(diagnostics.map(\.code) == ["KF202"])
        #expect(diagnostics.first?.message == "the file is missing \"org\"")
        #expect(diagnostics.first?.suggestion == "add \"org\": the organization.")
    }

    /// What a conditional forbids for this object is neither listed nor suggested: an apiKey
    /// integration may not have `redirectUris` (it was offered for a misspelt `redirectUri`).
    @Test func anUnknownPropertyIsNotOfferedWhatAConditionalForbidsHere() throws {
        let schema = #"""
            {"properties": {"type": {}, "redirectUris": {}, "services": {}}, "additionalProperties": false,
             "allOf": [{"if": {"properties": {"type": {"const": "apiKey"}}, "required": ["type"]},
                        "then": {"properties": {"redirectUris": false}}}]}
            """#
        let apiKey = try Self.diagnostics(schema: schema, instance: #"{"type": "apiKey", "redirectUri": []}"#)
        #expect(apiKey.map(\.code) == ["KF201"])
        #expect(apiKey.first?.notes.map(\.message) == ["the file may have: type, services"])
        #expect(apiKey.first?.suggestion == "remove it")
        let oauth = try Self.diagnostics(schema: schema, instance: #"{"type": "oauth", "redirectUri": []}"#)
        #expect(oauth.first?.notes.map(\.message) == ["the file may have: type, redirectUris, services"])
        #expect(oauth.first?.suggestion == "did you mean 'redirectUris'?")
    }
}
