import KeyformJSON
import KeyformTestSupport
import Testing

@Suite struct DiagnosticRendererTests {
    /// A manifest whose line 11 lacks its comma, as in issue 2's example.
    static let web = """
        {
          "$schema": "../schemas/manifest.schema.json",
          "integrations": [
            {
              "name": "stocksearchweb",
              "title": "Stock Search Web",
              "description": "Adobe Stock search for the marketing site's image picker.",
              "type": "apiKey",
              "allowedDomains": ["www.example.com"],
              "protected": true,
              "formerNames": ["stocksearch"]
              "services": ["StockSDK"]
            }
          ]
        }

        """

    /// Parses `text` as `file` and renders what went wrong.
    static func rendered(_ text: [UInt8], file: String, color: Bool = false) -> String {
        do {
            _ = try JSONDocument.parse(text, file: file)
            return "(parsed)"
        } catch {
            return DiagnosticRenderer(sources: [file: text], color: color).render(error.diagnostics)
        }
    }

    @Test func rendersLikeACompiler() {
        let text = Self.rendered(Array(Self.web.utf8), file: "integrations/web.json")
        #expect(text == """
            integrations/web.json:12:7: error[KF103]: expected ',' or '}' after an object member
               12 |       "services": ["StockSDK"]
                  |       ^
            help: add ',' between the members

            """)
    }

    static let goldenCases: [(name: String, file: String, input: [UInt8])] = [
        ("missing-comma", "integrations/web.json", Array(web.utf8)),
        ("duplicate-key", "integrations/dup.json", Array("{\n  \"name\": \"a\",\n  \"title\": \"b\",\n  \"name\": \"c\"\n}\n".utf8)),
        ("unterminated-string", "open.json", Array("{\n  \"description\": \"never closed".utf8)),
        ("line-break-in-string", "break.json", Array("{\n  \"description\": \"never closed\n}\n".utf8)),
        ("unclosed-object", "unclosed.json", Array("{\n  \"integrations\": [\n    {\"name\": \"x\"}\n  ]\n".utf8)),
        ("invalid-utf8", "latin1.json", Array("{\"title\": \"Caf".utf8) + [0xE9] + Array(" \u{65E5}\"}".utf8)),
        ("tab-indented", "tabs.json", Array("{\n\t\"a\": 1,\n\t\t\"b\": tru\n}".utf8)),
        ("long-line", "minified.json", Array(("[" + (0..<400).map { "\"item\($0)\"" }.joined(separator: ",") + ",]").utf8)),
        ("byte-order-mark", "bom.json", [0xEF, 0xBB, 0xBF] + Array("{}".utf8)),
        ("nesting-too-deep", "deep.json", Array((String(repeating: "[", count: 600) + String(repeating: "]", count: 600)).utf8)),
        ("empty", "empty.json", []),
    ]

    @Test(arguments: goldenCases.map(\.name))
    func golden(_ name: String) throws {
        let entry = try #require(Self.goldenCases.first { $0.name == name })
        let text = Self.rendered(entry.input, file: entry.file)
        if let difference = Golden.check(text, against: "json/\(name).txt") { Issue.record("\(difference)") }
    }

    @Test func colourOnlyWhenAsked() {
        let input = Array("{\n  \"name\": \"a\",\n  \"name\": \"b\"\n}\n".utf8)
        let text = Self.rendered(input, file: "c.json", color: true)
        if let difference = Golden.check(text, against: "json/colour.txt") { Issue.record("\(difference)") }
        #expect(text.contains("\u{1B}[1;31merror[KF109]\u{1B}[0m"))
        #expect(!Self.rendered(input, file: "c.json").contains("\u{1B}"))
    }

    @Test func withoutLocationOrSource() {
        let renderer = DiagnosticRenderer(source: { _ in nil })
        let diagnostics: [Diagnostic] = [
            .error("KF100", "cannot read 'missing.json': no such file or directory"),
            .warning(
                "KF201", "unknown field 'servces'", at: SourceLocation(file: "gone.json", line: 3, column: 5, offset: 20, length: 9),
                notes: [.init("fields are listed in the schema")], suggestion: "did you mean 'services'?"),
        ]
        #expect(renderer.render(diagnostics) == """
            error[KF100]: cannot read 'missing.json': no such file or directory
            gone.json:3:5: warning[KF201]: unknown field 'servces'
            note: fields are listed in the schema
            help: did you mean 'services'?

            """)
    }

    @Test func linesAreFoundByNumberEvenWithoutOffsets() {
        // Locations built by hand (offset 0) still show the right line.
        let source = Array("{\n  \"a\": 1,\n  \"b\": 2\n}\n".utf8)
        let renderer = DiagnosticRenderer(sources: ["x.json": source])
        let text = renderer.render(.error("KF301", "bad b", at: SourceLocation(file: "x.json", line: 3, column: 8)))
        #expect(text == "x.json:3:8: error[KF301]: bad b\n    3 |   \"b\": 2\n      |        ^\n")
    }

    @Test func jsonForMachines() throws {
        var diagnostics: [Diagnostic] = []
        for (_, file, input) in Self.goldenCases.prefix(2) {
            do { _ = try JSONDocument.parse(input, file: file) } catch { diagnostics += error.diagnostics }
        }
        diagnostics.append(.error("KF100", "cannot read 'missing.json': no such file or directory"))
        let text = DiagnosticRenderer.json(diagnostics).canonicalText()
        if let difference = Golden.check(text, against: "json/diagnostics.json") { Issue.record("\(difference)") }
        let parsed = try JSONDocument.parse(text, file: "out.json").root
        #expect(parsed.elements.map { $0["code"]?.stringValue } == ["KF103", "KF109", "KF100"])
        #expect(parsed[1]?["notes"]?[0]?["line"]?.numberValue?.int == 2)
        #expect(parsed[2]?["line"]?.isNull == true)
    }

    @Test(arguments: [
        ("plain 'web' and é", "plain 'web' and é"),
        ("line\nbreak\ttab\rreturn", #"line\nbreak\ttab\rreturn"#),
        ("\u{1B}[31mred\u{0}", #"\u001b[31mred\u0000"#),
        ("del\u{7F} c1\u{85}", #"del\u007f c1\u0085"#),
        ("abc\u{202E}cba \u{2066}x\u{2069}", #"abc\u202ecba \u2066x\u2069"#),
    ])
    func controlCharactersAreShownAsTheirEscapes(_ text: String, _ shown: String) {
        #expect(Diagnostic.displayable(text) == shown)
    }

    @Test func messagesNotesAndHelpAreShownDisplayable() {
        let diagnostic = Diagnostic.error(
            "KF302", "unknown service 'a\u{1B}[2Jb'", notes: [.init("note \u{0}")], suggestion: "did you mean 'x\ny'?")
        #expect(DiagnosticRenderer(sources: [:]).render(diagnostic)
            == "error[KF302]: unknown service 'a\\u001b[2Jb'\nnote: note \\u0000\nhelp: did you mean 'x\\ny'?\n")
    }

    @Test func aFileNameIsShownDisplayableToo() {
        let diagnostic = Diagnostic.error("KF302", "x", at: SourceLocation(file: "a\u{1B}[2J.json", line: 1, column: 2))
        #expect(DiagnosticRenderer(sources: [:]).render(diagnostic) == "a\\u001b[2J.json:1:2: error[KF302]: x\n")
    }
}
