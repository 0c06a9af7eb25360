import KeyformJSON

extension ConsoleStoreError {
    /// The error as a diagnostic (codes `KF560`–`KF565`), located in the damaged file where
    /// the place is known, with the fix as its suggestion.
    public var diagnostic: Diagnostic {
        switch self {
        case .syntax(let path, let line, let column, let offset, let message):
            .error(
                "KF560", "the console file is damaged: \(message)",
                at: SourceLocation(file: path, line: line, column: column, offset: offset, length: 1),
                suggestion: "restore the file from a backup, or move it away to start a fresh console")
        case .invalidContent(let path, let line, let pointer, let message):
            .error(
                "KF561", "the console file is damaged at \(pointer.isEmpty ? "the top level" : pointer): \(message)",
                at: line.map { SourceLocation(file: path, line: $0, column: 1) },
                notes: line == nil ? [Diagnostic.Note("in \(path)")] : [],
                suggestion: "restore the file from a backup, or move it away to start a fresh console")
        case .unsupportedFormat(let path, let found):
            .error("KF562", "\(path) is not a console file this version of keyform can read (\(found))")
        case .missingSnapshot(let path, let logPath):
            .error(
                "KF563", "\(path) is missing but its operation log \(logPath) holds records",
                suggestion: "restore \(path), or remove both files to start a fresh console")
        case .inUse(let path):
            .error(
                "KF564", "\(path) is in use by another process (an apply or `keyform console serve`)",
                suggestion: "wait for it to finish, or stop it")
        case .io:
            .error("KF565", description)
        }
    }
}
