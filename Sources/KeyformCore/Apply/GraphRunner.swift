/// Runs a dependency graph of work items with bounded parallelism.
///
/// Worked example: nodes `a`, `b` (after `a`), `c` (after `b`), `d` with parallelism 2.
/// `a` and `d` start at once; when `a` succeeds, `b` starts; if `b` fails, `c` is skipped
/// (it depends on a failure) while `d` is unaffected. When `shouldStop` turns true, nothing new
/// starts, what is in flight finishes, and the rest is reported as not started.
public enum GraphRunner {
    /// What became of one node.
    public enum Outcome<ID: Hashable & Sendable>: Sendable {
        case succeeded
        case failed(any Error)
        /// Not run because a node it depends on (directly or not) failed or was skipped.
        case skipped(dependency: ID)
        /// Not run because the run was stopped (interrupt) before it could start.
        case notStarted
    }

    /// One piece of work and the ids it waits for.
    public struct Node<ID: Hashable & Sendable>: Sendable {
        public var id: ID
        public var dependsOn: [ID]

        public init(id: ID, dependsOn: [ID]) {
            self.id = id
            self.dependsOn = dependsOn
        }
    }

    /// Runs `perform` for every node once its dependencies succeeded, at most `parallelism` at a
    /// time, starting ready nodes in the order given.
    /// - Parameters:
    ///   - shouldStop: polled before starting each node; once true, no new node starts.
    ///   - perform: the work; a thrown error fails the node and skips its dependents.
    /// - Returns: the outcome of every node. Dependencies on ids not in `nodes` count as met.
    public static func run<ID: Hashable & Sendable>(
        _ nodes: [Node<ID>],
        parallelism: Int,
        shouldStop: @escaping @Sendable () -> Bool = { false },
        perform: @escaping @Sendable (ID) async throws -> Void
    ) async -> [ID: Outcome<ID>] {
        // Bookkeeping by position in `nodes` (the last node of an id stands for it), so that
        // each step costs O(log n): 10,000 nodes must not cost 10,000 sorts.
        var position: [ID: Int] = [:]
        position.reserveCapacity(nodes.count)
        for (index, node) in nodes.enumerated() { position[node.id] = index }
        var waiting = [Int](repeating: 0, count: nodes.count)
        var dependents = [[Int]](repeating: [], count: nodes.count)
        var ready = ReadyQueue()
        for (index, node) in nodes.enumerated() where position[node.id] == index {
            var deps = Set<Int>()
            for dep in node.dependsOn where dep != node.id {
                if let depIndex = position[dep] { deps.insert(depIndex) }
            }
            waiting[index] = deps.count
            for dep in deps { dependents[dep].append(index) }
            if deps.isEmpty { ready.push(index) }
        }
        var outcomes = [Outcome<ID>?](repeating: nil, count: nodes.count)
        let limit = max(1, parallelism)

        func skipDependents(of index: Int, root: ID) {
            var stack = dependents[index]
            while let next = stack.popLast() {
                guard outcomes[next] == nil else { continue }
                outcomes[next] = .skipped(dependency: root)
                stack.append(contentsOf: dependents[next])
            }
        }

        await withTaskGroup(of: (Int, (any Error)?).self) { group in
            var inFlight = 0
            var stopped = false
            func startReady() {
                while inFlight < limit, !ready.isEmpty {
                    if stopped || shouldStop() {
                        stopped = true
                        return
                    }
                    guard let index = ready.pop(), outcomes[index] == nil else { continue }
                    inFlight += 1
                    let id = nodes[index].id
                    group.addTask {
                        do {
                            try await perform(id)
                            return (index, nil)
                        } catch {
                            return (index, error)
                        }
                    }
                }
            }
            startReady()
            while let (index, error) = await group.next() {
                inFlight -= 1
                if let error {
                    outcomes[index] = .failed(error)
                    skipDependents(of: index, root: nodes[index].id)
                } else {
                    outcomes[index] = .succeeded
                    for dependent in dependents[index] {
                        waiting[dependent] -= 1
                        if waiting[dependent] == 0, outcomes[dependent] == nil { ready.push(dependent) }
                    }
                }
                startReady()
            }
        }
        var result: [ID: Outcome<ID>] = [:]
        result.reserveCapacity(position.count)
        for (id, index) in position { result[id] = outcomes[index] ?? .notStarted }
        return result
    }
}

/// The ready nodes' positions, smallest first (a binary min-heap), so nodes start in the order
/// given.
private struct ReadyQueue {
    private var heap: [Int] = []

    var isEmpty: Bool { heap.isEmpty }

    mutating func push(_ value: Int) {
        heap.append(value)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child] < heap[parent] else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Int? {
        guard let last = heap.popLast() else { return nil }
        guard !heap.isEmpty else { return last }
        let top = heap[0]
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count, heap[left] < heap[smallest] { smallest = left }
            if right < heap.count, heap[right] < heap[smallest] { smallest = right }
            if smallest == parent { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }
}
