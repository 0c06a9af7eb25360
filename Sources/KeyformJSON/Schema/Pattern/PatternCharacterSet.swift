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
    let low: UInt64
    let high: UInt64

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
