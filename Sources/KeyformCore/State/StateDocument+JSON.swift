import KeyformJSON

/// The state file format (version 1):
///
///     {
///       "format": 1,
///       "serial": 7,
///       "lineage": "0f4c2a8e-5b1d-4c3e-9a77-2d5e8b1f6c90",
///       "keyformVersion": "0.1.0",
///       "integrations": {
///         "stocksearchweb": { "ids": {…}, "apiKey": "…", "attributes": {…}, "services": […],
///                             "registrations": {…}, "protected": false }
///       },
///       "pendingCreates": ["newapp"]
///     }
///
/// Integrations and registrations are objects keyed by name, sorted by name; `pendingCreates`
/// is sorted. The text is canonical (`JSON.canonicalText()`), so one document has exactly one
/// encoding and its digest is stable. Decoding is strict: unknown members are errors (a typo
/// in a hand-edited state must not silently drop data), and every error names its JSON Pointer.
extension StateDocument {
    static let documentKeys = ["format", "serial", "lineage", "keyformVersion", "integrations", "pendingCreates", "lastAppliedPlan"]

    /// The document as a JSON value, members in the order above.
    public var json: JSON {
        var integrationMembers: [JSONMember] = []
        integrationMembers.reserveCapacity(integrations.count)
        for name in integrations.keys.sorted() {
            if let record = integrations[name] { integrationMembers.append(JSONMember(name, record.stateJSON)) }
        }
        var members: [JSONMember] = [
            JSONMember("format", .number(format)),
            JSONMember("serial", .number(serial)),
            JSONMember("lineage", .string(lineage)),
            JSONMember("keyformVersion", .string(keyformVersion)),
            JSONMember("integrations", .object(integrationMembers)),
            JSONMember("pendingCreates", .array(pendingCreates.sorted().map { .string($0) })),
        ]
        if let lastAppliedPlan { members.append(JSONMember("lastAppliedPlan", .string(lastAppliedPlan))) }
        return .object(members)
    }

    /// The canonical text of the state file (2-space indentation, final newline).
    public func canonicalText() -> String {
        json.canonicalText()
    }

    /// The UTF-8 bytes of `canonicalText()`: what a store writes.
    public func encoded() -> [UInt8] {
        Array(canonicalText().utf8)
    }

    /// Decodes a state document from its JSON value.
    /// - Throws: `StateDecodingError.unsupportedFormat` for a format newer than
    ///   `currentFormat` (checked before anything else, since a newer format may change any
    ///   other member), otherwise `.invalid` with the JSON Pointer of the first problem.
    public init(json: JSON) throws(StateDecodingError) {
        try self.init(value: json)
    }

    /// Decodes a state document from an owned tree or straight from a parsed document.
    init<Value: StateJSONValue>(value json: Value) throws(StateDecodingError) {
        guard let topMembers = json.stateMembers else {
            throw StateDecodingError.here("expected an object, found \(json.kindName)")
        }
        if let format = topMembers.first(where: { $0.key == "format" }), let n = format.value.numberValue, let found = n.int,
            found > StateDocument.currentFormat
        {
            throw .unsupportedFormat(found)
        }
        let document = try StateObjectReader(json, allowed: StateDocument.documentKeys)
        let format = try document.count("format")
        guard format >= 1 else {
            throw StateDecodingError.here("format \(format) does not exist; the first format is 1").under("format")
        }
        let serial = try document.count("serial")
        let lineage = try document.nonEmptyString("lineage")
        let keyformVersion = try document.string("keyformVersion")

        let integrations = try Self.integrations(try document.value("integrations"), document)
        try Self.checkOneRecordPerProject(integrations)
        self.init(
            format: format,
            serial: serial,
            lineage: lineage,
            keyformVersion: keyformVersion,
            integrations: integrations,
            pendingCreates: Set(try document.strings("pendingCreates")),
            lastAppliedPlan: document.optionalValue("lastAppliedPlan") == nil ? nil : try document.nonEmptyString("lastAppliedPlan"))
    }

    /// Two records standing for one console project would have a plan delete or change the
    /// integration the other one manages: refused, naming both.
    private static func checkOneRecordPerProject(_ integrations: [String: IntegrationRecord]) throws(StateDecodingError) {
        var owners: [String: String] = [:]
        owners.reserveCapacity(integrations.count)
        for name in integrations.keys.sorted() {
            guard let record = integrations[name] else { continue }
            if let other = owners.updateValue(name, forKey: record.id.projectId) {
                throw StateDecodingError.here(
                    "'\(other)' records the same console project ('\(record.id.projectId)'); one project is one integration",
                    suggestion: "delete from the state file the record that is not the project's own (or restore the backup), then plan again"
                ).under("projectId").under("ids").under(name).under("integrations")
            }
        }
    }

    /// The records of the `integrations` member, by name: by the fast path when it accepts
    /// them, otherwise by the generic decoder, which says what is wrong.
    private static func integrations<Value: StateJSONValue>(
        _ value: Value, _ document: StateObjectReader<Value>
    ) throws(StateDecodingError) -> [String: IntegrationRecord] {
        if let records = value.fastStateIntegrations { return records }
        var integrations: [String: IntegrationRecord] = [:]
        let members = try document.keyed("integrations")
        integrations.reserveCapacity(members.count)
        for member in members {
            let record: IntegrationRecord
            do throws(StateDecodingError) {
                if member.key.isEmpty { throw StateDecodingError.here("an integration name must not be empty") }
                record = try IntegrationRecord(name: member.key, stateValue: member.value)
            } catch {
                throw error.under(member.key).under("integrations")
            }
            if integrations.updateValue(record, forKey: member.key) != nil {
                throw StateDecodingError.here("duplicate integration '\(member.key)'").under("integrations")
            }
        }
        return integrations
    }

    /// Parses and decodes the bytes of a state file.
    /// - Parameter path: the file's name for messages.
    /// - Throws: `StateStoreError.corrupt` (KF420 not JSON, with line and column; KF421 not a
    ///   state document, with the JSON Pointer) or `.unsupportedFormat`.
    public init(decoding bytes: [UInt8], path: String) throws(StateStoreError) {
        let root: JSONValueRef
        do throws(JSONDocumentError) {
            // Decoded straight from the parser's tape: no intermediate tree.
            root = try JSONDocument.parse(bytes, file: path).root
        } catch {
            throw .corrupt(path: path, diagnostic: StateDocument.syntaxDiagnostic(bytes, path: path, what: "state file", parsed: error))
        }
        do throws(StateDecodingError) {
            try self.init(value: root)
        } catch {
            switch error {
            case .unsupportedFormat(let found):
                throw .unsupportedFormat(path: path, found: found)
            case .invalid(_, _, let suggestion):
                throw .corrupt(path: path, diagnostic: .error(
                    "KF421", "\(path) is not a valid state file: \(error.message)", suggestion: suggestion))
            }
        }
    }

    /// The KF420 diagnostic for bytes that `JSONDocument.parse` refused: the same one
    /// `JSON.parse` reports (its error has the byte offset), whichever parser is used.
    static func syntaxDiagnostic(_ bytes: [UInt8], path: String, what: String, parsed error: JSONDocumentError) -> Diagnostic {
        do throws(JSONSyntaxError) {
            _ = try JSON.parse(bytes)
        } catch {
            return syntaxDiagnostic(error, in: bytes, path: path, what: what)
        }
        // Not reached: both parsers share one scanner. Report what the document parser said.
        let first = error.diagnostics.first
        return .error("KF420", "\(what) is not valid JSON: \(first?.message ?? "unreadable") [\(first?.code ?? "KF100")]", at: first?.location)
    }

    /// A KF420 diagnostic for a JSON syntax error, located by line and column.
    public static func syntaxDiagnostic(_ error: JSONSyntaxError, in bytes: [UInt8], path: String, what: String) -> Diagnostic {
        let (line, column) = lineAndColumn(of: error.offset, in: bytes)
        return .error(
            "KF420", "\(what) is not valid JSON: \(error.message) [\(error.code)]",
            at: SourceLocation(file: path, line: line, column: column, offset: error.offset, length: 1))
    }

    /// 1-based line and column (in Unicode scalars) of a byte offset.
    static func lineAndColumn(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for byte in bytes.prefix(max(0, offset)) {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }
}
