import KeyformJSON

/// The manifest schema (`schemas/manifest.schema.json`, embedded in the binary so that
/// Keyform works from any directory) and how its violations are worded.
enum ManifestSchema {
    /// The parsed schema document and its compiled validator, built once.
    static let compiled: Result<CompiledSchema, CompiledSchema.Failure> = CompiledSchema.compile(text, name: "manifest.schema.json")

    /// The schema's diagnostics for one manifest file (validated after `${env:…}` substitution).
    ///
    /// A valid file (the usual case) is recognised on the parser's tape; only a file that is
    /// not is materialized and validated again to collect every violation.
    /// - Parameter inPlace: false validates the materialized tree only (what tests compare with).
    static func diagnostics(for source: SourceFile, inPlace: Bool = true) -> [Diagnostic] {
        let schema: CompiledSchema
        switch compiled {
        case .success(let compiled): schema = compiled
        case .failure(let failure): return [failure.diagnostic]
        }
        if inPlace, schema.validator.isValid(source.document.root, replacing: source.replacements) { return [] }
        let violations = schema.validator.validate(source.substitutedJSON())
        if violations.isEmpty { return [] }
        var mapper = SchemaDiagnostics(source: source, schema: schema.document, documentNoun: "a manifest file", describe: describe)
        mapper.conditionalCodes = [
            "allowedDomains": DiagnosticCodes.allowedDomainsNotOnAPIKey,
            "redirectUris": DiagnosticCodes.redirectURIsOnlyOnOAuth,
        ]
        mapper.conditionalMessage = conditionalMessage
        mapper.patternRules = patternRules
        return mapper.diagnostics(for: violations)
    }

    /// "the manifest", "integration 'stocksearchweb'", "event registration 'asset-sync'".
    static func describe(_ path: [String], _ source: SourceFile) -> String {
        let root = source.document.root
        switch path.count {
        case 0:
            return "the manifest"
        case 2 where path[0] == "integrations":
            guard let index = Int(path[1]) else { break }
            if let name = root["integrations"]?[index]?["name"].flatMap(source.string) { return "integration '\(Diagnostic.abbreviated(name))'" }
            return "integration \(index + 1)"
        case 4 where path[0] == "integrations" && path[2] == "events":
            guard let index = Int(path[1]), let event = Int(path[3]) else { break }
            if let name = root["integrations"]?[index]?["events"]?[event]?["name"].flatMap(source.string) {
                return "event registration '\(Diagnostic.abbreviated(name))'"
            }
            return "event registration \(event + 1) of \(describe(Array(path.prefix(2)), source))"
        default:
            break
        }
        return path.last.map { "\"\($0)\"" } ?? "the manifest"
    }

    static func conditionalMessage(
        _ property: String, required: Bool, path: [String], source: SourceFile
    ) -> (String, String) {
        let integration = source.document.resolve(JSONPointer(tokens: path))
        let name = integration?["name"].flatMap(source.string).map { "'\(Diagnostic.abbreviated($0))'" } ?? "this integration"
        let type = integration?["type"].flatMap(source.string) ?? "?"
        switch (property, required) {
        case ("redirectUris", true):
            return (
                "oauth integration \(name) needs \"redirectUris\"",
                "add \"redirectUris\": [\"https://…/callback\"], the URLs the OAuth flow may return to")
        case ("redirectUris", false):
            return (
                "\"redirectUris\" is only for oauth integrations; \(name) is \(type)",
                "remove \"redirectUris\", or make the integration \"type\": \"oauth\"")
        default:
            let why = type == "oauth"
                ? "an oauth integration says where users may return with \"redirectUris\""
                : "a service account is called from servers, never from a browser"
            return (
                "\"allowedDomains\" is only for apiKey integrations; \(name) is \(type)",
                "remove \"allowedDomains\": \(why)")
        }
    }

    /// `text` with its letters' accents and other marks removed (`Ünïcödé` → `Unicode`).
    static func withoutAccents(_ text: String) -> String {
        String(String.UnicodeScalarView(text.decomposedStringWithCanonicalMapping.unicodeScalars.filter {
            $0.properties.generalCategory != .nonspacingMark
        }))
    }

    static let patternRules: [String: SchemaDiagnostics.PatternRule] = {
        let name = SchemaDiagnostics.PatternRule(
            rule: "a name is 3 to 45 letters or digits, with no spaces, dashes or underscores",
            repair: { text in
                // Accents dropped first: "Café" suggests "Cafe", not "Caf".
                let fixed = String(Self.withoutAccents(text).unicodeScalars.filter {
                    $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))
                })
                return (3...45).contains(fixed.count) ? fixed : nil
            })
        return [
            "name": name,
            "formerNames": name,
            "title": .init(
                rule: "a title is 3 to 45 letters, digits or spaces",
                repair: { text in
                    let kept = Self.withoutAccents(text).unicodeScalars.map {
                        $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) ? Character($0) : " "
                    }
                    let fixed = String(kept).split(separator: " ").joined(separator: " ")
                    return (3...45).contains(fixed.count) && fixed != text ? fixed : nil
                }),
            "allowedDomains": .init(
                rule: "an allowed domain is a host name such as www.example.com, *.example.com or localhost:3000",
                repair: { _ in nil }),
        ]
    }()
}
