/// Renders diagnostics for people, compiler-style, with the source line and a caret:
///
///     integrations/web.json:12:7: error[KF103]: expected ',' or '}' after an object member
///        12 |       "services": ["StockSDK"]
///           |       ^
///     help: add ',' between the members
///
/// A note with a location is rendered the same way (`file:line:col: note: …` and its line);
/// a note without one as `note: …`; the suggestion as `help: …`. A diagnostic without a
/// location is a single `error[KF100]: …` line. The source line is found by the location's
/// line number, and the caret placed by its column (Unicode scalars; tabs are kept so the
/// caret lines up); long lines are cut to a window around the column. When the source text
/// is not available, only the message lines are written.
///
/// Messages, notes and help are shown through `Diagnostic.displayable`, so a control
/// character quoted from a file is written as its escape.
///
/// For machines, see `DiagnosticRenderer.json(_:)`.
public struct DiagnosticRenderer: Sendable {
    /// Whether to colour the output with ANSI escapes (only for a terminal).
    public var color: Bool
    private let source: @Sendable (String) -> [UInt8]?

    /// The widest part of a source line shown, in characters.
    static let window = 120

    /// - Parameters:
    ///   - sources: the text of each file, by the name used in the locations.
    ///   - color: ANSI colour (only for a terminal).
    public init(sources: [String: [UInt8]], color: Bool = false) {
        self.color = color
        self.source = { sources[$0] }
    }

    /// - Parameter source: looks up the text of a file by the name used in the locations;
    ///   nil when it is not available.
    public init(color: Bool = false, source: @escaping @Sendable (String) -> [UInt8]?) {
        self.color = color
        self.source = source
    }

    /// All diagnostics, in the order given, each ending with a newline. Each file's lines are
    /// found once for all of them (20,000 findings in one file cost one pass over it).
    public func render(_ diagnostics: [Diagnostic]) -> String {
        let lines = SourceLines(source: source)
        return diagnostics.map { render($0, lines: lines) }.joined()
    }

    /// One diagnostic: its header, source line and caret, notes and help; ends with a newline.
    public func render(_ diagnostic: Diagnostic) -> String {
        render(diagnostic, lines: SourceLines(source: source))
    }

    private func render(_ diagnostic: Diagnostic, lines: SourceLines) -> String {
        let label = "\(diagnostic.severity.rawValue)[\(diagnostic.code)]"
        let severityColour = colour(of: diagnostic.severity)
        var text = header(
            label: paint(label, bold: true, colour: severityColour), message: Diagnostic.displayable(diagnostic.message),
            at: diagnostic.location)
        if let location = diagnostic.location { text += snippet(location, lines: lines, caretColour: severityColour) }
        for note in diagnostic.notes {
            text += header(label: paint("note", bold: true, colour: Colour.note), message: Diagnostic.displayable(note.message), at: note.location)
            if let location = note.location { text += snippet(location, lines: lines, caretColour: Colour.note) }
        }
        if let suggestion = diagnostic.suggestion {
            text += paint("help", bold: true, colour: Colour.help) + ": " + Diagnostic.displayable(suggestion) + "\n"
        }
        return text
    }

    private func header(label: String, message: String, at location: SourceLocation?) -> String {
        guard let location else { return "\(label): \(paint(message, bold: true))\n" }
        return paint("\(Diagnostic.displayable(location.file)):\(location.line):\(location.column):", bold: true)
            + " \(label): \(paint(message, bold: true))\n"
    }

    /// The gutter, the source line and the caret line, or nothing without the source.
    private func snippet(_ location: SourceLocation, lines: SourceLines, caretColour: String) -> String {
        guard let line = lines.line(location.line, of: location.file) else { return "" }
        var characters = Self.displayCharacters(line)
        var caret = min(max(0, location.column - 1), characters.count)
        if characters.count > Self.window {
            let start = max(0, min(caret - Self.window / 2, characters.count - Self.window))
            let end = min(characters.count, start + Self.window)
            var cut = Array(characters[start..<end])
            caret -= start
            if start > 0 { cut.insert("…", at: 0); caret += 1 }
            if end < characters.count { cut.append("…") }
            characters = cut
        }
        let number = String(location.line)
        let width = max(5, number.count + 1)
        let gutter = String(repeating: " ", count: width - number.count) + number + " |"
        let blank = String(repeating: " ", count: width) + " |"
        let lineText = String(String.UnicodeScalarView(characters))
        let pad = String(String.UnicodeScalarView(characters.prefix(caret).map { $0 == "\t" ? "\t" : " " }))
        var text = paint(gutter, colour: Colour.gutter) + (lineText.isEmpty ? "" : " " + lineText) + "\n"
        text += paint(blank, colour: Colour.gutter) + " " + pad + paint("^", bold: true, colour: caretColour) + "\n"
        return text
    }

    /// The lines of the files diagnostics point into, each file's line starts found on first use.
    private final class SourceLines {
        let source: (String) -> [UInt8]?
        private var files: [String: (bytes: [UInt8], starts: [Int])?] = [:]

        init(source: @escaping (String) -> [UInt8]?) {
            self.source = source
        }

        /// The bytes of 1-based line `number` of `file` (without its LF, nor a CR before it).
        func line(_ number: Int, of file: String) -> ArraySlice<UInt8>? {
            if files[file] == nil {
                files[file] = .some(source(file).map { bytes in (bytes, [0] + bytes.indices.filter { bytes[$0] == 0x0A }.map { $0 + 1 }) })
            }
            guard let (bytes, starts) = files[file] ?? nil, number >= 1, number <= starts.count else { return nil }
            let start = starts[number - 1]
            var end = number < starts.count ? starts[number] - 1 : bytes.count
            if end > start, bytes[end - 1] == 0x0D { end -= 1 }
            return bytes[start..<end]
        }
    }

    /// One displayed character per column: valid UTF-8 as itself, an invalid sequence or a
    /// stray continuation byte as U+FFFD, control characters (but tab) as their visible
    /// symbols (U+2400…), C1 controls and bidirectional overrides as U+FFFD. (Only the first
    /// error of a document can be invalid UTF-8, so the columns before a caret are always
    /// counted the same way as `SourceLocator` counts them.)
    static func displayCharacters(_ line: ArraySlice<UInt8>) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        var i = line.startIndex
        while i < line.endIndex {
            let b = line[i]
            if b & 0xC0 == 0x80 {  // a stray continuation byte
                result.append("\u{FFFD}")
                i += 1
                continue
            }
            let length = b < 0x80 ? 1 : (b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2)
            let end = min(i + length, line.endIndex)
            if length > 1, let decoded = String(validating: line[i..<end], as: UTF8.self), let scalar = decoded.unicodeScalars.first,
                decoded.unicodeScalars.count == 1
            {
                // C1 controls and bidirectional overrides would act on the terminal: one
                // replacement character each, so the columns stay right.
                result.append(Diagnostic.displayable(String(scalar)).unicodeScalars.count == 1 ? scalar : "\u{FFFD}")
                i = end
                continue
            }
            if length > 1 {  // an invalid sequence: one replacement for its lead and continuation bytes
                result.append("\u{FFFD}")
                i += 1
                while i < line.endIndex, line[i] & 0xC0 == 0x80 { i += 1 }
                continue
            }
            switch b {
            case 0x09: result.append("\t")
            case 0..<0x20: result.append(Unicode.Scalar(0x2400 + UInt32(b)) ?? "?")
            case 0x7F: result.append("\u{2421}")
            case 0x80...: result.append("\u{FFFD}")
            default: result.append(Unicode.Scalar(b))
            }
            i += 1
        }
        return result
    }

    // MARK: - Colour

    private enum Colour {
        static let error = "31", warning = "33", note = "36", help = "36", gutter = "34"
    }

    private func colour(of severity: Diagnostic.Severity) -> String {
        switch severity {
        case .error: Colour.error
        case .warning: Colour.warning
        case .note: Colour.note
        }
    }

    private func paint(_ text: String, bold: Bool = false, colour: String? = nil) -> String {
        guard color else { return text }
        var codes: [String] = []
        if bold { codes.append("1") }
        if let colour { codes.append(colour) }
        guard !codes.isEmpty else { return text }
        return "\u{1B}[\(codes.joined(separator: ";"))m\(text)\u{1B}[0m"
    }
}
