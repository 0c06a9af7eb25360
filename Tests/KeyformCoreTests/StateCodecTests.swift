import KeyformCore
import KeyformJSON
import KeyformTestSupport
import Testing

@Suite struct StateCodecTests {
    @Test func canonicalTextMatchesGoldenFile() {
        let text = StateCodecFixtures.document.canonicalText()
        if let failure = Golden.check(text, against: "state/sample.state.json") { Issue.record("\(failure)") }
    }

    @Test func roundTripsThroughText() throws {
        let document = StateCodecFixtures.document
        let decoded = try StateDocument(decoding: document.encoded(), path: "keyform.state.json")
        #expect(decoded == document)
        #expect(decoded.canonicalText() == document.canonicalText())
    }

    @Test func outputDoesNotDependOnInsertionOrder() {
        var a = StateDocument(lineage: "l", keyformVersion: "0.1.0")
        var b = a
        let records = [StateCodecFixtures.web, StateCodecFixtures.portal, StateCodecFixtures.sync]
        for record in records { a.integrations[record.name] = record }
        for record in records.reversed() { b.integrations[record.name] = record }
        a.pendingCreates = ["z", "a", "m"]
        b.pendingCreates = ["m", "z", "a"]
        #expect(a.canonicalText() == b.canonicalText())
        #expect(a.canonicalText().contains("\"pendingCreates\": [\n    \"a\",\n    \"m\",\n    \"z\"\n  ]"))
    }

    @Test func emptyStateText() {
        let text = StateDocument(serial: 1, lineage: "abc", keyformVersion: "0.1.0").canonicalText()
        #expect(text == """
            {
              "format": 1,
              "serial": 1,
              "lineage": "abc",
              "keyformVersion": "0.1.0",
              "integrations": {},
              "pendingCreates": []
            }

            """)
    }

    /// Each case: a document made invalid by one edit, and the exact pointer and problem.
    @Test(arguments: [
        (#"[]"#, "", "expected an object, found an array", nil as String?),
        (#"{"format":1,"serial":1,"keyformVersion":"0.1.0","integrations":{},"pendingCreates":[]}"#,
         "", "missing member 'lineage'", nil),
        (#"{"format":1,"serial":-1,"lineage":"l","keyformVersion":"0.1.0","integrations":{},"pendingCreates":[]}"#,
         "/serial", "expected a non-negative integer, found the number -1", nil),
        (#"{"format":1,"serial":1.5,"lineage":"l","keyformVersion":"0.1.0","integrations":{},"pendingCreates":[]}"#,
         "/serial", "expected a non-negative integer, found the number 1.5", nil),
        (#"{"format":0,"serial":1,"lineage":"l","keyformVersion":"0.1.0","integrations":{},"pendingCreates":[]}"#,
         "/format", "format 0 does not exist; the first format is 1", nil),
        (#"{"format":1,"serial":1,"lineage":"","keyformVersion":"0.1.0","integrations":{},"pendingCreates":[]}"#,
         "/lineage", "must not be empty", nil),
        (#"{"format":1,"serial":1,"lineage":"l","keyformVersion":"0.1.0","integrations":[],"pendingCreates":[]}"#,
         "/integrations", "expected an object, found an array", nil),
        (#"{"format":1,"serial":1,"lineage":"l","keyformVersion":"0.1.0","integrations":{},"pendingCreates":["a",2]}"#,
         "/pendingCreates/1", "expected a string, found a number", nil),
        (#"{"format":1,"serial":1,"lineage":"l","keyformVersion":"0.1.0","integrations":{},"pendingCreates":[],"seria":2}"#,
         "/seria", "unknown member 'seria'", "did you mean 'serial'?"),
    ])
    func documentErrorsNameTheirPointer(text: String, pointer: String, problem: String, suggestion: String?) throws {
        let json = try JSON.parse(text)
        #expect(throws: StateDecodingError.invalid(pointer: pointer, problem: problem, suggestion: suggestion)) {
            try StateDocument(json: json)
        }
        Self.expectSameErrorFromBytes(text, pointer: pointer, problem: problem, suggestion: suggestion)
    }

    /// Reading the bytes (decoded from the parser's tape, not a tree) reports the same error.
    static func expectSameErrorFromBytes(_ text: String, pointer: String, problem: String, suggestion: String?) {
        let error = StateDecodingError.invalid(pointer: pointer, problem: problem, suggestion: suggestion)
        #expect(throws: StateStoreError.corrupt(path: "s.json", diagnostic: .error(
            "KF421", "s.json is not a valid state file: \(error.message)", suggestion: suggestion))) {
            try StateDocument(decoding: Array(text.utf8), path: "s.json")
        }
    }

    /// Errors inside one integration of the sample document, reached by editing its JSON.
    @Test(arguments: [
        ("apiKey", JSON.number(3), "/integrations/stocksearchweb/apiKey", "expected a string, found a number", nil as String?),
        ("apikey", JSON.string("x"), "/integrations/stocksearchweb/apikey", "unknown member 'apikey'", "did you mean 'apiKey'?"),
        ("protected", JSON.string("yes"), "/integrations/stocksearchweb/protected", "expected true or false, found a string", nil),
        ("ids", JSON.object([JSONMember("projectId", "p"), JSONMember("workspaceId", "w")]),
         "/integrations/stocksearchweb/ids", "missing member 'credentialId'", nil),
        ("ids", JSON.object([JSONMember("projectId", "p"), JSONMember("workspaceId", "w"), JSONMember("credentialId", "")]),
         "/integrations/stocksearchweb/ids/credentialId", "must not be empty", nil),
        ("attributes", JSON.object([
            JSONMember("title", "T"), JSONMember("description", "D"), JSONMember("type", "apikey"),
            JSONMember("allowedDomains", []), JSONMember("redirectUris", []),
        ]), "/integrations/stocksearchweb/attributes/type",
         "unknown credential type 'apikey' (expected apiKey, oauth, serviceAccount)", "did you mean 'apiKey'?"),
        ("registrations", JSON.object([JSONMember("asset-sync", .object([
            JSONMember("id", "r"), JSONMember("provider", "ccstorage"), JSONMember("eventCodes", ["a", 1]),
            JSONMember("webhookUrl", "https://x"),
        ]))]), "/integrations/stocksearchweb/registrations/asset-sync/eventCodes/1", "expected a string, found a number", nil),
    ])
    func recordErrorsNameTheirPointer(key: String, value: JSON, pointer: String, problem: String, suggestion: String?) {
        let json = Self.editing(StateCodecFixtures.document.json, integration: "stocksearchweb", key: key, value: value)
        #expect(throws: StateDecodingError.invalid(pointer: pointer, problem: problem, suggestion: suggestion)) {
            try StateDocument(json: json)
        }
        Self.expectSameErrorFromBytes(json.compactText(), pointer: pointer, problem: problem, suggestion: suggestion)
    }

    /// A serial the next write could not count up from (2^63 − 1 crashed the store) is refused
    /// when read, with the bound; 2^53 − 1 is still a serial.
    @Test func aSerialBeyondTwoToThe53IsRefused() throws {
        func withSerial(_ literal: String) -> JSON {
            guard case .object(let members) = StateCodecFixtures.document.json else { return .null }
            return .object(members.map { $0.key == "serial" ? JSONMember("serial", .number(JSONNumber(literal: literal))) : $0 })
        }
        #expect(throws: StateDecodingError.invalid(
            pointer: "/serial", problem: "9223372036854775807 is too large: at most 9007199254740991", suggestion: nil)) {
            try StateDocument(json: withSerial("9223372036854775807"))
        }
        #expect(try StateDocument(json: withSerial("9007199254740991")).serial == 9_007_199_254_740_991)
    }

    /// Two records of one console project would let a plan delete the integration the other
    /// manages: the state is refused, naming both.
    @Test func twoRecordsOfOneProjectAreRefused() throws {
        var document = StateCodecFixtures.document
        var copy = StateCodecFixtures.web
        copy.attributes.name = "zzcopy"
        document.integrations["zzcopy"] = copy
        let project = StateCodecFixtures.web.id.projectId
        let error = StateDecodingError.invalid(
            pointer: "/integrations/zzcopy/ids/projectId",
            problem: "'\(StateCodecFixtures.web.name)' records the same console project ('\(project)'); one project is one integration",
            suggestion: "delete from the state file the record that is not the project's own (or restore the backup), then plan again")
        #expect(throws: error) { try StateDocument(json: document.json) }
        #expect(throws: StateStoreError.self) { try StateDocument(decoding: Array(document.json.compactText().utf8), path: "s.json") }
    }

    @Test func pointerTokensAreEscaped() throws {
        var document = StateDocument(lineage: "l", keyformVersion: "0.1.0")
        var record = StateCodecFixtures.web
        record.attributes.name = "a/b~c"
        document.integrations[record.name] = record
        let json = Self.editing(document.json, integration: "a/b~c", key: "apiKey", value: .null)
        #expect(throws: StateDecodingError.invalid(
            pointer: "/integrations/a~1b~0c/apiKey", problem: "expected a string, found null", suggestion: nil)) {
            try StateDocument(json: json)
        }
    }

    @Test func newerFormatIsUnsupportedBeforeAnythingElse() throws {
        let json = try JSON.parse(#"{"format":2,"somethingNew":true}"#)
        #expect(throws: StateDecodingError.unsupportedFormat(2)) { try StateDocument(json: json) }
        #expect(throws: StateStoreError.unsupportedFormat(path: "s.json", found: 2)) {
            try StateDocument(decoding: Array(#"{"format":2}"#.utf8), path: "s.json")
        }
    }

    @Test func syntaxErrorIsLocatedByLineAndColumn() {
        let text = "{\n  \"format\": 1,\n  \"serial\": ,\n}"
        #expect(throws: StateStoreError.corrupt(path: "s.json", diagnostic: .error(
            "KF420", "state file is not valid JSON: \(Self.syntaxError(text))",
            at: SourceLocation(file: "s.json", line: 3, column: 13, offset: 29, length: 1)))) {
            try StateDocument(decoding: Array(text.utf8), path: "s.json")
        }
    }

    @Test func aDuplicateKeyIsASyntaxErrorAtTheLaterKey() {
        let text = "{\n  \"format\": 1,\n  \"format\": 1\n}"
        #expect(throws: StateStoreError.corrupt(path: "s.json", diagnostic: .error(
            "KF420", "state file is not valid JSON: \(Self.syntaxError(text))",
            at: SourceLocation(file: "s.json", line: 3, column: 3, offset: 19, length: 1)))) {
            try StateDocument(decoding: Array(text.utf8), path: "s.json")
        }
    }

    @Test func invalidDocumentBecomesCorruptWithPointerInMessage() {
        let text = #"{"format":1,"serial":1,"lineage":"l","keyformVersion":"0.1.0","integrations":{},"pendingCreates":[],"seria":2}"#
        #expect(throws: StateStoreError.corrupt(path: "s.json", diagnostic: .error(
            "KF421", "s.json is not a valid state file: /seria: unknown member 'seria'",
            suggestion: "did you mean 'serial'?"))) {
            try StateDocument(decoding: Array(text.utf8), path: "s.json")
        }
    }

    /// The parser's own words for the first error (`message [KFnnn]`), so that these tests do
    /// not depend on the parser's wording.
    static func syntaxError(_ text: String) -> String {
        do {
            _ = try JSON.parse(text)
            return "no error"
        } catch {
            return "\(error.message) [\(error.code)]"
        }
    }

    /// Replaces one member of one integration's object.
    static func editing(_ document: JSON, integration: String, key: String, value: JSON) -> JSON {
        guard case .object(var members) = document,
            let i = members.firstIndex(where: { $0.key == "integrations" }),
            case .object(var integrations) = members[i].value,
            let j = integrations.firstIndex(where: { $0.key == integration }),
            case .object(var fields) = integrations[j].value
        else { return document }
        if let k = fields.firstIndex(where: { $0.key == key || $0.key.lowercased() == key.lowercased() }) {
            fields[k] = JSONMember(key, value)
        } else {
            fields.append(JSONMember(key, value))
        }
        integrations[j].value = .object(fields)
        members[i].value = .object(integrations)
        return .object(members)
    }
}
