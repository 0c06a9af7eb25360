/// A deterministic automaton over ASCII bytes, built ahead of time from a `PatternProgram`, so
/// that matching an ASCII string is one table lookup per byte.
///
/// Each state is the set of program threads alive after some input (Rabin–Scott subset
/// construction over the Pike VM's thread sets). `^[a-z]{1,2}$` gives: the start state
/// {scalar₁}; after a letter {scalar₂, end}, which accepts if the input ends there; after a
/// second letter {end}; a third letter leads to the dead state. `$` is decided when the
/// input ends, `^` only holds in the start state. Programs with lookahead or `\b` are left to
/// the VM, as are strings with a non-ASCII scalar, and programs over `maximumProgramSize`
/// instructions or needing over `maximumStates` states (which bounds the work done here).
struct PatternDFA: Sendable {
    static let maximumStates = 256
    static let maximumProgramSize = 1000

    /// `transitions[state << 7 | byte]` is the next state.
    let transitions: [UInt16]
    /// The state whose threads have reached `match` (the search has succeeded), if any.
    let matched: Int
    /// States that match if the input ends here (through `$`).
    let matchesAtEnd: [Bool]
    /// The state with no threads and no way to gain any, if there is one.
    let dead: Int

    /// Threads after an epsilon closure: those waiting for a byte, those waiting for the end.
    private struct Closure: Hashable {
        var consuming: [Int] = []
        var waitingForEnd: [Int] = []
        var matched = false
        var atStart = false
    }

    init?(_ program: PatternProgram) {
        let instructions = program.instructions
        guard instructions.count <= Self.maximumProgramSize else { return nil }
        for instruction in instructions {
            switch instruction {
            case .lookahead, .assert(.wordBoundary), .assert(.notWordBoundary): return nil
            default: continue
            }
        }
        let seed = program.anchoredAtStart ? [] : [0]
        var states: [Closure] = []
        var ids: [Closure: Int] = [:]
        var table: [UInt16] = []
        var queue = 0
        func id(_ closure: Closure) -> Int? {
            if let existing = ids[closure] { return existing }
            guard states.count < Self.maximumStates else { return nil }
            ids[closure] = states.count
            states.append(closure)
            return states.count - 1
        }
        guard id(Self.closure(of: [0], atStart: true, instructions)) != nil else { return nil }
        var closures: [[Int]: Int] = [:]
        while queue < states.count {
            let state = states[queue]
            queue += 1
            for byte in UInt32(0)..<128 {
                if state.matched {
                    table.append(UInt16(queue - 1))
                    continue
                }
                var seeds: [Int] = []
                for pc in state.consuming where Self.accepts(instructions[pc], byte, program.sets) { seeds.append(pc + 1) }
                seeds += seed
                let target: Int
                if let known = closures[seeds] {
                    target = known
                } else {
                    guard let new = id(Self.closure(of: seeds, atStart: false, instructions)) else { return nil }
                    closures[seeds] = new
                    target = new
                }
                table.append(UInt16(target))
            }
        }
        transitions = table
        matched = states.firstIndex(where: \.matched) ?? -1
        matchesAtEnd = states.map { $0.matched || Self.acceptsAtEnd($0, instructions) }
        dead = states.firstIndex(where: { $0.consuming.isEmpty && $0.waitingForEnd.isEmpty && !$0.matched && seed.isEmpty }) ?? -1
    }

    /// Whether the pattern matches somewhere in `text`, or `nil` when the text is not ASCII.
    func search(_ text: String) -> Bool? {
        if matched == 0 { return true }
        let found = text.utf8.withContiguousStorageIfAvailable { bytes in
            transitions.withUnsafeBufferPointer { table -> Bool? in
                var state = 0
                for byte in bytes {
                    guard byte < 128 else { return nil }
                    state = Int(table[state &<< 7 | Int(byte)])
                    if state == matched { return true }
                    if state == dead { return false }
                }
                return matchesAtEnd[state]
            }
        }
        if let found { return found }
        var state = 0
        for byte in text.utf8 {
            guard byte < 128 else { return nil }
            state = Int(transitions[state &<< 7 | Int(byte)])
            if state == matched { return true }
            if state == dead { return false }
        }
        return matchesAtEnd[state]
    }

    /// Whether the pattern matches somewhere in the UTF-8 `bytes`, or `nil` when they are not ASCII.
    func search(bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        if matched == 0 { return true }
        return transitions.withUnsafeBufferPointer { table -> Bool? in
            var state = 0
            for byte in bytes {
                guard byte < 128 else { return nil }
                state = Int(table[state &<< 7 | Int(byte)])
                if state == matched { return true }
                if state == dead { return false }
            }
            return matchesAtEnd[state]
        }
    }

    private static func accepts(_ instruction: PatternInstruction, _ byte: UInt32, _ sets: [PatternCharacterSet]) -> Bool {
        switch instruction {
        case .scalar(let value): return value == byte
        case .any: return !PatternCharacterSet.isLineTerminator(byte)
        case .set(let index): return sets[index].contains(byte)
        default: return false
        }
    }

    private static func closure(of seeds: [Int], atStart: Bool, _ instructions: [PatternInstruction]) -> Closure {
        var closure = Closure(atStart: atStart)
        var visited = Set<Int>()
        var stack = Array(seeds.reversed())
        while let pc = stack.popLast() {
            guard visited.insert(pc).inserted else { continue }
            switch instructions[pc] {
            case .jump(let target): stack.append(target)
            case .split(let first, let second): stack += [second, first]
            case .assert(.start): if atStart { stack.append(pc + 1) }
            case .assert: closure.waitingForEnd.append(pc)
            case .match: closure.matched = true
            case .scalar, .any, .set: closure.consuming.append(pc)
            case .lookahead: break
            }
        }
        closure.consuming.sort()
        closure.waitingForEnd.sort()
        if closure.matched { return Closure(matched: true) }
        return closure
    }

    /// Whether threads waiting at `$` reach `match` when the input ends.
    private static func acceptsAtEnd(_ state: Closure, _ instructions: [PatternInstruction]) -> Bool {
        var visited = Set<Int>()
        var stack = state.waitingForEnd.map { $0 + 1 }
        while let pc = stack.popLast() {
            guard visited.insert(pc).inserted else { continue }
            switch instructions[pc] {
            case .jump(let target): stack.append(target)
            case .split(let first, let second): stack += [second, first]
            case .assert(.start): if state.atStart { stack.append(pc + 1) }
            case .assert: stack.append(pc + 1)
            case .match: return true
            default: continue
            }
        }
        return false
    }
}
