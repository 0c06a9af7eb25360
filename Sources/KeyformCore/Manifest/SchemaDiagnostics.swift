import KeyformJSON

/// Turns JSON Schema violations into diagnostics at the offending place, in Keyform's words.
///
/// The schema decides *whether* a document is valid; this decides how to say it. Messages
/// are built from the violation's keyword, the instance and the schema fragment that failed
/// (its `properties`, `required`, limits and `description`s), so the wording follows the
/// schema file. An unknown property is reported at its key with "did you mean"; a missing
/// one at the object that should hold it, with the property's description as the fix.
/// Violations of a conditional (`if`/`then`) that forbids or requires a property listed in
/// `conditionalCodes` get that code (the manifest's `allowedDomains`/`redirectUris` rules).
struct SchemaDiagnostics {
    let source: SourceFile
    /// The schema document, to read the failing fragment from.
    let schema: JSON
    /// What a whole document is called when it has the wrong type ("a manifest file").
    let documentNoun: String
    /// Names the object at an instance path ("integration 'stocksearchweb'").
    let describe: (_ path: [String], _ source: SourceFile) -> String
    /// Codes for properties forbidden or required by an `if`/`then`, by property name.
    var conditionalCodes: [String: String] = [:]
    /// Writes the message for a conditional rule: (property, required?, object path) → message, help.
    var conditionalMessage: ((_ property: String, _ required: Bool, _ path: [String], _ source: SourceFile) -> (String, String))?
    /// The form a `pattern` asks for, in words, and a repair to suggest, by field name (for
    /// array items, the array's name).
    var patternRules: [String: PatternRule] = [:]

    struct PatternRule {
        var rule: String
        var repair: @Sendable (String) -> String?
    }

    typealias Codes = DiagnosticCodes

    /// The diagnostics for `violations`, one per distinct problem.
    func diagnostics(for violations: [SchemaViolation]) -> [Diagnostic] {
        var result: [Diagnostic] = []
        var seen: Set<String> = []
        for violation in violations {
            for diagnostic in diagnostics(for: violation) {
                let key = "\(diagnostic.code)|\(diagnostic.location?.offset ?? -1)|\(diagnostic.message)"
                if seen.insert(key).inserted { result.append(diagnostic) }
            }
        }
        return result
    }

    private func diagnostics(for violation: SchemaViolation) -> [Diagnostic] {
        let path = violation.instancePath
        let value = source.document.resolve(JSONPointer(tokens: path))
        if let value, source.failedSubstitutions.contains(value.byteRange.lowerBound) {
            return []  // the undefined variable was reported; the raw text is no value to judge
        }
        let fragment = schemaFragment(at: violation.schemaPath.dropLast())
        let conditional = violation.schemaPath.contains("then")
        switch violation.keyword {
        case "additionalProperties", "unevaluatedProperties", "propertyNames":
            return [unknownProperty(path: path, violation: violation, fragment: fragment)]
        case "false" where conditional && path.count > 0:
            return [forbiddenProperty(path: path, violation: violation)]
        case "false" where path.count > 0 && violation.pointsAtKey:
            return [unknownProperty(path: path, violation: violation, fragment: schemaFragment(at: violation.schemaPath.dropLast(2)))]
        case "required", "dependentRequired":
            return missingProperties(path: path, value: value, fragment: fragment, violation: violation, conditional: conditional)
        case "type":
            return [wrongType(path: path, value: value, fragment: fragment)]
        case "enum", "const":
            return [valueNotAllowed(path: path, value: value, violation: violation)]
        case "pattern":
            return [patternMismatch(path: path, value: value, fragment: fragment)]
        case "minLength", "maxLength":
            return [length(path: path, value: value, fragment: fragment, keyword: violation.keyword)]
        case "minItems", "maxItems":
            return [itemCount(path: path, value: value, fragment: fragment, keyword: violation.keyword)]
        default:
            return [.error(
                Codes.schemaViolation, "\(field(path)) \(violation.message)", at: location(value: value, path: path),
                suggestion: violation.suggestion)]
        }
    }

    // MARK: - One diagnostic per keyword

    private func unknownProperty(path: [String], violation: SchemaViolation, fragment: JSON?) -> Diagnostic {
        let key = path.last ?? ""
        let parentPath = Array(path.dropLast())
        let forbidden = forbiddenByConditionals(fragment, at: parentPath)
        let allowed = (fragment?["properties"]?.objectValue?.map(\.key) ?? []).filter { !forbidden.contains($0) }
        let guess = Suggestion.closest(to: key, among: allowed)
            ?? allowed.first { $0.lowercased().hasPrefix(key.lowercased()) || key.lowercased().hasPrefix($0.lowercased()) }
        // The validator's own guess knows nothing of the conditionals.
        let validatorGuess = violation.suggestion.flatMap { text in forbidden.contains { text.contains("'\($0)'") } ? nil : text }
        let suggestion = guess.map { "did you mean '\($0)'?" } ?? validatorGuess
        var notes: [Diagnostic.Note] = []
        if !allowed.isEmpty {
            notes.append(.init("\(describe(parentPath, source)) may have: " + allowed.filter { $0 != "$schema" }.joined(separator: ", ")))
        }
        return .error(
            Codes.unknownProperty, "unknown property '\(Diagnostic.abbreviated(key))' in \(describe(parentPath, source))",
            at: keyLocation(path: path), notes: notes, suggestion: suggestion ?? "remove it")
    }

    /// The properties that a conditional of the object schema `fragment` (`allOf` of `if` /
    /// `then`) forbids (`"name": false`) for the object at `path` as it is: an apiKey
    /// integration may not have `redirectUris`, so it is neither suggested nor listed there.
    private func forbiddenByConditionals(_ fragment: JSON?, at path: [String]) -> Set<String> {
        guard let conditionals = fragment?["allOf"]?.arrayValue,
            let object = source.document.resolve(JSONPointer(tokens: path))
        else { return [] }
        var forbidden: Set<String> = []
        for conditional in conditionals {
            guard let condition = conditional["if"], let then = conditional["then"]?["properties"]?.objectValue,
                let schema = try? JSONSchema(compiling: condition), schema.isValid(object, replacing: source.replacements)
            else { continue }
            for member in then where member.value == .bool(false) { forbidden.insert(member.key) }
        }
        return forbidden
    }

    private func forbiddenProperty(path: [String], violation: SchemaViolation) -> Diagnostic {
        let key = path.last ?? ""
        let parentPath = Array(path.dropLast())
        let code = conditionalCodes[key] ?? Codes.schemaViolation
        let (message, help) = conditionalMessage?(key, false, parentPath, source)
            ?? ("\"\(key)\" is not allowed in \(describe(parentPath, source))", "remove it")
        return .error(code, message, at: keyLocation(path: path), suggestion: help)
    }

    private func missingProperties(
        path: [String], value: JSONValueRef?, fragment: JSON?, violation: SchemaViolation, conditional: Bool
    ) -> [Diagnostic] {
        let present = Set(value?.members.map(\.key) ?? [])
        var required = fragment?["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if violation.keyword == "dependentRequired" {
            required = fragment?["dependentRequired"]?.objectValue?.flatMap { member in
                present.contains(member.key) ? (member.value.arrayValue?.compactMap(\.stringValue) ?? []) : []
            } ?? []
        }
        let missing = required.filter { !present.contains($0) }
        let at = value.map(source.start(of:)) ?? source.lines.location(offset: 0, length: 1)
        return missing.map { property in
            if conditional, let code = conditionalCodes[property] {
                let (message, help) = conditionalMessage?(property, true, path, source)
                    ?? ("\(describe(path, source)) is missing \"\(property)\"", "add \"\(property)\"")
                return .error(code, message, at: conditionalLocation(path: path, value: value) ?? at, suggestion: help)
            }
            let propertySchema = propertyFragment(property, in: fragment)
            let help = propertySchema?["description"]?.stringValue.map { "add \"\(property)\": \(lowercasedFirst($0))" }
                ?? "add \"\(property)\""
            return .error(Codes.missingProperty, "\(describe(path, source)) is missing \"\(property)\"", at: at, suggestion: help)
        }
    }

    private func wrongType(path: [String], value: JSONValueRef?, fragment: JSON?) -> Diagnostic {
        let expected: [String]
        switch fragment?["type"] {
        case .string(let one): expected = [one]
        case .array(let many): expected = many.compactMap(\.stringValue)
        default: expected = []
        }
        let wanted = expected.map(Self.article).joined(separator: " or ")
        let found = value.map { Self.article(for: $0.kind) } ?? "missing"
        let subject = path.isEmpty ? documentNoun : field(path)
        return .error(Codes.wrongType, "\(subject) must be \(wanted), not \(found)", at: location(value: value, path: path))
    }

    private func valueNotAllowed(path: [String], value: JSONValueRef?, violation: SchemaViolation) -> Diagnostic {
        let allowed: [JSON] = schemaFragment(at: violation.schemaPath.dropLast()).flatMap { schema in
            violation.keyword == "enum" ? schema["enum"]?.arrayValue : schema["const"].map { [$0] }
        } ?? []
        let list = allowed.map(Self.display)
        let listed = list.count <= 1 ? (list.first ?? "") : list.dropLast().joined(separator: ", ") + " or " + (list.last ?? "")
        let shown = value.map { Self.display($0.json) } ?? "nothing"
        var suggestion = violation.suggestion
        if let text = value?.stringValue {
            let candidates = allowed.compactMap(\.stringValue)
            if let guess = Suggestion.closest(to: text, among: candidates) { suggestion = "did you mean '\(guess)'?" }
        }
        return .error(
            Codes.valueNotAllowed, "\(field(path)) must be \(listed), not \(shown)", at: location(value: value, path: path),
            suggestion: suggestion)
    }

    private func patternMismatch(path: [String], value: JSONValueRef?, fragment: JSON?) -> Diagnostic {
        let text = value.flatMap(source.string) ?? ""
        let pattern = fragment?["pattern"]?.stringValue ?? ""
        let known = patternRules[fieldName(path)]
        let rule = known?.rule ?? "it must match the pattern \(pattern)"
        let described = field(path), shown = "'\(Diagnostic.abbreviated(text))'"
        // An integration's own name already names it ("name" of integration 'a-b'): once is enough.
        let message = described.hasSuffix(shown)
            ? "\(described) is not valid: \(rule)" : "\(described) is not valid (\(shown)): \(rule)"
        let suggestion = known?.repair(text).map { "did you mean '\($0)'?" }
        return .error(Codes.patternMismatch, message, at: location(value: value, path: path), suggestion: suggestion)
    }

    private func length(path: [String], value: JSONValueRef?, fragment: JSON?, keyword: String) -> Diagnostic {
        let count = value.flatMap(source.string)?.unicodeScalars.count ?? 0
        let limit = fragment?[keyword]?.numberValue?.int ?? 0
        let message = keyword == "maxLength"
            ? "\(field(path)) is \(count) characters long; at most \(limit) are allowed"
            : "\(field(path)) is \(count == 0 ? "empty" : "\(count) character\(count == 1 ? "" : "s") long"); at least \(limit) \(limit == 1 ? "is" : "are") needed"
        return .error(Codes.lengthOutOfRange, message, at: location(value: value, path: path))
    }

    private func itemCount(path: [String], value: JSONValueRef?, fragment: JSON?, keyword: String) -> Diagnostic {
        let count = value?.count ?? 0
        let limit = fragment?[keyword]?.numberValue?.int ?? 0
        let message = keyword == "maxItems"
            ? "\(field(path)) has \(count) items; at most \(limit) are allowed"
            : "\(field(path)) \(count == 0 ? "is empty" : "has \(count) item\(count == 1 ? "" : "s")"); at least \(limit) item\(limit == 1 ? " is" : "s are") needed"
        return .error(Codes.itemCountOutOfRange, message, at: location(value: value, path: path))
    }

    // MARK: - Places and names

    /// `"services"` for a member, `item 2 of "services"` for an array element, followed by
    /// the object it belongs to when that has a name (`of event registration 'asset-sync'`).
    private func field(_ path: [String]) -> String {
        guard let last = path.last else { return "the document" }
        var objectPath = Array(path.dropLast())
        var text = "\"\(last)\""
        if path.count >= 2, let index = Int(last), isArray(objectPath) {
            text = "item \(index + 1) of \"\(path[path.count - 2])\""
            objectPath.removeLast()
        }
        let owner = describe(objectPath, source)
        if !objectPath.isEmpty { text += " of \(owner)" }
        return text
    }

    /// The member name a value belongs to (for an array element, the array's name).
    private func fieldName(_ path: [String]) -> String {
        guard let last = path.last else { return "" }
        if path.count >= 2, Int(last) != nil, isArray(Array(path.dropLast())) { return path[path.count - 2] }
        return last
    }

    private func isArray(_ path: [String]) -> Bool {
        source.document.resolve(JSONPointer(tokens: path))?.kind == .array
    }

    private func location(value: JSONValueRef?, path: [String]) -> SourceLocation {
        if let value { return source.location(of: value) }
        return source.document.location(of: JSONPointer(tokens: path)) ?? source.lines.location(offset: 0, length: 1)
    }

    /// The key of the member at `path`, or the value's location when there is no such key.
    private func keyLocation(path: [String]) -> SourceLocation {
        guard let key = path.last,
            let parent = source.document.resolve(JSONPointer(tokens: Array(path.dropLast()))),
            let member = parent.members.first(where: { $0.key == key })
        else { return location(value: source.document.resolve(JSONPointer(tokens: path)), path: path) }
        return source.location(ofKey: member)
    }

    /// For a conditional requirement: the value the condition tested (the `type`), if any.
    private func conditionalLocation(path: [String], value: JSONValueRef?) -> SourceLocation? {
        value?["type"].map(source.location(of:))
    }

    /// The schema fragment at `tokens` (object members and array indices).
    private func schemaFragment(at tokens: ArraySlice<String>) -> JSON? {
        var node = schema
        for token in tokens {
            switch node {
            case .object: guard let next = node[token] else { return nil }; node = next
            case .array(let items):
                guard let index = Int(token), items.indices.contains(index) else { return nil }
                node = items[index]
            default: return nil
            }
        }
        return node
    }

    /// A property's own schema, following one local `$ref` if it has one.
    private func propertyFragment(_ property: String, in fragment: JSON?) -> JSON? {
        guard let schema = fragment?["properties"]?[property] else { return nil }
        if schema["description"] == nil, let reference = schema["$ref"]?.stringValue, reference.hasPrefix("#/") {
            return self.schemaFragment(at: ArraySlice(reference.dropFirst(2).split(separator: "/").map(String.init)))
        }
        return schema
    }

    private func lowercasedFirst(_ text: String) -> String {
        guard let first = text.first, first.isUppercase, text.dropFirst().first?.isLowercase ?? true else { return text }
        return first.lowercased() + text.dropFirst()
    }

    static func article(_ type: String) -> String {
        switch type {
        case "object": "an object"
        case "array": "an array"
        case "integer": "an integer"
        case "boolean": "true or false"
        case "null": "null"
        default: "a \(type)"
        }
    }

    static func article(for kind: JSONKind) -> String {
        switch kind {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }

    /// A value as a message quotes it: strings in single quotes, others as JSON.
    static func display(_ value: JSON) -> String {
        if case .string(let text) = value { return "'\(Diagnostic.abbreviated(text))'" }
        return Diagnostic.abbreviated(value.compactText())
    }
}
