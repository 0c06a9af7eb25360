/// A regular expression in the ECMA-262 dialect JSON Schema's `pattern` uses, matched by
/// Keyform's own engine (no Foundation), in time linear in the input.
///
///     let name = try ECMAPattern("^[A-Za-z0-9]{3,45}$")
///     name.matches("stocksearchweb")   // true
///     try ECMAPattern("a+").matches("xxaayy")   // true: patterns are not anchored
///
/// Supported: literals and escapes (`\n`, `\u{…}`, `\x41`), `.`, classes (`[^a-z\d]`), `\d \w \s`
/// and their negations, `\p{…}`/`\P{…}` general categories, groups (capturing, `(?:…)`,
/// named), alternation, all quantifiers (greedy or lazy), `^ $ \b \B` and lookahead. Not
/// supported (refused at compile time): backreferences and lookbehind. Matching works on
/// Unicode scalars, as ECMA-262's `u` mode does.
public struct ECMAPattern: Sendable {
    /// The pattern as written.
    public let source: String
    let program: PatternProgram
    /// The same program as a table over ASCII bytes, when it is small enough and needs no lookahead.
    let automaton: PatternDFA?
    /// When the pattern is one class repeated between anchors, such as `^[A-Za-z0-9]{3,45}$`:
    /// an ASCII string matches when its length is within the bounds and every byte is in the
    /// class, checked without the automaton.
    let classRun: ClassRun?

    struct ClassRun: Sendable {
        /// The class's ASCII members, scalars 0–63 and 64–127.
        var low: UInt64
        var high: UInt64
        var minimum: Int
        /// -1 when unbounded.
        var maximum: Int
    }

    /// Compiles `source`.
    /// - Throws: `ECMAPatternError` naming the problem and its scalar offset.
    public init(_ source: String) throws(ECMAPatternError) {
        self.source = source
        let node: PatternNode
        do {
            var parser = PatternParser(source)
            node = try parser.parse()
            program = try PatternProgram(node)
        } catch {
            throw ECMAPatternError(reason: error.reason, offset: error.offset)
        }
        automaton = PatternDFA(program)
        if case .sequence(let parts) = node, parts.count == 3, case .assertion(.start) = parts[0],
            case .repetition(.set(let set), let minimum, let maximum) = parts[1], case .assertion(.end) = parts[2]
        {
            classRun = ClassRun(low: set.low, high: set.high, minimum: minimum, maximum: maximum ?? -1)
        } else {
            classRun = nil
        }
    }

    /// Whether the pattern matches somewhere in `text`.
    public func matches(_ text: String) -> Bool {
        if let automaton, let found = automaton.search(text) { return found }
        return PatternMatcher(program: program, text: text.unicodeScalars).search()
    }

    /// For matchers that keep their own copy: when the pattern is one class repeated between
    /// anchors, the class's ASCII members (scalars 0–63 and 64–127) and the repetition's
    /// bounds (maximum -1 when unbounded). An ASCII string matches when its length is within
    /// them and every byte is in the class.
    package var asciiClassRun: (low: UInt64, high: UInt64, minimum: Int, maximum: Int)? {
        classRun.map { ($0.low, $0.high, $0.minimum, $0.maximum) }
    }

    /// For matchers that keep their own copy: the automaton over ASCII bytes, when there is
    /// one. From state 0, `transitions[state << 7 | byte]` is the next state; reaching
    /// `matched` is a match, `dead` (or -1) never matches, and at the end of the input the
    /// string matches when `matchesAtEnd[state]`.
    package var asciiAutomaton: (transitions: [UInt16], matched: Int, dead: Int, matchesAtEnd: [Bool])? {
        automaton.map { ($0.transitions, $0.matched, $0.dead, $0.matchesAtEnd) }
    }

    /// Whether the pattern matches somewhere in the string whose UTF-8 is `utf8` (valid UTF-8).
    package func matches(utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        if let automaton, let found = automaton.search(bytes: utf8) { return found }
        return PatternMatcher(program: program, text: String(decoding: utf8, as: UTF8.self).unicodeScalars).search()
    }
}

/// Why a pattern could not be compiled.
public struct ECMAPatternError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong, e.g. "backreferences are not supported".
    public var reason: String
    /// Offset of the problem in the pattern, in Unicode scalars.
    public var offset: Int

    public var description: String { "\(reason) (at offset \(offset))" }
}
