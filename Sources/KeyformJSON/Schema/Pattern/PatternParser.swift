/// Recursive descent over the pattern's Unicode scalars (ECMA-262 `u` mode grammar, with the
/// usual leniency for a `{`, `}` or `]` that cannot start anything and so stands for itself).
///
/// Not supported, and refused with a reason: backreferences (`\1`, `\k<name>`) and
/// lookbehind (`(?<=…)`, `(?<!…)`).
struct PatternParser {
    /// Counted repetitions above this are refused: `{0,100000}` would make a huge program.
    static let maximumCount = 1000

    private let scalars: [UInt32]
    private var position = 0

    init(_ source: String) {
        scalars = source.unicodeScalars.map(\.value)
    }

    mutating func parse() throws(PatternSyntaxError) -> PatternNode {
        let node = try parseDisjunction()
        if position < scalars.count {
            // Only an unbalanced ')' stops a disjunction early.
            throw fail("unmatched ')'")
        }
        return node
    }

    private func fail(_ reason: String) -> PatternSyntaxError {
        PatternSyntaxError(reason: reason, offset: position)
    }

    private var current: UInt32? { position < scalars.count ? scalars[position] : nil }

    private func peek(_ ahead: Int) -> UInt32? {
        position + ahead < scalars.count ? scalars[position + ahead] : nil
    }

    private mutating func eat(_ character: Character) -> Bool {
        guard let value = character.unicodeScalars.first?.value, current == value else { return false }
        position += 1
        return true
    }

    private static func ascii(_ character: Character) -> UInt32 {
        character.unicodeScalars.first?.value ?? 0
    }

    private mutating func parseDisjunction() throws(PatternSyntaxError) -> PatternNode {
        var alternatives = [try parseAlternative()]
        while eat("|") { alternatives.append(try parseAlternative()) }
        return alternatives.count == 1 ? alternatives[0] : .alternation(alternatives)
    }

    private mutating func parseAlternative() throws(PatternSyntaxError) -> PatternNode {
        var terms: [PatternNode] = []
        while let c = current, c != Self.ascii("|"), c != Self.ascii(")") {
            terms.append(try parseTerm())
        }
        switch terms.count {
        case 0: return .empty
        case 1: return terms[0]
        default: return .sequence(terms)
        }
    }

    private mutating func parseTerm() throws(PatternSyntaxError) -> PatternNode {
        if eat("^") { return .assertion(.start) }
        if eat("$") { return .assertion(.end) }
        if current == Self.ascii("\\"), let next = peek(1), next == Self.ascii("b") || next == Self.ascii("B") {
            position += 2
            return .assertion(next == Self.ascii("b") ? .wordBoundary : .notWordBoundary)
        }
        if current == Self.ascii("("), peek(1) == Self.ascii("?") {
            if let kind = peek(2), kind == Self.ascii("=") || kind == Self.ascii("!") {
                position += 3
                let inner = try parseDisjunction()
                guard eat(")") else { throw fail("missing ')' after a lookahead") }
                let node = PatternNode.lookahead(inner, negative: kind == Self.ascii("!"))
                return try parseQuantifier(applyingTo: node)
            }
            if peek(2) == Self.ascii("<"), let kind = peek(3), kind == Self.ascii("=") || kind == Self.ascii("!") {
                throw fail("lookbehind is not supported")
            }
        }
        let atom = try parseAtom()
        return try parseQuantifier(applyingTo: atom)
    }

    private mutating func parseAtom() throws(PatternSyntaxError) -> PatternNode {
        guard let c = current else { throw fail("unexpected end of pattern") }
        switch c {
        case Self.ascii("."):
            position += 1
            return .any
        case Self.ascii("("):
            position += 1
            if eat("?") {
                if eat(":") {
                    // Non-capturing group.
                } else if eat("<") {
                    while let n = current, n != Self.ascii(">") { position += 1 }
                    guard eat(">") else { throw fail("unterminated group name") }
                } else {
                    throw fail("unknown group kind '(?'")
                }
            }
            let inner = try parseDisjunction()
            guard eat(")") else { throw fail("missing ')'") }
            return inner
        case Self.ascii("["):
            position += 1
            return .set(try parseClass())
        case Self.ascii("\\"):
            position += 1
            return try parseAtomEscape()
        case Self.ascii("*"), Self.ascii("+"), Self.ascii("?"):
            throw fail("nothing to repeat")
        case Self.ascii("{"):
            if try parseBraces() != nil { throw fail("nothing to repeat") }
            position += 1
            return .scalar(c)
        default:
            position += 1
            return .scalar(c)
        }
    }

    private mutating func parseQuantifier(applyingTo atom: PatternNode) throws(PatternSyntaxError) -> PatternNode {
        guard let c = current else { return atom }
        var bounds: (Int, Int?)
        switch c {
        case Self.ascii("*"): position += 1; bounds = (0, nil)
        case Self.ascii("+"): position += 1; bounds = (1, nil)
        case Self.ascii("?"): position += 1; bounds = (0, 1)
        case Self.ascii("{"):
            guard let parsed = try parseBraces() else { return atom }
            bounds = parsed
        default:
            return atom
        }
        _ = eat("?")  // Lazy or greedy: the same for a yes/no match.
        if case .assertion = atom { throw fail("nothing to repeat") }
        return .repetition(atom, min: bounds.0, max: bounds.1)
    }

    /// `{n}`, `{n,}` or `{n,m}` at the current position, consumed; `nil` (consuming nothing)
    /// when the text there is not one, so that the `{` stands for itself.
    private mutating func parseBraces() throws(PatternSyntaxError) -> (Int, Int?)? {
        let start = position
        guard eat("{"), let low = parseNumber() else {
            position = start
            return nil
        }
        var high: Int? = low
        if eat(",") { high = parseNumber() }
        guard eat("}") else {
            position = start
            return nil
        }
        if let high, high < low { throw fail("repetition {\(low),\(high)} is out of order") }
        if low > Self.maximumCount || (high ?? 0) > Self.maximumCount {
            throw fail("repetition counts above \(Self.maximumCount) are not supported")
        }
        return (low, high)
    }

    private mutating func parseNumber() -> Int? {
        var value: Int?
        while let c = current, c >= 0x30, c <= 0x39 {
            value = min((value ?? 0) * 10 + Int(c - 0x30), 1_000_000)
            position += 1
        }
        return value
    }

    private mutating func parseAtomEscape() throws(PatternSyntaxError) -> PatternNode {
        guard let c = current else { throw fail("pattern ends with '\\'") }
        if c >= Self.ascii("1"), c <= Self.ascii("9") { throw fail("backreferences are not supported") }
        if c == Self.ascii("k") { throw fail("named backreferences are not supported") }
        switch try parseClassOrCharacterEscape(inClass: false) {
        case .scalar(let value): return .scalar(value)
        case .member(let member): return .set(PatternCharacterSet(members: [member], negated: false))
        }
    }

    private enum Escape {
        case scalar(UInt32)
        case member(PatternCharacterSet.Member)
    }

    /// After a `\`: a class escape (`\d`, `\p{L}`) or a character escape (`\n`, `\u{1F600}`).
    private mutating func parseClassOrCharacterEscape(inClass: Bool) throws(PatternSyntaxError) -> Escape {
        guard let c = current else { throw fail("pattern ends with '\\'") }
        position += 1
        switch Character(Unicode.Scalar(c) ?? "\u{FFFD}") {
        case "d": return .member(.digit(negated: false))
        case "D": return .member(.digit(negated: true))
        case "w": return .member(.word(negated: false))
        case "W": return .member(.word(negated: true))
        case "s": return .member(.space(negated: false))
        case "S": return .member(.space(negated: true))
        case "p", "P":
            guard eat("{") else { throw fail("expected '{' after \\p") }
            var name = ""
            while let n = current, n != Self.ascii("}"), let scalar = Unicode.Scalar(n) {
                name.unicodeScalars.append(scalar)
                position += 1
            }
            guard eat("}") else { throw fail("unterminated \\p{…}") }
            guard let property = PatternProperty(name: name) else {
                throw fail("unknown Unicode property '\(name)'")
            }
            return .member(.property(property, negated: c == Self.ascii("P")))
        case "t": return .scalar(0x09)
        case "n": return .scalar(0x0A)
        case "v": return .scalar(0x0B)
        case "f": return .scalar(0x0C)
        case "r": return .scalar(0x0D)
        case "b" where inClass: return .scalar(0x08)
        case "-" where inClass: return .scalar(c)
        case "0":
            if let n = current, n >= 0x30, n <= 0x39 { throw fail("octal escapes are not supported") }
            return .scalar(0)
        case "c":
            guard let letter = current, (0x41...0x5A).contains(letter) || (0x61...0x7A).contains(letter) else {
                throw fail("expected a letter after \\c")
            }
            position += 1
            return .scalar(letter % 32)
        case "x":
            return .scalar(try parseHex(count: 2))
        case "u":
            if eat("{") {
                var value: UInt32 = 0
                var digits = 0
                while let n = current, let digit = Self.hexValue(n) {
                    value = value &* 16 &+ digit
                    digits += 1
                    position += 1
                }
                guard digits > 0, eat("}"), value <= 0x10FFFF else { throw fail("invalid \\u{…} escape") }
                return .scalar(value)
            }
            let unit = try parseHex(count: 4)
            if (0xD800..<0xDC00).contains(unit), current == Self.ascii("\\"), peek(1) == Self.ascii("u") {
                let save = position
                position += 2
                if let low = try? parseHex(count: 4), (0xDC00..<0xE000).contains(low) {
                    return .scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                }
                position = save
            }
            return .scalar(unit)
        default:
            let isAlphanumeric = (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c)
            if isAlphanumeric { throw fail("unknown escape '\\\(Character(Unicode.Scalar(c) ?? "?"))'") }
            return .scalar(c)
        }
    }

    private mutating func parseHex(count: Int) throws(PatternSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<count {
            guard let c = current, let digit = Self.hexValue(c) else { throw fail("expected \(count) hex digits") }
            value = value * 16 + digit
            position += 1
        }
        return value
    }

    private static func hexValue(_ c: UInt32) -> UInt32? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }

    /// After `[`: the members up to the closing `]`.
    private mutating func parseClass() throws(PatternSyntaxError) -> PatternCharacterSet {
        let negated = eat("^")
        var members: [PatternCharacterSet.Member] = []
        while true {
            guard let c = current else { throw fail("missing ']'") }
            if c == Self.ascii("]") {
                position += 1
                break
            }
            let first = try parseClassAtom()
            // A range needs single characters on both sides; otherwise '-' is itself.
            if case .scalar(let low) = first, current == Self.ascii("-"), let after = peek(1), after != Self.ascii("]") {
                position += 1
                let second = try parseClassAtom()
                guard case .scalar(let high) = second else {
                    throw fail("a range cannot end with a class escape")
                }
                guard low <= high else { throw fail("range out of order in character class") }
                members.append(.range(low...high))
                continue
            }
            switch first {
            case .scalar(let value): members.append(.range(value...value))
            case .member(let member): members.append(member)
            }
        }
        return PatternCharacterSet(members: members, negated: negated)
    }

    private mutating func parseClassAtom() throws(PatternSyntaxError) -> Escape {
        guard let c = current else { throw fail("missing ']'") }
        position += 1
        if c == Self.ascii("\\") {
            if let n = current, n >= Self.ascii("1"), n <= Self.ascii("9") {
                throw fail("backreferences are not supported")
            }
            return try parseClassOrCharacterEscape(inClass: true)
        }
        return .scalar(c)
    }
}
