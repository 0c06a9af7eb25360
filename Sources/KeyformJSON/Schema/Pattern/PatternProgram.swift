/// One step of a compiled pattern (Thompson's construction, as in Russ Cox's "Regular
/// Expression Matching: the Virtual Machine Approach").
enum PatternInstruction: Sendable {
    case scalar(UInt32)
    case any
    /// A member of `PatternProgram.sets`, by index.
    case set(Int)
    /// Continue at both targets.
    case split(Int, Int)
    case jump(Int)
    case assert(PatternAssertion)
    /// Continue only if the sub-program at `start` (ending in `match`) matches here (or, when
    /// `negative`, does not).
    case lookahead(start: Int, negative: Bool)
    case match
}

/// A pattern compiled to instructions. `a(b|c)*` becomes:
///
///     0 scalar a
///     1 split 2, 7      loop head: another (b|c), or done
///     2 split 3, 5      the alternation
///     3 scalar b
///     4 jump 6
///     5 scalar c
///     6 jump 1
///     7 match
struct PatternProgram: Sendable {
    /// Programs beyond this many instructions are refused (nested counted repetitions).
    static let maximumSize = 50_000

    private(set) var instructions: [PatternInstruction] = []
    /// The character sets that `set` instructions refer to.
    private(set) var sets: [PatternCharacterSet] = []

    /// True when every match must start at the beginning of the input (the pattern opens with `^`).
    private(set) var anchoredAtStart = false

    init(_ node: PatternNode) throws(PatternSyntaxError) {
        try emit(node)
        instructions.append(.match)
        if case .assert(.start) = instructions.first { anchoredAtStart = true }
    }

    private mutating func append(_ instruction: PatternInstruction) throws(PatternSyntaxError) -> Int {
        guard instructions.count < Self.maximumSize else {
            throw PatternSyntaxError(reason: "pattern is too large once repetitions are expanded", offset: 0)
        }
        instructions.append(instruction)
        return instructions.count - 1
    }

    private mutating func emit(_ node: PatternNode) throws(PatternSyntaxError) {
        switch node {
        case .empty:
            break
        case .scalar(let value):
            _ = try append(.scalar(value))
        case .any:
            _ = try append(.any)
        case .set(let set):
            sets.append(set)
            _ = try append(.set(sets.count - 1))
        case .sequence(let nodes):
            for node in nodes { try emit(node) }
        case .alternation(let nodes):
            var exits: [Int] = []
            for (index, node) in nodes.enumerated() {
                if index == nodes.count - 1 {
                    try emit(node)
                } else {
                    let split = try append(.split(0, 0))
                    try emit(node)
                    exits.append(try append(.jump(0)))
                    instructions[split] = .split(split + 1, instructions.count)
                }
            }
            for exit in exits { instructions[exit] = .jump(instructions.count) }
        case .repetition(let body, let minimum, let maximum):
            for _ in 0..<minimum { try emit(body) }
            if let maximum {
                // Optional copies, each skippable to the end: x? (x? …).
                var splits: [Int] = []
                for _ in minimum..<maximum {
                    splits.append(try append(.split(0, 0)))
                    try emit(body)
                }
                for split in splits { instructions[split] = .split(split + 1, instructions.count) }
            } else {
                let head = try append(.split(0, 0))
                try emit(body)
                _ = try append(.jump(head))
                instructions[head] = .split(head + 1, instructions.count)
            }
        case .assertion(let assertion):
            _ = try append(.assert(assertion))
        case .lookahead(let body, let negative):
            // lookahead(start: here+2) · jump past the body · body · match
            let look = try append(.lookahead(start: 0, negative: negative))
            let jump = try append(.jump(0))
            try emit(body)
            _ = try append(.match)
            instructions[look] = .lookahead(start: look + 2, negative: negative)
            instructions[jump] = .jump(instructions.count)
        }
    }
}
