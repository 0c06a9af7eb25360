extension DiagnosticRenderer {
    /// Diagnostics for machines: a JSON array, one object per diagnostic, in the order given:
    ///
    ///     [{"severity": "error", "code": "KF109", "message": "duplicate key 'name'",
    ///       "file": "a.json", "line": 3, "column": 3,
    ///       "notes": [{"message": "the first 'name' is here", "file": "a.json", "line": 2, "column": 3}],
    ///       "suggestion": "remove one of the two members, or rename one"}]
    ///
    /// `file`, `line` and `column` are null when there is no location, `suggestion` when
    /// there is none. Write it with `canonicalText()`.
    public static func json(_ diagnostics: [Diagnostic]) -> JSON {
        .array(diagnostics.map { diagnostic in
            var members = [
                JSONMember("severity", .string(diagnostic.severity.rawValue)),
                JSONMember("code", .string(diagnostic.code)),
                JSONMember("message", .string(diagnostic.message)),
            ]
            members += locationMembers(diagnostic.location)
            members.append(JSONMember("notes", .array(diagnostic.notes.map { note in
                .object([JSONMember("message", .string(note.message))] + locationMembers(note.location))
            })))
            members.append(JSONMember("suggestion", diagnostic.suggestion.map(JSON.string) ?? .null))
            return .object(members)
        })
    }

    private static func locationMembers(_ location: SourceLocation?) -> [JSONMember] {
        guard let location else {
            return [JSONMember("file", .null), JSONMember("line", .null), JSONMember("column", .null)]
        }
        return [
            JSONMember("file", .string(location.file)),
            JSONMember("line", .number(location.line)),
            JSONMember("column", .number(location.column)),
        ]
    }
}
