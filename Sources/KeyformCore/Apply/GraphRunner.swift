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
        let known = Set(nodes.map(\.id))
        var waitingOn: [ID: Set<ID>] = [:]
        var dependents: [ID: [ID]] = [:]
        var order: [ID: Int] = [:]
        for (index, node) in nodes.enumerated() {
            order[node.id] = index
            let deps = Set(node.dependsOn.filter { known.contains($0) && $0 != node.id })
            waitingOn[node.id] = deps
            for dep in deps { dependents[dep, default: []].append(node.id) }
        }
        var ready = nodes.map(\.id).filter { waitingOn[$0]?.isEmpty ?? true }
        var outcomes: [ID: Outcome<ID>] = [:]
        let limit = max(1, parallelism)

        func skipDependents(of id: ID, root: ID) {
            var stack = dependents[id] ?? []
            while let next = stack.popLast() {
                guard outcomes[next] == nil else { continue }
                outcomes[next] = .skipped(dependency: root)
                stack.append(contentsOf: dependents[next] ?? [])
            }
        }

        await withTaskGroup(of: (ID, (any Error)?).self) { group in
            var inFlight = 0
            var stopped = false
            func startReady() {
                while inFlight < limit, !ready.isEmpty {
                    if stopped || shouldStop() {
                        stopped = true
                        return
                    }
                    let id = ready.removeFirst()
                    guard outcomes[id] == nil else { continue }
                    inFlight += 1
                    group.addTask {
                        do {
                            try await perform(id)
                            return (id, nil)
                        } catch {
                            return (id, error)
                        }
                    }
                }
            }
            startReady()
            while let (id, error) = await group.next() {
                inFlight -= 1
                if let error {
                    outcomes[id] = .failed(error)
                    skipDependents(of: id, root: id)
                } else {
                    outcomes[id] = .succeeded
                    var newlyReady: [ID] = []
                    for dependent in dependents[id] ?? [] {
                        waitingOn[dependent]?.remove(id)
                        if waitingOn[dependent]?.isEmpty == true, outcomes[dependent] == nil {
                            newlyReady.append(dependent)
                        }
                    }
                    ready.append(contentsOf: newlyReady)
                    ready.sort { (order[$0] ?? 0) < (order[$1] ?? 0) }
                }
                startReady()
            }
        }
        for node in nodes where outcomes[node.id] == nil {
            outcomes[node.id] = .notStarted
        }
        return outcomes
    }
}
