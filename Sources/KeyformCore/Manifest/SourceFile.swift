import KeyformJSON

/// One parsed JSON file (a manifest or keyform.json) with what the loader learned about its strings: the values
/// after `${env:NAME}` substitution, and where each of its values is.
///
/// Line and column are worked out only when a location is asked for: the line index is built
/// on first use, so a file without findings never pays for it.
final class SourceFile {
    let path: String
    let document: JSONDocument
    /// Substituted string values, by tape index (see `JSONTapeView`).
    var replacements = JSONStringReplacements()
    /// Offsets of string tokens whose substitution failed (their schema findings are noise).
    var failedSubstitutions: Set<Int> = []
    private var lineIndex: LineIndex?

    init(path: String, document: JSONDocument) {
        self.path = path
        self.document = document
    }

    init(_ loaded: LoadedManifestFile) {
        self.path = loaded.path
        self.document = loaded.document
        self.replacements = loaded.replacements
    }

    var lines: LineIndex {
        if let lineIndex { return lineIndex }
        let built = LineIndex(file: path, bytes: document.bytes)
        lineIndex = built
        return built
    }

    /// The string value of `value` after substitution, when it is a string.
    func string(_ value: JSONValueRef) -> String? {
        if !replacements.isEmpty, let substituted = replacements.replacement(for: value) { return substituted }
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

    /// The value at a tape index of this file (see `JSONTapeView`).
    func value(at tapeIndex: Int) -> JSONValueRef {
        document.value(atTapeIndex: tapeIndex)
    }

    func location(at tapeIndex: Int) -> SourceLocation { location(of: value(at: tapeIndex)) }

    func start(at tapeIndex: Int) -> SourceLocation { start(of: value(at: tapeIndex)) }

    /// The instance with substitutions applied, for schema validation.
    func substitutedJSON() -> JSON {
        replacements.isEmpty ? document.root.json : materialize(document.root)
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
