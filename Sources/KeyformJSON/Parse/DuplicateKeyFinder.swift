/// Finds keys that occur more than once in one object of the tape, comparing decoded
/// strings (so `"a"` and `"\u0061"` are the same key).
///
/// Small objects are checked pair by pair (cheap: most comparisons stop at the length);
/// larger ones through an open-addressing table that is reused from object to object and
/// cleared by bumping a generation number instead of zeroing it.
struct DuplicateKeyFinder {
    private var keyNodes: [Int] = []
    private var slots: [Int] = []
    private var stamps: [UInt32] = []
    private var generation: UInt32 = 0

    /// Objects with at most this many members are checked pair by pair.
    static let pairwiseLimit = 8

    /// Appends `(first, later)` key node indices for every key of the object at `opener`
    /// that repeats an earlier key of the same object.
    mutating func findDuplicates(
        inObjectAt opener: Int, nodes: UnsafeMutablePointer<UInt64>, input: UnsafeBufferPointer<UInt8>,
        into duplicates: inout [(Int, Int)]
    ) {
        keyNodes.removeAll(keepingCapacity: true)
        let endIndex = TapeNode.payload(nodes[opener]) - 1
        var k = opener + 1
        while k < endIndex {
            keyNodes.append(k)
            let value = nodes[k + 1]
            switch TapeNode.kind(value) {
            case .array, .object: k = TapeNode.payload(value)
            default: k += 2
            }
        }
        let n = keyNodes.count
        guard n >= 2 else { return }
        if n <= Self.pairwiseLimit {
            for later in 1..<n {
                let laterNode = nodes[keyNodes[later]]
                // Two keys written without escapes differ when their lengths do: most pairs
                // are told apart here, without a call.
                let laterPlain = TapeNode.kind(laterNode) == .string
                let laterLength = TapeNode.payload(laterNode)
                for first in 0..<later {
                    let firstNode = nodes[keyNodes[first]]
                    if laterPlain, TapeNode.payload(firstNode) != laterLength, TapeNode.kind(firstNode) == .string { continue }
                    if TapeNode.stringsEqual(firstNode, laterNode, in: input) {
                        duplicates.append((keyNodes[first], keyNodes[later]))
                        break
                    }
                }
            }
            return
        }
        var size = 16
        while size < 2 * n { size <<= 1 }
        if slots.count < size {
            slots = Array(repeating: 0, count: size)
            stamps = Array(repeating: 0, count: size)
            generation = 0
        }
        generation &+= 1
        if generation == 0 {  // wrapped: clear once
            for s in stamps.indices { stamps[s] = 0 }
            generation = 1
        }
        let mask = size - 1
        for key in keyNodes {
            var slot = Int(truncatingIfNeeded: TapeNode.stringHash(nodes[key], in: input)) & mask
            while stamps[slot] == generation {
                if TapeNode.stringsEqual(nodes[slots[slot]], nodes[key], in: input) {
                    duplicates.append((slots[slot], key))
                    break
                }
                slot = (slot + 1) & mask
            }
            if stamps[slot] != generation {
                stamps[slot] = generation
                slots[slot] = key
            }
        }
    }
}
