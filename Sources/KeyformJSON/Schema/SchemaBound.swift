/// A number from a schema keyword: exact for comparison, literal for messages.
struct SchemaBound: Sendable {
    let literal: String
    let decimal: SchemaDecimal
    /// The value when the literal is a plain integer (the fast path).
    let integer: Int?

    init(_ number: JSONNumber) {
        literal = number.literal
        decimal = SchemaDecimal(number)
        integer = Int(number.literal)
    }
}

/// An instance's number as the number keywords read it: a plain `Int` when the literal is
/// one (the common case, compared without building a decimal), else an exact decimal.
struct SchemaNumberValue {
    let integer: Int?
    let decimal: SchemaDecimal?

    init(_ number: JSONNumber) {
        integer = Int(number.literal)
        decimal = integer == nil ? SchemaDecimal(number) : nil
    }

    private var exact: SchemaDecimal {
        decimal ?? SchemaDecimal(literal: String(integer ?? 0)) ?? .zero
    }

    /// −1, 0 or 1 as the value is below, at or above `bound`.
    func compare(to bound: SchemaBound) -> Int {
        if let integer, let other = bound.integer { return integer < other ? -1 : (integer > other ? 1 : 0) }
        return SchemaDecimal.compare(exact, bound.decimal)
    }

    func isMultiple(of divisor: SchemaBound) -> Bool {
        if let integer, let other = divisor.integer, other > 0 { return integer % other == 0 }
        if let exact = exact.isMultiple(of: divisor.decimal) { return exact }
        // A divisor with more than 18 significant digits: fall back to floating point.
        let quotient = exact.double / divisor.decimal.double
        return quotient.isFinite && quotient == quotient.rounded()
    }
}
