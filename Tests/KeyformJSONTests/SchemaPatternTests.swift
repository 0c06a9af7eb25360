@testable import KeyformJSON
import Testing

/// `ECMAPattern` against expectations computed with an ECMA-262 engine (`new RegExp(p, "u")`),
/// and the two matchers (table automaton and thread VM) against each other.
@Suite struct SchemaPatternTests {
    static let cases: [(pattern: String, text: String, matches: Bool)] = [
        (#"^a*$"#, "", true),
        (#"^a*$"#, "aaa", true),
        (#"^a*$"#, "abc", false),
        (#"a+"#, "xxaayy", true),
        (#"a+"#, "xyz", false),
        (#"^[A-Za-z0-9]{3,45}$"#, "abc", true),
        (#"^[A-Za-z0-9]{3,45}$"#, "ab", false),
        (#"^[A-Za-z0-9]{3,45}$"#, "stocksearchweb", true),
        (#"^[A-Za-z0-9]{3,45}$"#, "a b c", false),
        (#"^[A-Za-z0-9]{3,45}$"#, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true),
        (#"^[A-Za-z0-9]{3,45}$"#, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false),
        (#"^[A-Za-z0-9]{3,45}$"#, "\u{E9}12", false),
        (#"^[A-Za-z0-9 ]{3,45}$"#, "Stock Search Web", true),
        (#"^[A-Za-z0-9 ]{3,45}$"#, "St", false),
        (#"^[A-Za-z0-9 ]{3,45}$"#, "Stock-Search", false),
        (#"^(\*\.)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$"#, "www.example.com", true),
        (#"^(\*\.)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$"#, "*.example.com", true),
        (#"^(\*\.)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$"#, "localhost:3000", true),
        (#"^(\*\.)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$"#, "-bad.com", false),
        (#"^(\*\.)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$"#, "a", true),
        (#"^(\*\.)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$"#, "host:123456", false),
        (#"^(\*\.)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$"#, "*.", false),
        (#"^(\*\.)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$"#, "a.b-", false),
        (#"^(https://|http://(localhost|127\.0\.0\.1)([:/]|$))"#, "https://x", true),
        (#"^(https://|http://(localhost|127\.0\.0\.1)([:/]|$))"#, "http://localhost", true),
        (#"^(https://|http://(localhost|127\.0\.0\.1)([:/]|$))"#, "http://localhost:8080/a", true),
        (#"^(https://|http://(localhost|127\.0\.0\.1)([:/]|$))"#, "http://localhostx", false),
        (#"^(https://|http://(localhost|127\.0\.0\.1)([:/]|$))"#, "http://127.0.0.1/", true),
        (#"^(https://|http://(localhost|127\.0\.0\.1)([:/]|$))"#, "http://example.com", false),
        (#"^(https://|http://(localhost|127\.0\.0\.1)([:/]|$))"#, "ftp://x", false),
        (#"^\p{Letter}+$"#, "Hello", true),
        (#"^\p{Letter}+$"#, "\u{3C0}", true),
        (#"^\p{Letter}+$"#, "123", false),
        (#"^\p{Letter}+$"#, "", false),
        (#"^\p{Letter}+$"#, "Ab1", false),
        (#"^\P{L}+$"#, "123", true),
        (#"^\P{L}+$"#, "1a", false),
        (#"\p{Lu}"#, "abc", false),
        (#"\p{Lu}"#, "aBc", true),
        (#"\p{Lu}"#, "\u{C9}", true),
        (#"^\d+$"#, "0123", true),
        (#"^\d+$"#, "12a", false),
        (#"^\d+$"#, "\u{663}", false),
        (#"^\w+$"#, "a_1", true),
        (#"^\w+$"#, "a-1", false),
        (#"^\w+$"#, "\u{E9}", false),
        (#"^\s*$"#, " \u{9}\u{A}", true),
        (#"^\s*$"#, "\u{A0}\u{FEFF}\u{2028}", true),
        (#"^\s*$"#, " x ", false),
        (#"^\S+$"#, "abc", true),
        (#"^\S+$"#, "a c", false),
        (#"\bfoo\b"#, "a foo b", true),
        (#"\bfoo\b"#, "afoo", false),
        (#"\bfoo\b"#, "foo", true),
        (#"\bfoo\b"#, "foo_", false),
        (#"\Boo\B"#, "foob", true),
        (#"\Boo\B"#, "oo", false),
        (#"\Boo\B"#, "a oo", false),
        (#"^.$"#, "a", true),
        (#"^.$"#, "\u{A}", false),
        (#"^.$"#, "\u{E9}", true),
        (#"^.$"#, "\u{1F600}", true),
        (#"^.$"#, "ab", false),
        (#"^.$"#, "", false),
        (#"^(?:ab|cd)+$"#, "abcdab", true),
        (#"^(?:ab|cd)+$"#, "abc", false),
        (#"^(?:ab|cd)+$"#, "", false),
        (#"^(a|b)*c$"#, "ababc", true),
        (#"^(a|b)*c$"#, "c", true),
        (#"^(a|b)*c$"#, "abab", false),
        (#"^a{2}$"#, "aa", true),
        (#"^a{2}$"#, "a", false),
        (#"^a{2}$"#, "aaa", false),
        (#"^a{2,}$"#, "aa", true),
        (#"^a{2,}$"#, "aaaaa", true),
        (#"^a{2,}$"#, "a", false),
        (#"^a{0,2}$"#, "", true),
        (#"^a{0,2}$"#, "aa", true),
        (#"^a{0,2}$"#, "aaa", false),
        (#"^a?b??c*?d+?$"#, "d", true),
        (#"^a?b??c*?d+?$"#, "abccdd", true),
        (#"^a?b??c*?d+?$"#, "abc", false),
        (#"^[^a-c]+$"#, "def", true),
        (#"^[^a-c]+$"#, "dad", false),
        (#"^[^a-c]+$"#, "xyz", true),
        (#"^[a\-z]+$"#, "a-z", true),
        (#"^[a\-z]+$"#, "b", false),
        (#"^[-a]+$"#, "-a-", true),
        (#"^[-a]+$"#, "b", false),
        (#"^[a-]+$"#, "a-", true),
        (#"^[a-]+$"#, "b", false),
        (#"^[\d.]+$"#, "1.2.3", true),
        (#"^[\d.]+$"#, "1,2", false),
        (#"^[\w-]+$"#, "ab-c_d", true),
        (#"^[\w-]+$"#, "a b", false),
        (#"^[\s\S]$"#, "\u{A}", true),
        (#"^[\s\S]$"#, "x", true),
        (#"^\u0041\x42\u{43}$"#, "ABC", true),
        (#"^\u0041\x42\u{43}$"#, "abc", false),
        (#"^\t\n$"#, "\u{9}\u{A}", true),
        (#"^\t\n$"#, "tn", false),
        (#"^\/\.\*$"#, "/.*", true),
        (#"^\/\.\*$"#, "x.*", false),
        (#"^(?=a)\w+$"#, "abc", true),
        (#"^(?=a)\w+$"#, "bc", false),
        (#"^(?!test$)[a-z]+$"#, "test", false),
        (#"^(?!test$)[a-z]+$"#, "tests", true),
        (#"^(?!test$)[a-z]+$"#, "demo", true),
        (#"foo(?=bar)"#, "foobar", true),
        (#"foo(?=bar)"#, "foobaz", false),
        (#"^(?<year>\d{4})-(?<m>\d{2})$"#, "2024-01", true),
        (#"^(?<year>\d{4})-(?<m>\d{2})$"#, "24-01", false),
        (#"x*"#, "", true),
        (#"x*"#, "abc", true),
        (#"^$"#, "", true),
        (#"^$"#, "a", false),
        (#"$"#, "", true),
        (#"$"#, "abc", true),
        (#"a|b|"#, "", true),
        (#"a|b|"#, "zzz", true),
        (#"^(a*)*$"#, "aaaa", true),
        (#"^(a*)*$"#, "aab", false),
        (#"^(a|a)*b$"#, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac", false),
        (#"^(a|a)*b$"#, "aaab", true),
        (#"^(a+)+$"#, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", false),
        (#"^(a+)+$"#, "aaaa", true),
        (#"[0-9]{2,}"#, "a31b", true),
        (#"[0-9]{2,}"#, "a3b", false),
        (#"X_"#, "a_X_3", true),
        (#"X_"#, "a_x_3", false),
        (#"f.*o"#, "foo", true),
        (#"f.*o"#, "fo", true),
        (#"f.*o"#, "of", false),
        (#"^[😀-😂]$"#, "\u{1F601}", true),
        (#"^[😀-😂]$"#, "\u{1F603}", false),
        (#"^\uD83D\uDE00$"#, "\u{1F600}", true),
        (#"^\uD83D\uDE00$"#, "x", false),
        (#"^a{1}b{0}c$"#, "ac", true),
        (#"^a{1}b{0}c$"#, "abc", false),
        (#"\$\^"#, "a$^b", true),
        (#"\$\^"#, "ab", false),
        (#"^[\]]$"#, "]", true),
        (#"^[\]]$"#, "[", false),
        (#"^\cJ$"#, "\u{A}", true),
        (#"^\cJ$"#, "J", false),
        (#"^[^]$"#, "a", true),
        (#"^[]$"#, "a", false),
        (#"^[]$"#, "", false),
        (#"^.{2,3}$"#, "ab", true),
        (#"^.{2,3}$"#, "abcd", false),
        (#"^.{2,3}$"#, "a\u{A}b", false),
        (#"^(ab){2}$"#, "abab", true),
        (#"^(ab){2}$"#, "ab", false),
        (#"(?:)"#, "", true),
        (#"(?:)"#, "x", true),
        (#"^[a-z]+(?:-[a-z]+)*$"#, "asset-sync", true),
        (#"^[a-z]+(?:-[a-z]+)*$"#, "asset--sync", false),
        (#"^[a-z]+(?:-[a-z]+)*$"#, "-a", false),
        (#"^\p{Nd}+$"#, "\u{663}4", true),
        (#"^\p{Nd}+$"#, "x", false),
        (#"^\p{General_Category=Lu}$"#, "A", true),
        (#"^\p{General_Category=Lu}$"#, "a", false),
        (#"^\p{Any}$"#, "\u{1F600}", true),
        (#"^\p{ASCII}+$"#, "abc", true),
        (#"^\p{ASCII}+$"#, "\u{E9}", false),
        (#"^\0$"#, "\u{0}", true),
        (#"^\0$"#, "0", false),
    ]

    @Test(arguments: cases.indices)
    func matchesLikeECMAScript(_ index: Int) throws {
        let (source, text, expected) = Self.cases[index]
        let pattern = try ECMAPattern(source)
        #expect(pattern.matches(text) == expected, "/\(source)/ on \(text.debugDescription)")
        // Both engines must agree, whichever `matches` used.
        let machine = PatternMatcher(program: pattern.program, text: text.unicodeScalars).search()
        #expect(machine == expected, "VM: /\(source)/ on \(text.debugDescription)")
        if let automaton = pattern.automaton, let found = automaton.search(text) {
            #expect(found == expected, "DFA: /\(source)/ on \(text.debugDescription)")
        }
    }

    @Test func commonPatternsUseTheAutomaton() throws {
        for source in [#"^[A-Za-z0-9]{3,45}$"#, #"^(https://|http://(localhost|127\.0\.0\.1)([:/]|$))"#, "a+", "f.*o"] {
            #expect(try ECMAPattern(source).automaton != nil, "\(source)")
        }
        #expect(try ECMAPattern(#"\bfoo"#).automaton == nil)
        #expect(try ECMAPattern("(?=a)").automaton == nil)
    }

    static let refusals: [(source: String, reason: String)] = [
        (#"(a"#, "missing ')' (at offset 2)"),
        (#"a)"#, "unmatched ')' (at offset 1)"),
        (#"*a"#, "nothing to repeat (at offset 0)"),
        (#"a{2,1}"#, "repetition {2,1} is out of order (at offset 6)"),
        (#"(a)\1"#, "backreferences are not supported (at offset 4)"),
        (#"(?<=a)b"#, "lookbehind is not supported (at offset 0)"),
        (#"[b-a]"#, "range out of order in character class (at offset 4)"),
        (#"\p{Greek}"#, "unknown Unicode property 'Greek' (at offset 9)"),
        (#"\q"#, #"unknown escape '\q' (at offset 2)"#),
        (#"[a"#, "missing ']' (at offset 2)"),
        (#"a{1001}"#, "repetition counts above 1000 are not supported (at offset 7)"),
        (#"^*"#, "nothing to repeat (at offset 1)"),
        ("a\\", "pattern ends with '\\' (at offset 2)"),
        (#"(a{1000}){1000}"#, "pattern is too large once repetitions are expanded (at offset 0)"),
    ]

    @Test(arguments: refusals.indices)
    func refusesWithAReason(_ index: Int) {
        let (source, reason) = Self.refusals[index]
        #expect(throws: ECMAPatternError.self) { try ECMAPattern(source) }
        do {
            _ = try ECMAPattern(source)
        } catch {
            #expect(error.description == reason)
        }
    }

    @Test func longCountedRepetitions() throws {
        let pattern = try ECMAPattern("^[a-z]{900}$")
        #expect(pattern.automaton == nil)
        #expect(pattern.matches(String(repeating: "q", count: 900)))
        #expect(!pattern.matches(String(repeating: "q", count: 901)))
    }

    /// Every prefix of some intricate patterns either compiles or is refused (never a trap), and
    /// where it compiles, the automaton and the VM agree on a set of inputs.
    @Test func prefixesCompileOrAreRefusedAndEnginesAgree() {
        let sources = [
            #"^(\*\.)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$"#,
            #"^(?:https://|http://(?:localhost|127\.0\.0\.1)(?:[:/]|$))[^\s]{0,20}\b"#,
            #"[\u0041-\u{5A}\p{Lu}\d_-]+?|(?=x)y{2,}|\cJ\x41\/$"#,
        ]
        let inputs = ["", "a", "localhost:3000", "*.example.com", "https://x.y", "http://127.0.0.1/", "AB_-9", "yy", "\n", "é-x", "a.b-"]
        for source in sources {
            for end in source.indices {
                guard let pattern = try? ECMAPattern(String(source[..<end])) else { continue }
                for input in inputs {
                    let machine = PatternMatcher(program: pattern.program, text: input.unicodeScalars).search()
                    if let automaton = pattern.automaton, let found = automaton.search(input) {
                        #expect(found == machine, "/\(pattern.source)/ on \(input.debugDescription)")
                    }
                    #expect(pattern.matches(input) == machine)
                }
            }
        }
    }

    @Test func pathologicalInputsStayLinear() throws {
        // Exponential for a backtracking engine; here a few hundred steps per character.
        let pattern = try ECMAPattern("^(a+)+$")
        #expect(pattern.matches(String(repeating: "a", count: 5000) + "!") == false)
        let nested = try ECMAPattern("^(a|a?)+b$")
        #expect(nested.matches(String(repeating: "a", count: 5000)) == false)
        let unicode = try ECMAPattern("^(é|é?)+b$")
        #expect(unicode.matches(String(repeating: "é", count: 2000) + "b"))
    }
}
