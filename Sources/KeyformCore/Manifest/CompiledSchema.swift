import KeyformJSON

/// A schema embedded in the binary, parsed and compiled once.
struct CompiledSchema: Sendable {
    /// The schema document (to read descriptions and limits from when wording diagnostics).
    let document: JSON
    let validator: JSONSchema

    /// Why an embedded schema could not be used: a broken build, never the user's input.
    struct Failure: Error, Sendable {
        let diagnostic: Diagnostic
    }

    static func compile(_ text: String, name: String) -> Result<CompiledSchema, Failure> {
        let document: JSON
        do {
            document = try JSON.parse(text)
        } catch {
            return .failure(Failure(diagnostic: internalError("\(name) is not valid JSON: \(error.message)")))
        }
        do {
            return .success(CompiledSchema(document: document, validator: try JSONSchema(compiling: document)))
        } catch {
            return .failure(Failure(diagnostic: internalError("\(name) does not compile: \(error)")))
        }
    }

    private static func internalError(_ message: String) -> Diagnostic {
        .error(DiagnosticCodes.schemaViolation, "internal error: the embedded \(message); please report this")
    }
}
