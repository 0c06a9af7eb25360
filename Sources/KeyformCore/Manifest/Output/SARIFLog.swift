import KeyformJSON

/// Diagnostics as a SARIF 2.1.0 log, for code-scanning upload (GitHub, GitLab, Azure):
/// one run whose `tool.driver.rules` lists every code that occurs (with its summary from
/// `DiagnosticCodes`), and one result per diagnostic with its file, line and column
/// (`columnKind` is `unicodeCodePoints`, as Keyform counts columns). Notes with a place
/// become `relatedLocations`; the help is appended to the message.
public enum SARIFLog {
    public static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"

    /// The log for `diagnostics` from tool version `version`.
    public static func log(_ diagnostics: [Diagnostic], toolVersion version: String) -> JSON {
        let codes = Array(Set(diagnostics.map(\.code))).sorted()
        var index: [String: Int] = [:]
        for (position, code) in codes.enumerated() { index[code] = position }
        let severities = Dictionary(diagnostics.map { ($0.code, $0.severity) }, uniquingKeysWith: { a, _ in a })
        let rules: [JSON] = codes.map { code in
            .object([
                JSONMember("id", .string(code)),
                JSONMember("shortDescription", .object([JSONMember("text", .string(DiagnosticCodes.summary(of: code)))])),
                JSONMember("defaultConfiguration", .object([JSONMember("level", .string(level(severities[code] ?? .error)))])),
            ])
        }
        let results: [JSON] = diagnostics.map { diagnostic in
            var text = diagnostic.message
            for note in diagnostic.notes where note.location == nil { text += "\nnote: \(note.message)" }
            if let suggestion = diagnostic.suggestion { text += "\nhelp: \(suggestion)" }
            var members: [JSONMember] = [
                JSONMember("ruleId", .string(diagnostic.code)),
                JSONMember("ruleIndex", .number(index[diagnostic.code] ?? 0)),
                JSONMember("level", .string(level(diagnostic.severity))),
                JSONMember("message", .object([JSONMember("text", .string(text))])),
            ]
            if let location = diagnostic.location {
                members.append(JSONMember("locations", .array([physicalLocation(location)])))
            }
            let related = diagnostic.notes.enumerated().compactMap { offset, note -> JSON? in
                guard let location = note.location else { return nil }
                guard case .object(var fields) = physicalLocation(location) else { return nil }
                fields.insert(JSONMember("id", .number(offset)), at: 0)
                fields.append(JSONMember("message", .object([JSONMember("text", .string(note.message))])))
                return .object(fields)
            }
            if !related.isEmpty { members.append(JSONMember("relatedLocations", .array(related))) }
            return .object(members)
        }
        let driver: JSON = .object([
            JSONMember("name", "keyform"),
            JSONMember("version", .string(version)),
            JSONMember("rules", .array(rules)),
        ])
        let run: JSON = .object([
            JSONMember("tool", .object([JSONMember("driver", driver)])),
            JSONMember("columnKind", "unicodeCodePoints"),
            JSONMember("results", .array(results)),
        ])
        return .object([
            JSONMember("$schema", .string(schemaURI)),
            JSONMember("version", "2.1.0"),
            JSONMember("runs", .array([run])),
        ])
    }

    static func level(_ severity: Diagnostic.Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "note"
        }
    }

    static func physicalLocation(_ location: SourceLocation) -> JSON {
        .object([
            JSONMember("physicalLocation", .object([
                JSONMember("artifactLocation", .object([
                    JSONMember("uri", .string(uri(location.file))),
                    JSONMember("uriBaseId", "%SRCROOT%"),
                ])),
                JSONMember("region", .object([
                    JSONMember("startLine", .number(location.line)),
                    JSONMember("startColumn", .number(location.column)),
                ])),
            ])),
        ])
    }

    /// A path as a relative URI reference: unreserved characters and `/` kept, the rest
    /// percent-encoded (UTF-8).
    static func uri(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out += "%"
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 0xF)])
            }
        }
        return out
    }
}
