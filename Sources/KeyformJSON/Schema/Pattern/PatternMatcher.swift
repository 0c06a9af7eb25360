/// Runs a `PatternProgram` over a string by simulating all its threads in lock step (a Pike
/// VM without captures), so matching takes time proportional to the string's length times
/// the program's size whatever the pattern: no input can make it backtrack exponentially.
///
/// For `^a+$` (0 assert start, 1 scalar a, 2 split 3,5, 3 scalar a, 4 jump 2, 5 assert end,
/// 6 match) on "aa": before the first 'a' the threads are {1}; after it the closure of 2 gives
/// {3} (5 fails: not at the end); after the second 'a' the closure of 4 reaches 5, which now
/// holds, and then 6: a match.
struct PatternMatcher {
    private let program: PatternProgram
    private let text: String.UnicodeScalarView

    init(program: PatternProgram, text: String.UnicodeScalarView) {
        self.program = program
        self.text = text
    }

    /// Whether the program matches anywhere in the text (or, anchored, at the start).
    func search() -> Bool {
        run(from: text.startIndex, startPC: 0, anchored: program.anchoredAtStart)
    }

    /// Threads start at `startPC` at `start` (and, unless `anchored`, again at every later
    /// position); true as soon as any reaches `match`.
    private func run(from start: String.UnicodeScalarView.Index, startPC: Int, anchored: Bool) -> Bool {
        let size = program.instructions.count
        // mark | current list | next list | closure stack
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 5 * size + 2) { buffer in
            guard let base = buffer.baseAddress else { return false }
            base.initialize(repeating: -1, count: 5 * size + 2)
            var state = PatternThreads(
                mark: base, current: base + size, next: base + 2 * size, stack: base + 3 * size)
            return state.run(self, from: start, startPC: startPC, anchored: anchored)
        }
    }

    fileprivate struct Position {
        var index: String.UnicodeScalarView.Index
        var previous: UInt32?
        var current: UInt32?
    }

    fileprivate func position(at index: String.UnicodeScalarView.Index) -> Position {
        Position(
            index: index,
            previous: index > text.startIndex ? text[text.index(before: index)].value : nil,
            current: index < text.endIndex ? text[index].value : nil)
    }

    fileprivate func holds(_ assertion: PatternAssertion, at position: Position) -> Bool {
        switch assertion {
        case .start:
            return position.previous == nil
        case .end:
            return position.current == nil
        case .wordBoundary, .notWordBoundary:
            let before = position.previous.map(PatternCharacterSet.isWord) ?? false
            let after = position.current.map(PatternCharacterSet.isWord) ?? false
            return (before != after) == (assertion == .wordBoundary)
        }
    }

    fileprivate func lookahead(startPC: Int, at position: Position) -> Bool {
        run(from: position.index, startPC: startPC, anchored: true)
    }

    fileprivate var instructions: [PatternInstruction] { program.instructions }
    fileprivate var sets: [PatternCharacterSet] { program.sets }
    fileprivate var endIndex: String.UnicodeScalarView.Index { text.endIndex }
    fileprivate func after(_ index: String.UnicodeScalarView.Index) -> String.UnicodeScalarView.Index {
        text.index(after: index)
    }
    fileprivate func scalar(at index: String.UnicodeScalarView.Index) -> UInt32? {
        index < text.endIndex ? text[index].value : nil
    }
}

/// The thread lists of one run, in memory borrowed from `PatternMatcher.run`.
private struct PatternThreads {
    /// `mark[pc] == stamp` when pc is already in the list being built.
    let mark: UnsafeMutablePointer<Int>
    var current: UnsafeMutablePointer<Int>
    var next: UnsafeMutablePointer<Int>
    let stack: UnsafeMutablePointer<Int>
    var currentCount = 0
    var nextCount = 0
    var stamp = 0

    init(mark: UnsafeMutablePointer<Int>, current: UnsafeMutablePointer<Int>, next: UnsafeMutablePointer<Int>, stack: UnsafeMutablePointer<Int>) {
        self.mark = mark
        self.current = current
        self.next = next
        self.stack = stack
    }

    mutating func run(
        _ matcher: PatternMatcher, from start: String.UnicodeScalarView.Index, startPC: Int, anchored: Bool
    ) -> Bool {
        let instructions = matcher.instructions
        let sets = matcher.sets
        var position = matcher.position(at: start)
        stamp += 1
        if add(startPC, at: position, matcher, instructions) { return true }
        swapLists()
        while let scalar = position.current {
            let nextIndex = matcher.after(position.index)
            let following = PatternMatcher.Position(
                index: nextIndex, previous: scalar, current: matcher.scalar(at: nextIndex))
            stamp += 1
            for slot in 0..<currentCount {
                let pc = current[slot]
                let accepted: Bool
                switch instructions[pc] {
                case .scalar(let value): accepted = value == scalar
                case .any: accepted = !PatternCharacterSet.isLineTerminator(scalar)
                case .set(let index): accepted = sets[index].contains(scalar)
                default: accepted = false
                }
                if accepted, add(pc + 1, at: following, matcher, instructions) { return true }
            }
            if !anchored, add(startPC, at: following, matcher, instructions) { return true }
            swapLists()
            if anchored, currentCount == 0 { return false }
            position = following
        }
        return false
    }

    private mutating func swapLists() {
        swap(&current, &next)
        currentCount = nextCount
        nextCount = 0
    }

    /// Adds `pc` and everything reachable from it without consuming input to the next list;
    /// true if that reaches `match`.
    private mutating func add(
        _ pc: Int, at position: PatternMatcher.Position, _ matcher: PatternMatcher, _ instructions: [PatternInstruction]
    ) -> Bool {
        var depth = 0
        stack[0] = pc
        depth = 1
        while depth > 0 {
            depth -= 1
            let pc = stack[depth]
            if mark[pc] == stamp { continue }
            mark[pc] = stamp
            switch instructions[pc] {
            case .jump(let target):
                stack[depth] = target
                depth += 1
            case .split(let first, let second):
                stack[depth] = second
                stack[depth + 1] = first
                depth += 2
            case .assert(let assertion):
                if matcher.holds(assertion, at: position) {
                    stack[depth] = pc + 1
                    depth += 1
                }
            case .lookahead(let start, let negative):
                if matcher.lookahead(startPC: start, at: position) != negative {
                    stack[depth] = pc + 1
                    depth += 1
                }
            case .match:
                return true
            case .scalar, .any, .set:
                next[nextCount] = pc
                nextCount += 1
            }
        }
        return false
    }
}
