/// A set of Unicode scalars from a character class (`[a-z_\d]`), a class escape (`\w`) or a
/// property escape (`\p{Letter}`), with a bitmap for ASCII so the common case is one test.
struct PatternCharacterSet: Sendable {
    /// A named class inside a set.
    enum Member: Sendable {
        case range(ClosedRange<UInt32>)
        case digit(negated: Bool)
        case word(negated: Bool)
        case space(negated: Bool)
        case property(PatternProperty, negated: Bool)
    }

    let members: [Member]
    let negated: Bool
    /// Membership of scalars 0–63 and 64–127, precomputed.
    private let low: UInt64
    private let high: UInt64

    init(members: [Member], negated: Bool) {
        self.members = members
        self.negated = negated
        var low: UInt64 = 0
        var high: UInt64 = 0
        for scalar in UInt32(0)..<128 where Self.slowContains(scalar, members: members) != negated {
            if scalar < 64 { low |= 1 << UInt64(scalar) } else { high |= 1 << UInt64(scalar - 64) }
        }
        self.low = low
        self.high = high
    }

    @inline(__always)
    func contains(_ scalar: UInt32) -> Bool {
        if scalar < 64 { return low & (1 << UInt64(scalar)) != 0 }
        if scalar < 128 { return high & (1 << UInt64(scalar - 64)) != 0 }
        return Self.slowContains(scalar, members: members) != negated
    }

    private static func slowContains(_ scalar: UInt32, members: [Member]) -> Bool {
        for member in members {
            switch member {
            case .range(let range):
                if range.contains(scalar) { return true }
            case .digit(let negated):
                if isDigit(scalar) != negated { return true }
            case .word(let negated):
                if isWord(scalar) != negated { return true }
            case .space(let negated):
                if isSpace(scalar) != negated { return true }
            case .property(let property, let negated):
                if property.contains(scalar) != negated { return true }
            }
        }
        return false
    }

    static func isDigit(_ scalar: UInt32) -> Bool { scalar >= 0x30 && scalar <= 0x39 }

    /// ECMA-262 `\w`: `[A-Za-z0-9_]`.
    static func isWord(_ scalar: UInt32) -> Bool {
        (scalar >= 0x61 && scalar <= 0x7A) || (scalar >= 0x41 && scalar <= 0x5A) || isDigit(scalar) || scalar == 0x5F
    }

    /// ECMA-262 `\s`: white space and line terminators.
    static func isSpace(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x09...0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
            return true
        default:
            return false
        }
    }

    /// What `.` does not match: the ECMA-262 line terminators.
    static func isLineTerminator(_ scalar: UInt32) -> Bool {
        scalar == 0x0A || scalar == 0x0D || scalar == 0x2028 || scalar == 0x2029
    }
}

/// A Unicode property usable in `\p{…}`: general categories by long or short name
/// (`Letter`, `L`, `Lu`, `General_Category=Nd`), and a few binary properties.
enum PatternProperty: Sendable {
    case categories([Unicode.GeneralCategory])
    case any
    case ascii
    case alphabetic
    case whiteSpace
    case uppercase
    case lowercase

    init?(name: String) {
        var name = name
        for prefix in ["General_Category=", "gc="] where name.hasPrefix(prefix) {
            name.removeFirst(prefix.count)
        }
        switch name {
        case "Any": self = .any
        case "ASCII": self = .ascii
        case "Alphabetic", "Alpha": self = .alphabetic
        case "White_Space", "space": self = .whiteSpace
        case "Uppercase", "Upper": self = .uppercase
        case "Lowercase", "Lower": self = .lowercase
        default:
            guard let categories = Self.categories[name] else { return nil }
            self = .categories(categories)
        }
    }

    func contains(_ value: UInt32) -> Bool {
        guard let scalar = Unicode.Scalar(value) else { return self == .any }
        switch self {
        case .categories(let categories): return categories.contains(scalar.properties.generalCategory)
        case .any: return true
        case .ascii: return value < 0x80
        case .alphabetic: return scalar.properties.isAlphabetic
        case .whiteSpace: return scalar.properties.isWhitespace
        case .uppercase: return scalar.properties.isUppercase
        case .lowercase: return scalar.properties.isLowercase
        }
    }

    private static let categories: [String: [Unicode.GeneralCategory]] = {
        typealias C = Unicode.GeneralCategory
        let single: [(String, String, C)] = [
            ("Lu", "Uppercase_Letter", .uppercaseLetter), ("Ll", "Lowercase_Letter", .lowercaseLetter),
            ("Lt", "Titlecase_Letter", .titlecaseLetter), ("Lm", "Modifier_Letter", .modifierLetter),
            ("Lo", "Other_Letter", .otherLetter), ("Mn", "Nonspacing_Mark", .nonspacingMark),
            ("Mc", "Spacing_Mark", .spacingMark), ("Me", "Enclosing_Mark", .enclosingMark),
            ("Nd", "Decimal_Number", .decimalNumber), ("Nl", "Letter_Number", .letterNumber),
            ("No", "Other_Number", .otherNumber), ("Pc", "Connector_Punctuation", .connectorPunctuation),
            ("Pd", "Dash_Punctuation", .dashPunctuation), ("Ps", "Open_Punctuation", .openPunctuation),
            ("Pe", "Close_Punctuation", .closePunctuation), ("Pi", "Initial_Punctuation", .initialPunctuation),
            ("Pf", "Final_Punctuation", .finalPunctuation), ("Po", "Other_Punctuation", .otherPunctuation),
            ("Sm", "Math_Symbol", .mathSymbol), ("Sc", "Currency_Symbol", .currencySymbol),
            ("Sk", "Modifier_Symbol", .modifierSymbol), ("So", "Other_Symbol", .otherSymbol),
            ("Zs", "Space_Separator", .spaceSeparator), ("Zl", "Line_Separator", .lineSeparator),
            ("Zp", "Paragraph_Separator", .paragraphSeparator), ("Cc", "Control", .control),
            ("Cf", "Format", .format), ("Cs", "Surrogate", .surrogate), ("Co", "Private_Use", .privateUse),
            ("Cn", "Unassigned", .unassigned),
        ]
        var table: [String: [C]] = [:]
        for (short, long, category) in single {
            table[short] = [category]
            table[long] = [category]
        }
        // Each group is every category whose short name starts with its letter (LC: cased letters).
        let groups: [(String, String, [String])] = [
            ("LC", "Cased_Letter", ["Lu", "Ll", "Lt"]),
        ] + [("L", "Letter"), ("M", "Mark"), ("N", "Number"), ("P", "Punctuation"), ("S", "Symbol"),
             ("Z", "Separator"), ("C", "Other")].map { letter, long in
            (letter, long, single.map(\.0).filter { $0.hasPrefix(letter) })
        }
        for (short, long, members) in groups {
            let categories = single.filter { members.contains($0.0) }.map(\.2)
            table[short] = categories
            table[long] = categories
        }
        table["digit"] = [.decimalNumber]
        table["punct"] = table["P"]
        return table
    }()
}

extension PatternProperty: Equatable {}
