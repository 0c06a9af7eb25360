/// A JSON number as an exact decimal, so that the validator compares numbers by value
/// without rounding through `Double`.
///
/// The literal `-12.50e1` becomes `negative = true, digits = [1, 2, 5], exponent = 0`
/// (−125 × 10⁰): leading and trailing zeros are dropped, so two literals are equal numbers
/// exactly when their decimals are equal (`1`, `1.0` and `10e-1` all give `[1] × 10⁰`).
struct SchemaDecimal: Hashable, Sendable {
    /// True for values below zero (never for zero).
    let negative: Bool
    /// Significant decimal digits, most significant first, without leading or trailing zeros;
    /// empty for zero.
    let digits: [UInt8]
    /// The power of ten the integer formed by `digits` is multiplied by.
    let exponent: Int

    static let zero = SchemaDecimal(negative: false, digits: [], exponent: 0)

    private init(negative: Bool, digits: [UInt8], exponent: Int) {
        self.negative = negative
        self.digits = digits
        self.exponent = exponent
    }

    /// Reads an RFC 8259 number literal; `nil` when the text is not one.
    init?(literal: String) {
        var negative = false
        var digits: [UInt8] = []
        var exponent = 0
        var exponentValue = 0
        var exponentNegative = false
        var sawDigit = false
        var state = 0  // 0 integer part, 1 fraction, 2 exponent
        var first = true
        for byte in literal.utf8 {
            defer { first = false }
            switch byte {
            case UInt8(ascii: "-") where first:
                negative = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let digit = byte &- UInt8(ascii: "0")
                sawDigit = true
                switch state {
                case 0:
                    if !(digits.isEmpty && digit == 0) { digits.append(digit) }
                case 1:
                    if !(digits.isEmpty && digit == 0) { digits.append(digit) }
                    exponent -= 1
                default:
                    // Saturate: exponents past a billion compare the same as infinity would.
                    if exponentValue < 1_000_000_000 { exponentValue = exponentValue * 10 + Int(digit) }
                }
            case UInt8(ascii: ".") where state == 0:
                state = 1
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                guard state < 2 else { return nil }
                state = 2
            case UInt8(ascii: "+") where state == 2:
                break
            case UInt8(ascii: "-") where state == 2:
                exponentNegative = true
            default:
                return nil
            }
        }
        guard sawDigit else { return nil }
        exponent += exponentNegative ? -exponentValue : exponentValue
        while let last = digits.last, last == 0 {
            digits.removeLast()
            exponent += 1
        }
        if digits.isEmpty {
            self = .zero
        } else {
            self.init(negative: negative, digits: digits, exponent: exponent)
        }
    }

    var isZero: Bool { digits.isEmpty }

    /// Whether the value has no fractional part (`1.0` and `1e3` do; `1.5` does not).
    var isInteger: Bool { digits.isEmpty || exponent >= 0 }

    /// Orders two decimals by value.
    static func compare(_ a: SchemaDecimal, _ b: SchemaDecimal) -> Int {
        if a.negative != b.negative { return a.negative ? -1 : 1 }
        let magnitude = compareMagnitude(a, b)
        return a.negative ? -magnitude : magnitude
    }

    private static func compareMagnitude(_ a: SchemaDecimal, _ b: SchemaDecimal) -> Int {
        if a.isZero || b.isZero { return a.isZero ? (b.isZero ? 0 : -1) : 1 }
        // The position of the leading digit decides, then the digits themselves.
        let aTop = a.exponent + a.digits.count
        let bTop = b.exponent + b.digits.count
        if aTop != bTop { return aTop < bTop ? -1 : 1 }
        for (x, y) in zip(a.digits, b.digits) where x != y { return x < y ? -1 : 1 }
        if a.digits.count == b.digits.count { return 0 }
        return a.digits.count < b.digits.count ? -1 : 1
    }

    /// Whether `self` is an integer multiple of `divisor` (which must not be zero), exactly.
    ///
    /// With self = A × 10^a and divisor = B × 10^b (A, B without trailing zeros), the quotient
    /// is (A / B) × 10^(a−b). When a < b it is an integer only if A is a multiple of
    /// B × 10^(b−a), impossible as A does not end in zero. Otherwise A × 10^(a−b) must be
    /// divisible by B; as B < 2⁶⁴ has at most 63 factors of 2 and 27 of 5, a shift of 64 tens
    /// is as good as any larger one, so the remainder is computed with at most 64 steps.
    func isMultiple(of divisor: SchemaDecimal) -> Bool? {
        if isZero { return true }
        if divisor.isZero { return nil }
        guard divisor.digits.count <= 18 else { return nil }
        var modulus: UInt64 = 0
        for digit in divisor.digits { modulus = modulus * 10 + UInt64(digit) }
        let shift = exponent - divisor.exponent
        if shift < 0 { return false }
        var remainder: UInt64 = 0
        for digit in digits { remainder = (remainder * 10 + UInt64(digit)) % modulus }
        for _ in 0..<min(shift, 64) where remainder != 0 { remainder = (remainder * 10) % modulus }
        return remainder == 0
    }

    /// The nearest `Double` (for the rare fallback and for messages).
    var double: Double {
        if isZero { return 0 }
        var text = negative ? "-" : ""
        for digit in digits { text.append(Character(Unicode.Scalar(digit + UInt8(ascii: "0")))) }
        text += "e\(exponent)"
        return Double(text) ?? .nan
    }
}

extension SchemaDecimal {
    /// Parses a `JSONNumber`'s literal, treating an unreadable literal as zero (the
    /// `JSONNumber` invariant says it is always a valid RFC 8259 number).
    init(_ number: JSONNumber) {
        self = SchemaDecimal(literal: number.literal) ?? .zero
    }
}
