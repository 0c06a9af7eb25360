import KeyformJSON

/// One parsed JSON file (a manifest or keyform.json) with what the loader learned about its strings: the values
/// after `${env:NAME}` substitution, and where each of its values is.
final class SourceFile {
    let path: String
    let document: JSONDocument
    let lines: LineIndex
    /// Substituted string values, by the byte offset of the string token.
    var substitutions: [Int: String] = [:]
    /// Offsets of string tokens whose substitution failed (their schema findings are noise).
    var failedSubstitutions: Set<Int> = []

    init(path: String, document: JSONDocument) {
        self.path = path
        self.document = document
        self.lines = LineIndex(file: path, bytes: document.bytes)
    }

    /// The string value of `value` after substitution, when it is a string.
    func string(_ value: JSONValueRef) -> String? {
        if !substitutions.isEmpty, let substituted = substitutions[value.byteRange.lowerBound] { return substituted }
        return value.stringValue
    }

    func location(of value: JSONValueRef) -> SourceLocation {
        lines.location(of: value.byteRange)
    }

    func location(ofKey member: JSONMemberRef) -> SourceLocation {
        lines.location(of: member.keyRange)
    }

    /// Where `value` starts, with no length: for a diagnostic about a whole object or array
    /// (the caret goes under its opening bracket).
    func start(of value: JSONValueRef) -> SourceLocation {
        lines.location(offset: value.byteRange.lowerBound, length: 1)
    }

    /// The instance with substitutions applied, for schema validation.
    func substitutedJSON() -> JSON {
        substitutions.isEmpty ? document.root.json : materialize(document.root)
    }

    private func materialize(_ value: JSONValueRef) -> JSON {
        switch value.kind {
        case .string:
            return .string(string(value) ?? "")
        case .array:
            return .array(value.elements.map(materialize))
        case .object:
            return .object(value.members.map { JSONMember($0.key, materialize($0.value)) })
        default:
            return value.json
        }
    }
}
