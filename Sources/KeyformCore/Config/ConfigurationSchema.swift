import KeyformJSON

/// The configuration schema (`schemas/config.schema.json`, embedded in the binary) and how
/// its violations are worded.
enum ConfigurationSchema {
    static let compiled: Result<CompiledSchema, CompiledSchema.Failure> = CompiledSchema.compile(text, name: "config.schema.json")

    static func diagnostics(for source: SourceFile) -> [Diagnostic] {
        let schema: CompiledSchema
        switch compiled {
        case .success(let compiled): schema = compiled
        case .failure(let failure): return [failure.diagnostic]
        }
        let violations = schema.validator.validate(source.document.root.json)
        if violations.isEmpty { return [] }
        var mapper = SchemaDiagnostics(source: source, schema: schema.document, documentNoun: "keyform.json", describe: describe)
        mapper.patternRules = [
            "consoleUrl": .init(rule: "an http or https URL", repair: { _ in nil }),
            "eventsUrl": .init(rule: "an http or https URL", repair: { _ in nil }),
        ]
        return mapper.diagnostics(for: violations)
    }

    static func describe(_ path: [String], _ source: SourceFile) -> String {
        guard let last = path.last else { return "keyform.json" }
        return "\"\(last)\""
    }
}
