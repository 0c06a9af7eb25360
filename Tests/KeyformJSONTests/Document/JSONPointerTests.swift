import KeyformJSON
import Testing

/// RFC 6901's examples, section 5 (JSON string form) and section 6 (URI fragment form).
@Suite struct JSONPointerTests {
    static let example = #"""
        {
          "foo": ["bar", "baz"],
          "": 0,
          "a/b": 1,
          "c%d": 2,
          "e^f": 3,
          "g|h": 4,
          "i\\j": 5,
          "k\"l": 6,
          " ": 7,
          "m~n": 8
        }
        """#

    static let expectations: [(pointer: String, fragment: String, value: JSON)] = [
        ("", "#", try! JSON.parse(example)),
        ("/foo", "#/foo", ["bar", "baz"]),
        ("/foo/0", "#/foo/0", "bar"),
        ("/", "#/", 0),
        ("/a~1b", "#/a~1b", 1),
        ("/c%d", "#/c%25d", 2),
        ("/e^f", "#/e%5Ef", 3),
        ("/g|h", "#/g%7Ch", 4),
        ("/i\\j", "#/i%5Cj", 5),
        ("/k\"l", "#/k%22l", 6),
        ("/ ", "#/%20", 7),
        ("/m~0n", "#/m~0n", 8),
    ]

    @Test func resolvesTheRFCExamples() throws {
        let document = try JSONDocument.parse(Self.example, file: "rfc.json")
        for (text, fragment, value) in Self.expectations {
            let pointer = try JSONPointer(parsing: text)
            #expect(document.resolve(pointer)?.json == value, "\(text)")
            #expect(try JSONPointer(fragment: fragment) == pointer, "\(fragment)")
            #expect(pointer.description == text)
        }
    }

    @Test func tokensAreUnescaped() throws {
        #expect(try JSONPointer(parsing: "/a~1b/m~0n/~01").tokens == ["a/b", "m~n", "~1"])
        #expect(try JSONPointer(parsing: "//").tokens == ["", ""])
        #expect(JSONPointer(tokens: ["a/b", "~"]).description == "/a~1b/~0")
        #expect(JSONPointer.root.appending("integrations").appending(3).appending("name").description == "/integrations/3/name")
        #expect(JSONPointer(tokens: ["a", "b"]).parent == JSONPointer(tokens: ["a"]))
    }

    @Test func malformedPointersAreErrors() {
        #expect(throws: JSONPointerError.missingLeadingSlash("foo")) { try JSONPointer(parsing: "foo") }
        #expect(throws: JSONPointerError.invalidEscape("/a~2")) { try JSONPointer(parsing: "/a~2") }
        #expect(throws: JSONPointerError.invalidEscape("/a~")) { try JSONPointer(parsing: "/a~") }
        #expect(throws: JSONPointerError.invalidEscape("#/a%2")) { try JSONPointer(fragment: "#/a%2") }
        #expect(JSONPointerError.missingLeadingSlash("foo").description == "invalid JSON Pointer 'foo': it must be empty or start with '/'")
    }

    @Test func arrayIndicesAreStrict() throws {
        let document = try JSONDocument.parse(Self.example, file: "rfc.json")
        for text in ["/foo/01", "/foo/-", "/foo/2", "/foo/-1", "/foo/+1", "/foo/bar", "/nothing", "/foo/0/x"] {
            #expect(document.resolve(try JSONPointer(parsing: text)) == nil, "\(text)")
        }
        #expect(document.resolve(try JSONPointer(parsing: "/foo/1"))?.stringValue == "baz")
    }

    @Test func locatesValuesAndFallsBackToTheNearestAncestor() throws {
        let document = try JSONDocument.parse(Self.example, file: "rfc.json")
        let baz = try #require(document.location(of: try JSONPointer(parsing: "/foo/1")))
        #expect((baz.line, baz.column, baz.offset, baz.length) == (2, 18, 19, 5))
        // "/foo/7" does not exist: the array holding the missing element is reported.
        let missing = try #require(document.location(of: try JSONPointer(parsing: "/foo/7/x")))
        #expect((missing.line, missing.column, missing.length) == (2, 10, 14))
        #expect(document.location(of: JSONPointer.root)?.offset == 0)
    }
}
