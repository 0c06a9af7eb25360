import KeyformJSON

/// One pass over every string value of a manifest file: `${env:NAME}` substitution, then the
/// secret check on the value that results (a secret may arrive through a variable too).
///
/// Member keys are not values and are left alone.
struct StringScan {
    let environment: [String: String]
    var diagnostics: [Diagnostic] = []
    /// Byte ranges of values that look like secrets: masked when the source line is shown.
    var redactions: [Range<Int>] = []

    init(environment: [String: String]) {
        self.environment = environment
    }

    mutating func scan(_ source: SourceFile) {
        visit(source.document.root, member: nil, in: source)
    }

    /// `member` is the object member the value belongs to (for array items, the array's);
    /// its key is decoded only when a finding needs it.
    private mutating func visit(_ value: JSONValueRef, member: JSONMemberRef?, in source: SourceFile) {
        switch value.kind {
        case .string:
            visitString(value, member: member, in: source)
        case .array:
            for element in value.elements { visit(element, member: member, in: source) }
        case .object:
            for child in value.members { visit(child.value, member: child, in: source) }
        default:
            break
        }
    }

    private mutating func visitString(_ value: JSONValueRef, member: JSONMemberRef?, in source: SourceFile) {
        guard let raw = value.stringValue else { return }
        var text = raw
        let range = value.byteRange
        if raw.utf8.contains(UInt8(ascii: "$")) {
            let result = EnvironmentSubstitution.substitute(raw, environment: environment)
            if let substituted = result.substituted {
                source.substitutions[range.lowerBound] = substituted
                text = substituted
            }
            if !result.problems.isEmpty { source.failedSubstitutions.insert(range.lowerBound) }
            // Without escapes the literal's bytes are the string's bytes, one quote later.
            let exact = range.count - 2 == raw.utf8.count
            for problem in result.problems {
                let location = exact
                    ? source.lines.location(offset: range.lowerBound + 1 + problem.range.lowerBound, length: problem.range.count)
                    : source.location(of: value)
                diagnostics.append(.environmentProblem(problem.kind, at: location))
            }
        }
        guard text.utf8.count >= SecretDetector.shortestSecret else { return }
        let field = member?.key
        if let kind = SecretDetector.inspect(text, field: field) {
            diagnostics.append(.secret(kind, field: field, at: source.location(of: value)))
            redactions.append(range)
        }
    }
}
