import KeyformJSON
import Testing

@Suite struct JSONWriterTests {
    @Test func canonicalText() throws {
        let input = #"{"name":"web","n":[1,-0.50,1E+400],"empty":{},"none":[],"nested":{"a":[{"b":null}],"t":true,"f":false}}"#
        let expected = """
            {
              "name": "web",
              "n": [
                1,
                -0.50,
                1E+400
              ],
              "empty": {},
              "none": [],
              "nested": {
                "a": [
                  {
                    "b": null
                  }
                ],
                "t": true,
                "f": false
              }
            }

            """
        #expect(try JSON.parse(input).canonicalText() == expected)
        let document = try JSONDocument.parse(input, file: "w.json")
        #expect(String(decoding: document.canonicalBytes(), as: UTF8.self) == expected)
        #expect(document.root.canonicalText() == expected)
    }

    @Test func compactText() throws {
        let input = "{ \"a\" : [ 1 , { } , [ ] , \"x\\/y\" ] ,\n \"b\" : null }"
        let expected = #"{"a":[1,{},[],"x/y"],"b":null}"#
        #expect(try JSON.parse(input).compactText() == expected)
        #expect(try JSONDocument.parse(input, file: "c.json").root.compactText() == expected)
        #expect(try JSONDocument.parse(input, file: "c.json").root["a"]?.compactText() == #"[1,{},[],"x/y"]"#)
    }

    /// Only '"', '\' and U+0000–U+001F are escaped; short forms where they exist.
    @Test func stringsAreEscapedMinimally() throws {
        let input = #"["\u00e9\u65e5\ud83d\ude00\/\u007f\u2028", "\"\\\b\f\n\r\t\u0000\u001f\u0001", "plain é"]"#
        let expected = "[\n  \"é日😀/\u{7F}\u{2028}\",\n  \"\\\"\\\\\\b\\f\\n\\r\\t\\u0000\\u001f\\u0001\",\n  \"plain é\"\n]\n"
        #expect(try JSON.parse(input).canonicalText() == expected)
        #expect(String(decoding: try JSONDocument.parse(input, file: "s.json").canonicalBytes(), as: UTF8.self) == expected)
    }

    @Test func builtValuesAreWritten() {
        let value: JSON = .object([
            JSONMember("version", 1),
            JSONMember("ratio", .number(JSONNumber(0.25))),
            JSONMember("tags", ["a", "b"]),
            JSONMember("note", "line\nbreak"),
            JSONMember("nothing", nil),
        ])
        #expect(value.compactText() == #"{"version":1,"ratio":0.25,"tags":["a","b"],"note":"line\nbreak","nothing":null}"#)
        #expect(JSON.string("").canonicalText() == "\"\"\n")
        #expect(JSON.array([]).canonicalText() == "[]\n")
    }

    @Test func repeatedKeysAreWrittenAsGiven() throws {
        let document = try JSONDocument.parse(#"{"a":1,"a":2}"#, file: "d.json", allowDuplicateKeys: true)
        #expect(document.root.compactText() == #"{"a":1,"a":2}"#)
        #expect(try JSON.parse(#"{"a":1,"a":2}"#, allowDuplicateKeys: true).compactText() == #"{"a":1,"a":2}"#)
    }
}
