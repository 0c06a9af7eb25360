@testable import KeyformJSON
import Testing

/// Validation of a parsed document in place (`JSONSchema.isValid(_: JSONValueRef, replacing:)`):
/// the same answers as on the owned tree, with replaced strings read instead of the document's.
@Suite struct SchemaInPlaceTests {
    static let schema = #"""
        {"type": "object", "required": ["name"], "additionalProperties": false,
         "properties": {"name": {"type": "string", "pattern": "^[a-z]{3,8}$"},
                        "url": {"type": "string", "maxLength": 12},
                        "count": {"type": "integer", "minimum": 1},
                        "tags": {"type": "array", "uniqueItems": true, "items": {"enum": ["a", "b", 3]}}}}
        """#

    @Test(arguments: [
        (#"{"name": "web"}"#, true),
        (#"{"name": "Web"}"#, false),
        (#"{"nam": "web"}"#, false),
        (#"{"name": "w\u0065b"}"#, true),
        (#"{"n\u0061me": "web"}"#, true),
        (#"{"name": "web", "count": 2}"#, true),
        (#"{"name": "web", "count": 2.0}"#, true),
        (#"{"name": "web", "count": 0}"#, false),
        (#"{"name": "web", "count": 1.5}"#, false),
        (#"{"name": "web", "tags": ["a", 3]}"#, true),
        (#"{"name": "web", "tags": ["a", "a"]}"#, false),
        (#"{"name": "web", "tags": ["c"]}"#, false),
        (#"{"name": "web", "tags": [3.0]}"#, true),
        (#"{"name": "web", "url": "ééééééééééé"}"#, true),
        (#"{"name": "web", "url": "éééééééééééééé"}"#, false),
    ])
    func agreesWithTheTreeValidator(instance: String, valid: Bool) throws {
        let schema = try JSONSchema(compiling: try JSON.parse(Self.schema))
        let document = try JSONDocument.parse(instance, file: "x.json")
        #expect(schema.isValid(document.root.json) == valid)
        #expect(schema.isValid(document.root) == valid)
    }

    @Test func replacedStringsAreValidatedInsteadOfTheDocuments() throws {
        let schema = try JSONSchema(compiling: try JSON.parse(Self.schema))
        let document = try JSONDocument.parse(#"{"name": "${env:NAME}", "url": "https://x"}"#, file: "x.json")
        let name = try #require(document.root["name"])
        #expect(!schema.isValid(document.root))
        var replacements = JSONStringReplacements()
        replacements.replace(name, with: "web")
        #expect(replacements.replacement(for: name) == "web")
        #expect(replacements.replacement(for: try #require(document.root["url"])) == nil)
        #expect(schema.isValid(document.root, replacing: replacements))
        replacements.replace(name, with: "Web")
        #expect(!schema.isValid(document.root, replacing: replacements))
    }

    @Test func aTapeViewReadsValuesByIndex() throws {
        let document = try JSONDocument.parse(#"{"a": [1, "x\n"], "b": true}"#, file: "x.json")
        let (keys, kinds, strings, bools) = document.withTapeView { view in
            var keys: [String] = [], kinds: [JSONKind] = [], strings: [String] = [], bools: [Bool?] = []
            var k = 1
            while k < view.end(of: 0) {
                keys.append(view.string(k))
                kinds.append(view.kind(k + 1))
                bools.append(view.bool(k + 1))
                k = view.next(after: k + 1)
            }
            let array = 2
            var e = array + 1
            while e < view.end(of: array) {
                if view.kind(e) == .string { strings.append(view.string(e)) }
                e = view.next(after: e)
            }
            return (keys, kinds, strings, bools)
        }
        #expect(keys == ["a", "b"])
        #expect(kinds == [.array, .bool])
        #expect(strings == ["x\n"])
        #expect(bools == [nil, true])
        let x = try #require(document.root["a"]?[1])
        #expect(document.value(atTapeIndex: x.tapeIndex) == x)
        #expect(document.withTapeView { $0.byteRange(x.tapeIndex) } == x.byteRange)
        #expect(document.withTapeView { !$0.isPlainString(x.tapeIndex) })
    }
}

/// `JSONTapeView` reads a node's kind bits directly; they must be `JSONTape.Kind`'s raw values.
@Suite struct TapeViewKindTests {
    @Test func theViewsKindNumbersAreTheTapes() {
        #expect(JSONTape.Kind.null.rawValue == 0)
        #expect(JSONTape.Kind.false.rawValue == 1)
        #expect(JSONTape.Kind.true.rawValue == 2)
        #expect(JSONTape.Kind.number.rawValue == 3)
        #expect(JSONTape.Kind.string.rawValue == JSONTapeView.plainStringKind)
        #expect(JSONTape.Kind.escapedString.rawValue == 5)
        #expect(JSONTape.Kind.array.rawValue == 6)
        #expect(JSONTape.Kind.object.rawValue == 7)
        #expect(JSONTape.Kind.end.rawValue == 8)
    }
}
