@testable import KeyformCore
import KeyformTestSupport
import Testing

/// The shortcuts the manifest loader takes for speed, each held to the plain way or to exact
/// answers: path normalization that returns a normal path as it is, `${env:…}` substitution on
/// bytes, the generic-name test that looks at the first two letters before anything else, and
/// the byte order of discovered paths.
@Suite struct LoaderShortcutTests {
    // MARK: - Paths

    @Test(arguments: [
        ("integrations/team000.json", "integrations/team000.json"),
        ("/work/repo/m/a.json", "/work/repo/m/a.json"),
        ("a//b", "a/b"), ("a/b/", "a/b"), ("./a", "a"), ("a/./b", "a/b"), ("a/../b", "b"), ("../a", "../a"),
        ("/", "/"), ("", "."), (".", "."), ("..", ".."), ("/..", "/"), ("...", "..."), ("a/.../b", "a/.../b"),
        (".hidden/x.json", ".hidden/x.json"), ("a/..b/c", "a/..b/c"), ("//a", "/a"),
    ])
    func normalizeGivesTheNormalForm(_ path: String, _ normal: String) {
        #expect(PathSyntax.normalize(path) == normal)
        #expect(PathSyntax.normalizeComponents(path) == normal)
    }

    @Test func normalizeAgreesWithTheComponentByComponentWayOnRandomPaths() {
        var random = SeededGenerator(seed: 7)
        let pieces = ["a", "bc", ".", "..", "...", "", ".x", "x.", "team0.json"]
        for _ in 0..<5_000 {
            let count = Int.random(in: 1...5, using: &random)
            var path = (0..<count).map { _ in pieces.randomElement(using: &random)! }.joined(separator: "/")
            if Bool.random(using: &random) { path = "/" + path }
            if Bool.random(using: &random) { path += "/" }
            let normal = PathSyntax.normalize(path)
            if normal != PathSyntax.normalizeComponents(path) {
                Issue.record("normalize(\"\(path)\") is \"\(normal)\", not \"\(PathSyntax.normalizeComponents(path))\"")
                return
            }
        }
    }

    // MARK: - Substitution

    static let environment = ["HOST": "hooks.example.com", "STAGE": "prod", "EMPTY": ""]

    @Test(arguments: [
        ("https://${env:HOST}/a", "https://hooks.example.com/a", [String]()),
        ("${env:HOST}${env:STAGE}", "hooks.example.comprod", []),
        ("x${env:EMPTY}y", "xy", []),
        ("$${env:HOST}", "${env:HOST}", []),
        ("a$$b", nil, []),
        ("cost: 5$", nil, []),
        ("${stage}/$x", nil, []),
        ("${env:MISSING}/${env:HOST}", "${env:MISSING}/hooks.example.com", ["undefined MISSING 0..<14"]),
        ("${env:HOST}/${env:STAGE", "hooks.example.com/${env:STAGE", ["unterminated ${env:STAGE 12..<23"]),
        ("${env:}", nil, ["empty 0..<7"]),
        ("é${env:9X}", nil, ["invalid 9X 2..<11"]),
        ("été/${env:STAGE}/ü", "été/prod/ü", []),
    ] as [(String, String?, [String])])
    func substitutionGivesTheValueAndEachProblemWithItsByteRange(_ text: String, _ substituted: String?, _ problems: [String]) {
        let result = EnvironmentSubstitution.substitute(text, environment: Self.environment)
        #expect(result.substituted == substituted)
        #expect(result.problems.map(Self.describe) == problems)
        var bytes = text
        let inPlace = bytes.withUTF8 { EnvironmentSubstitution.substitute(utf8: $0, environment: Self.environment) }
        #expect(inPlace.substituted.map { String(decoding: $0, as: UTF8.self) } == substituted)
        #expect(inPlace.problems == result.problems)
    }

    static func describe(_ problem: EnvironmentSubstitution.Problem) -> String {
        let range = "\(problem.range.lowerBound)..<\(problem.range.upperBound)"
        switch problem.kind {
        case .undefined(let name): return "undefined \(name) \(range)"
        case .unterminated(let reference): return "unterminated \(reference) \(range)"
        case .emptyName: return "empty \(range)"
        case .invalidName(let name): return "invalid \(name) \(range)"
        }
    }

    // MARK: - Generic names

    /// The plain definition: lower-cased letters only, split into generic words.
    static func isGenericByDefinition(_ value: String) -> Bool {
        guard value.unicodeScalars.contains(where: { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }) else {
            return false
        }
        let letters = Array(value.unicodeScalars.filter { $0.isASCII && $0.properties.isAlphabetic }.map { Character($0).lowercased() }.joined())
        var reachable = [Bool](repeating: false, count: letters.count + 1)
        reachable[0] = true
        for start in 0..<letters.count where reachable[start] {
            for word in GenericNameLint.words where start + word.count <= letters.count {
                if String(letters[start..<start + word.count]) == word { reachable[start + word.count] = true }
            }
        }
        return reachable[letters.count]
    }

    @Test func theGenericNameTestAgreesWithItsDefinition() {
        var random = SeededGenerator(seed: 11)
        let words = Array(GenericNameLint.words).sorted()
        let others = ["shop", "Catalog", "x", "Q", "stock", "é", "2", " ", "-", "Web", "apI", "A"]
        for _ in 0..<5_000 {
            let count = Int.random(in: 1...4, using: &random)
            let value = (0..<count).map { _ in
                Int.random(in: 0..<3, using: &random) == 0 ? others.randomElement(using: &random)! : words.randomElement(using: &random)!
            }.joined(separator: Bool.random(using: &random) ? " " : "")
            if GenericNameLint.isGeneric(value) != Self.isGenericByDefinition(value) {
                Issue.record("isGeneric(\"\(value)\") is \(GenericNameLint.isGeneric(value))")
                return
            }
        }
    }

    // MARK: - Path order

    @Test func discoveredPathsSortByTheirBytes() {
        let paths = ["m/b.json", "m/a/z.json", "m/a.json", "m/ä.json", "m/Z.json", "m/a-b.json", "m/", "m", "m/a.json.json"]
        let sorted = paths.sorted(by: ManifestDiscovery.precedes)
        #expect(sorted == paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(sorted.first == "m")
    }

    // MARK: - Columns

    /// Columns from the per-block counts equal columns counted from the line's start, on text
    /// with long lines, short ones, multi-byte characters and CRLF, at every offset.
    @Test func columnsFromBlocksAgreeWithCountingFromTheLineStart() {
        var random = SeededGenerator(seed: 5)
        let pieces: [[UInt8]] = [Array("a".utf8), Array("é".utf8), Array("日本".utf8), Array("😀".utf8), [0x0A], [0x0D, 0x0A], Array("  \"k\": 1,".utf8)]
        for length in [0, 1, 1023, 1024, 1025, 5000] {
            var bytes: [UInt8] = []
            while bytes.count < length {
                // Mostly one long line, sometimes a break.
                let piece = Int.random(in: 0..<100, using: &random) < 3 ? pieces[4 + Int.random(in: 0...1, using: &random)]
                    : pieces[[0, 1, 2, 3, 6].randomElement(using: &random)!]
                bytes += piece
            }
            let index = LineIndex(file: "a.json", bytes: bytes)
            for offset in 0...bytes.count where index.location(offset: offset, length: 0).column != index.columnCountedFromLineStart(offset) {
                Issue.record("length \(length), offset \(offset): \(index.location(offset: offset, length: 0).column) != \(index.columnCountedFromLineStart(offset))")
                return
            }
        }
    }

    // MARK: - URLs

    @Test(arguments: [
        ("https://hooks.example.com/a", nil),
        ("http://localhost:8080/a", nil), ("http://127.0.0.1/a", nil), ("http://[::1]:9000/a", nil), ("HTTP://LOCALHOST/", nil),
        ("http://hooks.example.com/a", URLPolicy.Problem.scheme("http")),
        ("http://localhost.evil.com/", .scheme("http")), ("http://localhost@evil.com/", .scheme("http")),
        ("ftp://h.example.com/", .scheme("ftp")),
        // Parsers disagree on these; none is taken for a local or https URL.
        ("http://evil.example.com\\@localhost/hook", .notAURL), ("https:// /a", .notAURL), ("https://exa mple.com/a", .notAURL),
        ("http://[::1]evil.com/", .notAURL), ("https://x.example.com/\u{0}", .notAURL), ("https://x.example.com/\t", .notAURL),
        ("hooks.example.com/a", .notAURL), ("https:///a", .notAURL),
    ] as [(String, URLPolicy.Problem?)])
    func urlsAreJudgedAsABrowserWouldReadThem(_ url: String, _ problem: URLPolicy.Problem?) {
        #expect(URLPolicy.problem(with: url) == problem)
    }
}
