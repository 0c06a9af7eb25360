import KeyformJSON
import Testing

/// Generated documents, written messily (random white space, random escapes), must parse
/// to the value they were generated from; writing and parsing again changes nothing, and
/// canonical text is a fixed point (what `keyform fmt` relies on).
@Suite struct RoundTripPropertyTests {
    @Test(arguments: 0..<8)
    func parseWriteParseIsStable(_ seed: UInt64) throws {
        var generator = DocumentGenerator(seed: seed)
        for _ in 0..<40 {
            let value = generator.value(depth: 0)
            let messy = generator.messyText(value)
            let document = try JSONDocument.parse(messy, file: "gen.json", allowDuplicateKeys: true)
            let parsed = document.root.json
            // Parsing recovers exactly the generated value (scalars compared, not just ==).
            #expect(parsed.canonicalBytes() == value.canonicalBytes(), "seed \(seed): \(messy)")
            #expect(parsed == value)
            // parse(write(parse(x))) == parse(x), through both writers.
            let canonical = document.canonicalBytes()
            #expect(canonical == parsed.canonicalBytes())
            let reparsed = try JSONDocument.parse(canonical, file: "gen.json", allowDuplicateKeys: true)
            #expect(reparsed.root.json == parsed)
            #expect(try JSON.parse(parsed.compactText(), allowDuplicateKeys: true) == parsed)
            // Canonical text is a fixed point.
            #expect(reparsed.canonicalBytes() == canonical)
        }
    }
}

/// A seeded generator of JSON values and of untidy but valid texts for them.
struct DocumentGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1 }

    /// SplitMix64.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    mutating func pick<T>(_ options: [T]) -> T { options[below(options.count)] }

    static let scalars: [Unicode.Scalar] = [
        "a", "b", "Z", "0", " ", "/", "\"", "\\", "\n", "\t", "\r", "\u{8}", "\u{C}", "\u{0}", "\u{1F}", "\u{7F}",
        "é", "ß", "日", "\u{2028}", "\u{FFFF}", "😀", "\u{10FFFF}", "\u{301}",
    ]

    static let numbers = ["0", "-0", "1", "-17", "3.25", "1e3", "1E-7", "-2.5e+10", "0.000", "123456789012345678901234567890", "1e999"]

    mutating func string() -> String {
        var s = ""
        for _ in 0..<below(8) { s.unicodeScalars.append(pick(Self.scalars)) }
        return s
    }

    mutating func value(depth: Int) -> JSON {
        switch below(depth > 4 ? 5 : 8) {
        case 0: return .null
        case 1: return .bool(below(2) == 0)
        case 2: return .number(JSONNumber(literal: pick(Self.numbers)))
        case 3, 4: return .string(string())
        case 5: return .array((0..<below(5)).map { _ in value(depth: depth + 1) })
        default:
            // Keys may repeat (rarely): the parser is asked to allow them here.
            return .object((0..<below(5)).map { _ in JSONMember(below(6) == 0 ? "k" : string(), value(depth: depth + 1)) })
        }
    }

    mutating func whitespace() -> String {
        var s = ""
        for _ in 0..<below(3) { s += pick([" ", "  ", "\n", "\t", "\r\n"]) }
        return s
    }

    mutating func messyText(_ value: JSON) -> String {
        var out = whitespace()
        write(value, to: &out)
        return out + whitespace()
    }

    private mutating func write(_ value: JSON, to out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n.literal
        case .string(let s): writeString(s, to: &out)
        case .array(let elements):
            out += "[" + whitespace()
            for (k, element) in elements.enumerated() {
                if k > 0 { out += "," + whitespace() }
                write(element, to: &out)
                out += whitespace()
            }
            out += "]"
        case .object(let members):
            out += "{" + whitespace()
            for (k, member) in members.enumerated() {
                if k > 0 { out += "," + whitespace() }
                writeString(member.key, to: &out)
                out += whitespace() + ":" + whitespace()
                write(member.value, to: &out)
                out += whitespace()
            }
            out += "}"
        }
    }

    private mutating func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            let mustEscape = scalar.value < 0x20 || scalar == "\"" || scalar == "\\"
            if !mustEscape, below(4) != 0 {
                if scalar == "/", below(2) == 0 { out += "\\/" } else { out.unicodeScalars.append(scalar) }
                continue
            }
            let short: [Unicode.Scalar: String] = ["\"": "\\\"", "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\u{8}": "\\b", "\u{C}": "\\f"]
            if let escape = short[scalar], below(2) == 0 {
                out += escape
            } else if scalar.value >= 0x10000 {
                let v = scalar.value - 0x10000
                out += unicodeEscape(0xD800 + (v >> 10)) + unicodeEscape(0xDC00 + (v & 0x3FF))
            } else {
                out += unicodeEscape(scalar.value)
            }
        }
        out += "\""
    }

    private mutating func unicodeEscape(_ unit: UInt32) -> String {
        let hex = String(unit, radix: 16, uppercase: below(2) == 0)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
