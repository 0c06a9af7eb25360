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
