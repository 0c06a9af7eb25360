import KeyformJSON
import Testing

/// Errors land exactly where they are: line and column (in Unicode scalars), byte offset, code.
@Suite struct JSONErrorLocationTests {
    struct Expected: Sendable, CustomTestStringConvertible {
        var name: String
        var input: [UInt8]
        var code: String
        var line: Int
        var column: Int
        var offset: Int
        var message: String
        var testDescription: String { name }
    }

    static func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

    static let cases: [Expected] = [
        Expected(
            name: "missing comma", input: utf8("{\n  \"name\": \"web\"\n  \"type\": \"apiKey\"\n}\n"),
            code: "KF103", line: 3, column: 3, offset: 20, message: "expected ',' or '}' after an object member"),
        Expected(
            name: "missing comma in an array", input: utf8("[\n  1,\n  2\n  3\n]"),
            code: "KF103", line: 4, column: 3, offset: 13, message: "expected ',' or ']' after an array element"),
        Expected(
            name: "trailing comma", input: utf8("{\n  \"services\": [\"StockSDK\",],\n}\n"),
            code: "KF114", line: 2, column: 26, offset: 27, message: "trailing comma before ']'"),
        Expected(
            name: "trailing comma in an object", input: utf8("{\n  \"a\": 1,\n}"),
            code: "KF114", line: 2, column: 9, offset: 10, message: "trailing comma before '}'"),
        Expected(
            name: "bad escape", input: utf8("{\n  \"path\": \"C:\\dir\"\n}"),
            code: "KF112", line: 2, column: 14, offset: 15, message: "invalid escape '\\d' in a string"),
        Expected(
            name: "control character in a string", input: utf8("{\"a\": \"x\ty\"}"),
            code: "KF111", line: 1, column: 9, offset: 8, message: "unescaped control character U+0009 in a string"),
        Expected(
            name: "line break in a string", input: utf8("[\"one\ntwo\"]"),
            code: "KF111", line: 1, column: 6, offset: 5, message: "unescaped line break in a string"),
        Expected(
            // 'é' is two bytes but one column: the byte at offset 8 is in column 8.
            name: "invalid UTF-8 byte", input: utf8("{\"é\": \"") + [0xFF] + utf8("\"}"),
            code: "KF113", line: 1, column: 8, offset: 8, message: "invalid UTF-8: byte 0xFF cannot start a character"),
        Expected(
            name: "overlong UTF-8", input: utf8("[\n\"") + [0xC0, 0xAF] + utf8("\"]"),
            code: "KF113", line: 2, column: 2, offset: 3, message: "invalid UTF-8: overlong encoding (byte 0xC0)"),
        Expected(
            name: "encoded surrogate", input: utf8("[\"") + [0xED, 0xA0, 0x80] + utf8("\"]"),
            code: "KF113", line: 1, column: 3, offset: 2, message: "invalid UTF-8: encoded surrogate (U+D800–U+DFFF)"),
        Expected(
            name: "unterminated string at end of file", input: utf8("{\n  \"name\": \"web"),
            code: "KF108", line: 2, column: 11, offset: 12,
            message: "unterminated string: no closing '\"' before the end of the input"),
        Expected(
            name: "end of input inside an object", input: utf8("{\n  \"a\": [1, 2]\n"),
            code: "KF101", line: 3, column: 1, offset: 16, message: "unexpected end of input: expected ',' or '}'"),
        Expected(
            name: "CRLF line ends", input: utf8("{\r\n  \"a\": 1\r\n  \"b\": 2\r\n}"),
            code: "KF103", line: 3, column: 3, offset: 15, message: "expected ',' or '}' after an object member"),
        Expected(
            name: "leading zero", input: utf8("{\"port\": 080}"),
            code: "KF107", line: 1, column: 10, offset: 9, message: "invalid number: leading zeros are not allowed"),
        Expected(
            name: "comment", input: utf8("{\n  // the name\n  \"name\": \"x\"\n}"),
            code: "KF117", line: 2, column: 3, offset: 4, message: "comments are not allowed in JSON"),
        Expected(
            name: "single quotes", input: utf8("{\"a\": 'b'}"),
            code: "KF104", line: 1, column: 7, offset: 6, message: "strings must be in double quotes"),
        Expected(
            name: "NaN", input: utf8("[1, NaN]"),
            code: "KF104", line: 1, column: 5, offset: 4, message: "'NaN' is not a JSON value"),
        Expected(
            name: "unquoted key", input: utf8("{name: 1}"),
            code: "KF105", line: 1, column: 2, offset: 1, message: "object keys must be in double quotes"),
        Expected(
            name: "missing colon", input: utf8("{\"a\" 1}"),
            code: "KF106", line: 1, column: 6, offset: 5, message: "expected ':' after the key \"a\""),
        Expected(
            name: "lone surrogate escape", input: utf8("[\"ok\", \"\\ud800x\"]"),
            code: "KF115", line: 1, column: 9, offset: 8,
            message: "lone surrogate escape '\\ud800': a high surrogate without the low one after it"),
        Expected(
            name: "byte order mark", input: [0xEF, 0xBB, 0xBF] + utf8("{}"),
            code: "KF116", line: 1, column: 1, offset: 0, message: "the file starts with a byte order mark (U+FEFF)"),
        Expected(
            name: "data after the value", input: utf8("{}\n{}"),
            code: "KF102", line: 2, column: 1, offset: 3, message: "unexpected '{' after the JSON value"),
        Expected(
            name: "empty document", input: utf8("  \n"),
            code: "KF101", line: 2, column: 1, offset: 3, message: "the document is empty: expected a JSON value"),
        Expected(
            name: "nesting too deep", input: utf8(String(repeating: "[", count: 513) + String(repeating: "]", count: 513)),
            code: "KF110", line: 1, column: 513, offset: 512, message: "nesting deeper than 512 levels"),
    ]

    @Test(arguments: cases)
    func errorIsLocated(_ expected: Expected) {
        do {
            _ = try JSONDocument.parse(expected.input, file: "in.json")
            Issue.record("accepted")
        } catch {
            #expect(error.diagnostics.count == 1)
            let diagnostic = error.diagnostics.first
            #expect(diagnostic?.code == expected.code)
            #expect(diagnostic?.message == expected.message)
            #expect(diagnostic?.severity == .error)
            #expect(diagnostic?.location?.file == "in.json")
            #expect(diagnostic?.location?.line == expected.line)
            #expect(diagnostic?.location?.column == expected.column)
            #expect(diagnostic?.location?.offset == expected.offset)
        }
        // The owned-tree entry point reports the same code at the same offset.
        #expect(throws: JSONSyntaxError(code: expected.code, message: expected.message, offset: expected.offset)) {
            try JSON.parse(expected.input)
        }
    }

    @Test func duplicateKeyNamesBothPlaces() throws {
        let input = "{\n  \"name\": \"a\",\n  \"title\": \"b\",\n  \"name\": \"c\"\n}\n"
        let error = try #require(throws: JSONDocumentError.self) { try JSONDocument.parse(input, file: "web.json") }
        #expect(error.diagnostics.count == 1)
        let diagnostic = try #require(error.diagnostics.first)
        #expect(diagnostic.code == "KF109")
        #expect(diagnostic.message == "duplicate key 'name'")
        #expect(diagnostic.location == SourceLocation(file: "web.json", line: 4, column: 3, offset: 35, length: 6))
        #expect(diagnostic.notes == [
            .init("the first 'name' is here", location: SourceLocation(file: "web.json", line: 2, column: 3, offset: 4, length: 6))
        ])
        #expect(diagnostic.suggestion == "remove one of the two members, or rename one")
        #expect(throws: JSONSyntaxError(code: "KF109", message: "duplicate key 'name'", offset: 35)) { try JSON.parse(input) }
    }

    @Test func everyDuplicateIsReportedInDocumentOrder() throws {
        let input = #"{"b": {"x": 1, "x": 2}, "a": 1, "b": 2, "a": 3, "a": 4}"#
        let error = try #require(throws: JSONDocumentError.self) { try JSONDocument.parse(input, file: "d.json") }
        #expect(error.diagnostics.map(\.message) == ["duplicate key 'x'", "duplicate key 'b'", "duplicate key 'a'", "duplicate key 'a'"])
        #expect(error.diagnostics.map { $0.location?.column ?? 0 } == [16, 33, 41, 49])
        // Each later 'a' is paired with the first one.
        #expect(error.diagnostics.map { $0.notes.first?.location?.column ?? 0 } == [8, 2, 25, 25])
    }
}
