/// The syntax tree of an ECMA-262 pattern, reduced to what matters for "does it match":
/// groups keep only their contents, and greedy and lazy quantifiers are the same.
indirect enum PatternNode: Sendable {
    case empty
    case scalar(UInt32)
    /// `.`: anything but a line terminator.
    case any
    case set(PatternCharacterSet)
    case sequence([PatternNode])
    case alternation([PatternNode])
    case repetition(PatternNode, min: Int, max: Int?)
    case assertion(PatternAssertion)
    case lookahead(PatternNode, negative: Bool)
}

/// Zero-width tests between two scalars.
enum PatternAssertion: Sendable {
    case start, end, wordBoundary, notWordBoundary
}

/// Why a pattern was refused, with the scalar offset where the problem starts.
struct PatternSyntaxError: Error, Hashable, Sendable {
    var reason: String
    var offset: Int
}
