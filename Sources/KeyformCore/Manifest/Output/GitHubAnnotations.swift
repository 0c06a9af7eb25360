import KeyformJSON

/// Diagnostics as GitHub Actions workflow commands, so that findings appear on the pull
/// request's lines:
///
///     ::error file=integrations/web.json,line=12,col=7,title=KF302::unknown service 'StockSdk'%0Ahelp: did you mean 'StockSDK'?
///
/// Errors become `::error`, warnings `::warning`, notes `::notice`. Notes and the help are
/// appended to the message on their own lines (`%0A`); control characters quoted from a file
/// are written as their escapes (`Diagnostic.displayable`). Values are escaped as the runner
/// expects: `%`, CR and LF everywhere, and `:` and `,` in properties too.
public enum GitHubAnnotations {
    /// One line per diagnostic, in the order given.
    public static func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map(render).joined()
    }

    public static func render(_ diagnostic: Diagnostic) -> String {
        let command: String
        switch diagnostic.severity {
        case .error: command = "error"
        case .warning: command = "warning"
        case .note: command = "notice"
        }
        var properties: [String] = []
        if let location = diagnostic.location {
            properties += ["file=\(escapeProperty(Diagnostic.displayable(location.file)))", "line=\(location.line)", "col=\(location.column)"]
        }
        properties.append("title=\(escapeProperty(diagnostic.code))")
        var message = Diagnostic.displayable(diagnostic.message)
        for note in diagnostic.notes {
            let place = note.location.map { "\(Diagnostic.displayable($0.file)):\($0.line):\($0.column): " } ?? ""
            message += "\n\(place)note: \(Diagnostic.displayable(note.message))"
        }
        if let suggestion = diagnostic.suggestion { message += "\nhelp: \(Diagnostic.displayable(suggestion))" }
        return "::\(command) \(properties.joined(separator: ","))::\(escapeData(message))\n"
    }

    static func escapeData(_ text: String) -> String {
        var out = ""
        for character in text.unicodeScalars {
            switch character {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacing(":", with: "%3A").replacing(",", with: "%2C")
    }
}
