import KeyformCore
import KeyformJSON
import KeyformTestSupport
import Testing

/// Reading a state file takes a fast path for its integrations (`StateTapeDecoder`, straight
/// off the parser's tape) and falls back to the generic decoder for anything unexpected. Both
/// must read every document alike: the same records, or the same error. The reference here
/// is the generic decoder run on an owned tree (`StateDocument(json:)`), which never takes the
/// fast path.
@Suite struct StateTapeDecoderTests {
    /// Decodes `text` both ways and expects the same outcome; returns whether it decoded.
    @discardableResult
    static func expectAgreement(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Bool {
        let bytes = Array(text.utf8)
        let reference: Result<StateDocument, StateDecodingError>
        do throws(StateDecodingError) {
            reference = .success(try StateDocument(json: try! JSON.parse(bytes)))
        } catch {
            reference = .failure(error)
        }
        let fast: Result<StateDocument, StateStoreError>
        do throws(StateStoreError) {
            fast = .success(try StateDocument(decoding: bytes, path: "s.json"))
        } catch {
            fast = .failure(error)
        }
        switch (reference, fast) {
        case (.success(let expected), .success(let found)):
            #expect(found == expected, sourceLocation: sourceLocation)
        case (.failure(let expected), .failure(.corrupt(_, let diagnostic))):
            #expect(diagnostic.message == "s.json is not a valid state file: \(expected.message)", sourceLocation: sourceLocation)
        case (.failure(.unsupportedFormat(let a)), .failure(.unsupportedFormat(_, let b))):
            #expect(a == b, sourceLocation: sourceLocation)
        default:
            Issue.record("the two decoders disagree: \(reference) against \(fast)", sourceLocation: sourceLocation)
        }
        if case .success = fast { return true }
        return false
    }

    static let header = #"{"format":1,"serial":3,"lineage":"l","keyformVersion":"0.1.0","pendingCreates":[],"integrations":"#

    /// A document whose `integrations` object is `integrations`.
    static func document(_ integrations: String) -> String { header + integrations + "}" }

    /// One record's text with `replacing` edits applied to the canonical members.
    static func record(
        ids: String = #"{"projectId":"p","workspaceId":"w","credentialId":"c"}"#, apiKey: String = #""k""#,
        attributes: String = #"{"title":"T","description":"D","type":"oauth","allowedDomains":[],"redirectUris":["https://x/cb"]}"#,
        services: String = #"["StockSDK","ViewSDK"]"#,
        registrations: String = #"{"hook":{"id":"r1","provider":"ccstorage","eventCodes":["asset_created"],"webhookUrl":"https://h"}}"#,
        protected: String = "false", extra: String = ""
    ) -> String {
        #"{"ids":\#(ids),"apiKey":\#(apiKey),"attributes":\#(attributes),"services":\#(services),"registrations":\#(registrations),"protected":\#(protected)\#(extra)}"#
    }

    @Test func theSampleStateReadsTheSameBothWays() {
        Self.expectAgreement(StateCodecFixtures.document.canonicalText())
        Self.expectAgreement(StateCodecFixtures.document.json.compactText())
    }

    @Test func manyRecordsReadTheSameBothWays() {
        var document = StateDocument(serial: 2, lineage: "l", keyformVersion: "0.1.0")
        for i in 0..<500 {
            var record = [StateCodecFixtures.web, StateCodecFixtures.portal, StateCodecFixtures.sync][i % 3]
            record.attributes.name = "app\(i)"
            record.attributes.title = "App \(i) — “quoted” \\ \u{1F600}"
            record.id.projectId = "\(4_566_206_088_344_794_931 + i)"
            document.integrations[record.name] = record
        }
        Self.expectAgreement(document.canonicalText())
    }

    /// Well-formed records written differently from how Keyform writes them (by hand, or by
    /// another tool): escapes, other member orders, unsorted sets.
    @Test(arguments: [
        document(#"{"a\u0062c":"# + record() + "}"),
        document(#"{"abc":"# + record(apiKey: #""k\u00e9y\n""#) + "}"),
        document(#"{"abc":{"protected":true,"services":[],"registrations":{},"attributes":{"redirectUris":[],"allowedDomains":["b.example","a.example"],"type":"apiKey","description":"","title":"T"},"apiKey":"k","ids":{"credentialId":"c","workspaceId":"w","projectId":"p"}}}"#),
        document(#"{"abc":"# + record(services: #"["ViewSDK","StockSDK","ViewSDK"]"#) + "}"),
        document(#"{"abc":"# + record(registrations: #"{"zz":{"id":"r2","provider":"p","eventCodes":["b","a"],"webhookUrl":"u"},"aa":{"id":"r1","provider":"p","eventCodes":[],"webhookUrl":""}}"#) + "}"),
        document(#"{"b":"# + record() + #","a":"# + record() + "}"),
        document("{}"),
    ])
    func unusualButValidRecordsReadTheSame(text: String) {
        Self.expectAgreement(text)
    }

    /// Every kind of problem the fast path leaves to the generic decoder.
    @Test(arguments: [
        document(#"{"":"# + record() + "}"),
        document(#"{"abc":[]}"#),
        document(#"{"abc":"# + record(extra: #","note":"x""#) + "}"),
        document(#"{"abc":{"ids":{"projectId":"p","workspaceId":"w","credentialId":"c"}}}"#),
        document(#"{"abc":"# + record(ids: #"{"projectId":"","workspaceId":"w","credentialId":"c"}"#) + "}"),
        document(#"{"abc":"# + record(ids: #"{"projectId":"p","workspaceId":"w"}"#) + "}"),
        document(#"{"abc":"# + record(apiKey: #""""#) + "}"),
        document(#"{"abc":"# + record(apiKey: "7") + "}"),
        document(#"{"abc":"# + record(attributes: #"{"title":"T","description":"D","type":"OAuth","allowedDomains":[],"redirectUris":[]}"#) + "}"),
        document(#"{"abc":"# + record(attributes: #"{"title":1,"description":"D","type":"oauth","allowedDomains":[],"redirectUris":[]}"#) + "}"),
        document(#"{"abc":"# + record(services: #"["StockSDK",null]"#) + "}"),
        document(#"{"abc":"# + record(services: #""StockSDK""#) + "}"),
        document(#"{"abc":"# + record(registrations: "[]") + "}"),
        document(#"{"abc":"# + record(registrations: #"{"hook":{"id":"","provider":"p","eventCodes":[],"webhookUrl":"u"}}"#) + "}"),
        document(#"{"abc":"# + record(registrations: #"{"hook":{"id":"r","provider":"p","eventCodes":[],"webhookUrl":"u","extra":1}}"#) + "}"),
        // The same registration name twice, once precomposed and once decomposed: two keys to
        // the parser, one name to Swift.
        document(#"{"abc":"# + record(registrations: #"{"caf\u00e9":{"id":"r1","provider":"p","eventCodes":[],"webhookUrl":"u"},"cafe\u0301":{"id":"r2","provider":"p","eventCodes":[],"webhookUrl":"u"}}"#) + "}"),
        document(#"{"caf\u00e9":"# + record() + #","cafe\u0301":"# + record() + "}"),
        document(#"{"abc":"# + record(protected: "null") + "}"),
    ])
    func problemsGetTheGenericDecodersError(text: String) {
        Self.expectAgreement(text)
    }

    /// Two thousand documents, each the sample state with one random structural edit inside
    /// `integrations` (a member removed, renamed or repeated under another key, a value of
    /// another kind, an empty string, an element added): both decoders agree on every one.
    @Test func randomEditsGetTheSameOutcomeBothWays() {
        var random = SeededGenerator(seed: 0x5EED_57A7E)
        let sample = StateCodecFixtures.document.json
        var decoded = 0
        for _ in 0..<2_000 where Self.expectAgreement(Self.mutated(sample, using: &random).compactText()) {
            decoded += 1
        }
        // Both sides of the fast path are exercised: edits it accepts, and edits it leaves
        // to the generic decoder.
        #expect(decoded > 100)
        #expect(decoded < 1_900)
    }

    /// `json` with one edit at a random place under its `integrations` member.
    static func mutated(_ json: JSON, using random: inout SeededGenerator) -> JSON {
        guard case .object(var members) = json, let i = members.firstIndex(where: { $0.key == "integrations" }) else {
            return json
        }
        members[i].value = edit(members[i].value, depth: 0, using: &random)
        return .object(members)
    }

    private static let replacements: [JSON] = [
        .null, .bool(true), .number(JSONNumber(0)), .string(""), .string("x"), .array([]), .array([.string("a")]), .object([]),
    ]

    private static func edit(_ value: JSON, depth: Int, using random: inout SeededGenerator) -> JSON {
        let descend = depth < 4 && Int.random(in: 0..<4, using: &random) > 0
        switch value {
        case .object(var members) where !members.isEmpty:
            let i = Int.random(in: 0..<members.count, using: &random)
            if descend {
                members[i].value = edit(members[i].value, depth: depth + 1, using: &random)
                return .object(members)
            }
            switch Int.random(in: 0..<3, using: &random) {
            case 0: members.remove(at: i)
            case 1: members[i].key += "x"
            default: members.append(JSONMember(members[i].key + "2", members[i].value))
            }
            return .object(members)
        case .array(var elements) where !elements.isEmpty:
            let i = Int.random(in: 0..<elements.count, using: &random)
            if descend {
                elements[i] = edit(elements[i], depth: depth + 1, using: &random)
            } else {
                elements.append(elements[i])
            }
            return .array(elements)
        default:
            return replacements.randomElement(using: &random) ?? .null
        }
    }
}
