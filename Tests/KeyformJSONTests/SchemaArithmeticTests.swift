@testable import KeyformJSON
import Testing

/// Exact decimal numbers and URI resolution, the two pieces of arithmetic under the keywords.
@Suite struct SchemaArithmeticTests {
    static func decimal(_ literal: String) -> SchemaDecimal {
        SchemaDecimal(literal: literal) ?? .zero
    }

    @Test func literalsAreNormalized() {
        let value = Self.decimal("-12.50e1")
        #expect(value.negative && value.digits == [1, 2, 5] && value.exponent == 0)
        #expect(Self.decimal("1") == Self.decimal("1.0"))
        #expect(Self.decimal("1") == Self.decimal("10e-1"))
        #expect(Self.decimal("-0.0") == .zero)
        #expect(Self.decimal("0e10").isZero)
        #expect(Self.decimal("1e308").isInteger)
        #expect(!Self.decimal("1.5").isInteger)
        #expect((SchemaDecimal(literal: "1e999999999999999999")?.exponent ?? 0) >= 1_000_000_000)
        #expect(SchemaDecimal.compare(Self.decimal("1e999999999999999999"), Self.decimal("1e308")) == 1)
        #expect(SchemaDecimal(literal: "abc") == nil)
        #expect(SchemaDecimal(literal: "1.2.3") == nil)
    }

    static let ordered: [(String, String)] = [
        ("-2.0001", "-2"), ("-2", "-1"), ("-1", "0"), ("0", "0.0001"), ("0.6", "1.1"), ("1.1", "2.6"),
        ("299.97", "300"), ("9007199254740992", "9007199254740993"), ("1e-9", "1e-8"), ("99", "1e2"),
        ("12345678901234567890123", "12345678901234567890124"),
    ]

    @Test(arguments: ordered.indices)
    func comparesByValue(_ index: Int) {
        let (low, high) = Self.ordered[index]
        #expect(SchemaDecimal.compare(Self.decimal(low), Self.decimal(high)) == -1)
        #expect(SchemaDecimal.compare(Self.decimal(high), Self.decimal(low)) == 1)
        #expect(SchemaDecimal.compare(Self.decimal(high), Self.decimal(high)) == 0)
    }

    static let multiples: [(String, String, Bool)] = [
        ("0.0075", "0.0001", true), ("0.00751", "0.0001", false), ("4.5", "1.5", true), ("-4.5", "1.5", true),
        ("35", "1.5", false), ("0", "7", true), ("10", "2.5", true), ("0.3", "0.1", true), ("0.7", "0.1", true),
        ("1e308", "0.123456789", false), ("12391239123", "1e-8", true), ("1e-5", "1e-6", true),
        ("1e-6", "1e-5", false), ("123456789e30", "123456789", true), ("10", "3", false),
    ]

    @Test(arguments: multiples.indices)
    func multiplesAreExact(_ index: Int) {
        let (value, divisor, expected) = Self.multiples[index]
        #expect(Self.decimal(value).isMultiple(of: Self.decimal(divisor)) == expected, "\(value) multipleOf \(divisor)")
        let bound = SchemaBound(JSONNumber(literal: divisor))
        #expect(SchemaNumberValue(JSONNumber(literal: value)).isMultiple(of: bound) == expected)
    }

    static let references: [(base: String, reference: String, resolved: String)] = [
        ("http://example.com/a/b.json", "c.json", "http://example.com/a/c.json"),
        ("https://example.com/x/nested/foo.json", "./bar.json", "https://example.com/x/nested/bar.json"),
        ("http://example.com/ref/absref.json", "/absref/foobar.json", "http://example.com/absref/foobar.json"),
        ("urn:uuid:deadbeef-1234", "#/$defs/bar", "urn:uuid:deadbeef-1234#/$defs/bar"),
        ("", "#/a", "#/a"),
        ("file:///c:/folder/file.json", "#/$defs/foo", "file:///c:/folder/file.json#/$defs/foo"),
        // RFC 3986 §5.4.
        ("http://a/b/c/d;p?q", "g", "http://a/b/c/g"),
        ("http://a/b/c/d;p?q", "../g", "http://a/b/g"),
        ("http://a/b/c/d;p?q", "../../../g", "http://a/g"),
        ("http://a/b/c/d;p?q", "g?y", "http://a/b/c/g?y"),
        ("http://a/b/c/d;p?q", "?y", "http://a/b/c/d;p?y"),
        ("http://a/b/c/d;p?q", "//g", "http://g"),
        ("http://a/b/c/d;p?q", "", "http://a/b/c/d;p?q"),
        ("http://a/b/c/d;p?q", ".", "http://a/b/c/"),
        ("http://a/b/c/d;p?q", "g/..", "http://a/b/c/"),
    ]

    @Test(arguments: references.indices)
    func referencesResolveAsRFC3986Says(_ index: Int) {
        let (base, reference, resolved) = Self.references[index]
        #expect(SchemaURI(parsing: base).resolving(SchemaURI(parsing: reference)).description == resolved)
    }
}
