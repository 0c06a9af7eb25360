/// A finding about some input: what, where, and how to fix it.
///
/// Diagnostics are values collected in a list rather than thrown one at a time, so that a
/// run reports every problem at once. Codes are stable: `KF1xx` JSON syntax, `KF2xx` schema
/// and structure, `KF3xx` manifest semantics, `KF4xx` configuration, state and plan files,
/// `KF5xx` console and provider errors.
public struct Diagnostic: Hashable, Sendable {
    public enum Severity: String, Hashable, Sendable, Comparable {
        case error, warning, note

        private var rank: Int {
            switch self {
            case .error: 0
            case .warning: 1
            case .note: 2
            }
        }

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    public var severity: Severity
    /// Stable code such as `KF103`.
    public var code: String
    public var message: String
    /// Where the problem is; `nil` for a problem with no place (a missing directory, say).
    public var location: SourceLocation?
    /// Further lines, each printed as `note: …`. May carry their own locations.
    public var notes: [Note]
    /// A fix in words, printed as `help: …` (for example "did you mean 'StockSDK'?").
    public var suggestion: String?

    public struct Note: Hashable, Sendable {
        public var message: String
        public var location: SourceLocation?

        public init(_ message: String, location: SourceLocation? = nil) {
            self.message = message
            self.location = location
        }
    }

    public init(
        _ severity: Severity,
        code: String,
        _ message: String,
        at location: SourceLocation? = nil,
        notes: [Note] = [],
        suggestion: String? = nil
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
        self.notes = notes
        self.suggestion = suggestion
    }

    public static func error(
        _ code: String, _ message: String, at location: SourceLocation? = nil,
        notes: [Note] = [], suggestion: String? = nil
    ) -> Diagnostic {
        Diagnostic(.error, code: code, message, at: location, notes: notes, suggestion: suggestion)
    }

    public static func warning(
        _ code: String, _ message: String, at location: SourceLocation? = nil,
        notes: [Note] = [], suggestion: String? = nil
    ) -> Diagnostic {
        Diagnostic(.warning, code: code, message, at: location, notes: notes, suggestion: suggestion)
    }
}

/// A place in a named source: the file and a byte range, with line and column computed from
/// the source text only when a diagnostic is rendered.
public struct SourceLocation: Hashable, Sendable, Comparable {
    /// The file's path as the user named it (relative paths stay relative).
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column, counted in Unicode scalars (not bytes).
    public var column: Int
    /// Byte offset of the start, and length in bytes, within the file; used for carets.
    public var offset: Int
    public var length: Int

    public init(file: String, line: Int, column: Int, offset: Int = 0, length: Int = 0) {
        self.file = file
        self.line = line
        self.column = column
        self.offset = offset
        self.length = length
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }
}

extension Diagnostic {
    /// `text` with every character that would act on a terminal or a log viewer rather than
    /// show written as the JSON escape a manifest would use for it: C0 and C1 control
    /// characters (`\n`, `\t`, `\u001b`, …) and the bidirectional overrides and isolates
    /// (U+202A–U+202E, U+2066–U+2069) that can make a line read differently from its bytes.
    /// Messages quote values from files and servers; the line-oriented outputs (text and
    /// GitHub annotations) show them through this, so a value can neither colour nor break
    /// the lines around it.
    public static func displayable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isHidden) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            guard isHidden(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            }
        }
        return out
    }

    private static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0..<0x20, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
