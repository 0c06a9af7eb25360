import Foundation
import KeyformJSON
import Testing

@Suite struct JSONDocumentTests {
    static let manifest = """
        {
          "integrations": [
            {
              "name": "stocksearchweb",
              "title": "Caf\\u00e9 \\"Stock\\"",
              "protected": true,
              "limit": -1.50e3,
              "owner": null,
              "services": ["StockSDK", "日本"]
            }
          ]
        }

        """

    static func document() throws -> JSONDocument {
        try JSONDocument.parse(manifest, file: "integrations/web.json")
    }

    @Test func readsValuesThroughReferences() throws {
        let root = try Self.document().root
        #expect(root.kind == .object)
        #expect(root.members.map(\.key) == ["integrations"])
        let integration = try #require(root["integrations"]?[0])
        #expect(integration.members.map(\.key) == ["name", "title", "protected", "limit", "owner", "services"])
        #expect(integration.count == 6)
        #expect(integration["name"]?.stringValue == "stocksearchweb")
        #expect(integration["title"]?.stringValue == "Café \"Stock\"")
        #expect(integration["protected"]?.boolValue == true)
        #expect(integration["limit"]?.numberValue == JSONNumber(literal: "-1.50e3"))
        #expect(integration["limit"]?.kind == .number)
        #expect(integration["owner"]?.isNull == true)
        #expect(integration["owner"]?.kind == .null)
        #expect(integration["services"]?.elements.compactMap(\.stringValue) == ["StockSDK", "日本"])
        #expect(integration["missing"] == nil)
        #expect(integration["services"]?[2] == nil)
        #expect(integration["name"]?.elements == [])
        #expect(integration["name"]?.members == [])
        #expect(integration["name"]?.boolValue == nil)
        #expect(integration["protected"]?.stringValue == nil)
    }

    @Test func valuesKnowTheirPlace() throws {
        let document = try Self.document()
        let integration = try #require(document.root["integrations"]?[0])
        let name = try #require(integration["name"])
        #expect(document.location(of: name) == SourceLocation(file: "integrations/web.json", line: 4, column: 15, offset: 42, length: 16))
        #expect(name.byteRange == 42..<58)
        let member = try #require(integration.members.first)
        #expect(document.location(ofKey: member) == SourceLocation(file: "integrations/web.json", line: 4, column: 7, offset: 34, length: 6))
        #expect(member.keyRange == 34..<40)
        // Columns count characters: "日本" is 6 bytes, 2 columns.
        let services = try #require(integration["services"])
        let japan = try #require(services[1])
        let line = document.location(of: japan)
        #expect((line.line, line.column, line.length) == (9, 32, 8))
        // A container's range runs to its closing bracket.
        #expect(document.location(of: services).length == 22)
        #expect(document.location(of: document.root) == SourceLocation(file: "integrations/web.json", line: 1, column: 1, offset: 0, length: 220))
        #expect(document.location(atOffset: 10_000).offset == document.bytes.count)
    }

    @Test func materializesTheSameTreeAsJSONParse() throws {
        let document = try Self.document()
        #expect(document.root.json == (try JSON.parse(Self.manifest)))
        #expect(document.root["integrations"]?[0]?["limit"]?.json == .number(JSONNumber(literal: "-1.50e3")))
    }

    @Test func duplicateKeysAreCollectedWhenAllowed() throws {
        let input = "{\"a\": 1, \"\\u0061\": 2, \"b\": {\"c\": 1, \"c\": 2}}"
        let document = try JSONDocument.parse(input, file: "d.json", allowDuplicateKeys: true)
        #expect(document.duplicateKeys.map(\.second.key) == ["a", "c"])
        #expect(document.duplicateKeys.map { document.location(ofKey: $0.first).column } == [2, 29])
        #expect(document.duplicateKeys.map { document.location(ofKey: $0.second).column } == [10, 37])
        // The first member with a key wins for lookups.
        #expect(document.root["a"]?.json == 1)
        #expect(document.diagnostic(for: document.duplicateKeys[0], severity: .warning).severity == .warning)
    }

    @Test func keysCompareByScalarsNotByCanonicalEquivalence() throws {
        // "é" precomposed (U+00E9) and decomposed (e + U+0301) are different keys in JSON.
        let input = "{\"\u{E9}\": 1, \"e\u{301}\": 2}"
        let document = try JSONDocument.parse(input, file: "d.json")
        #expect(document.duplicateKeys.isEmpty)
        #expect(document.root.members.count == 2)
    }

    @Test(arguments: [9, 10, 40, 300])
    func largeObjectsFindDuplicatesToo(_ size: Int) throws {
        var members = (0..<size).map { "\"key\($0)\": \($0)" }
        members.append("\"k\\u0065y\(size / 2)\": true")  // an escaped spelling of an earlier key
        let input = "{" + members.joined(separator: ", ") + "}"
        let error = try #require(throws: JSONDocumentError.self) { try JSONDocument.parse(input, file: "big.json") }
        #expect(error.diagnostics.map(\.message) == ["duplicate key 'key\(size / 2)'"])
        let document = try JSONDocument.parse(input, file: "big.json", allowDuplicateKeys: true)
        #expect(document.duplicateKeys.count == 1)
        #expect(document.duplicateKeys.first?.first.value.json == .number(size / 2))
    }

    @Test func scalarsAtTheTopLevel() throws {
        #expect(try JSONDocument.parse(" 12 ", file: "n").root.numberValue?.literal == "12")
        #expect(try JSONDocument.parse("\"x\"", file: "s").root.stringValue == "x")
        #expect(try JSONDocument.parse("false", file: "b").root.boolValue == false)
        #expect(try JSONDocument.parse("null", file: "z").root.byteRange == 0..<4)
    }

    @Test func stringsDecodeEveryEscape() throws {
        let input = #"["\"\\\/\b\f\n\r\t\u0041\u00e9\u65e5\ud83d\ude00", "plain"]"#
        let root = try JSONDocument.parse(input, file: "e.json").root
        #expect(root[0]?.stringValue == "\"\\/\u{8}\u{C}\n\r\tAé日😀")
        #expect(root[1]?.stringValue == "plain")
    }

    @Test func referencesAreHashableHandles() throws {
        let document = try Self.document()
        let a = document.root["integrations"]
        let b = document.root["integrations"]
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
        let other = try Self.document()
        #expect(other.root != document.root)
    }

    /// Element by position, near (walked) and far (from the table made on the first far read),
    /// in a long array of nested values, from several threads at once: always the element the
    /// array's own iteration gives, and nil past the end.
    @Test func elementsByPositionAgreeWithIteration() throws {
        let items = (0..<1_000).map { i in i % 3 == 0 ? "{\"k\": [\(i), {\"n\": \(i)}]}" : i % 3 == 1 ? "[\(i), \(i)]" : "\"s\(i)\"" }
        let document = try JSONDocument.parse("[" + items.joined(separator: ", ") + "]", file: "a.json")
        let elements = document.root.elements
        #expect(elements.count == 1_000)
        let mismatches = Mismatches()
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for position in stride(from: 1_001 - worker, through: 0, by: -1) {
                let expected = position < elements.count ? elements[position] : nil
                if document.root[position] != expected { mismatches.add(position) }
            }
        }
        #expect(mismatches.all.isEmpty)
        #expect(document.root[-1] == nil)
        #expect(document.root[999]?["k"]?[1]?["n"]?.json == .number(JSONNumber(literal: "999")))
    }
}

/// Positions that disagreed, collected from several threads.
private final class Mismatches: @unchecked Sendable {
    private let lock = NSLock()
    private var positions: [Int] = []

    func add(_ position: Int) { lock.withLock { positions.append(position) } }
    var all: [Int] { lock.withLock { positions } }
}
