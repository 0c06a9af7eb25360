/// Orders a plan's actions so that every action comes after those it depends on.
///
/// Kahn's algorithm, taking the smallest ready action each time by (integration; the
/// integration itself, its services, its registrations; address; kind), so the order is
/// deterministic and reads naturally: an integration's deregistrations, then its delete or
/// create, then its services and registrations.
///
/// Example: `register:a.events["e"]` depends on `create:a`; `delete:b` on
/// `deregister:b.events["x"]`. Ready at first: `create:a`, `deregister:b.events["x"]`; the
/// order is `create:a`, `register:a.events["e"]`, `deregister:b.events["x"]`, `delete:b`.
enum PlanGraph {
    /// The actions in dependency order, or `nil` when the dependencies form a cycle or name an
    /// unknown action (an internal error: the planner never builds such a graph).
    ///
    /// Fast path: the builder emits each integration's actions together, integrations in
    /// name order, and dependencies never cross integrations. Then the global order is each
    /// integration's own order in turn, and a run that is already in order (most are: a
    /// `no-op`, or a create and what follows it) is kept as it is, without copying.
    static func order(_ actions: [PlanAction]) -> [PlanAction]? {
        var runs: [Range<Int>] = []
        var start = 0
        for i in actions.indices.dropFirst() {
            let previous = root(actions[i - 1].address), current = root(actions[i].address)
            if previous == current { continue }
            guard previous < current else { return kahn(actions) }
            runs.append(start..<i)
            start = i
        }
        if !actions.isEmpty { runs.append(start..<actions.count) }
        var reordered: [Range<Int>: [PlanAction]] = [:]
        for run in runs where !(run.count == 1 && actions[run.lowerBound].dependsOn.isEmpty) {
            if isOrdered(actions[run]) { continue }
            let slice = Array(actions[run])
            let ids = Set(slice.map(\.id))
            guard slice.allSatisfy({ $0.dependsOn.allSatisfy(ids.contains) }) else { return kahn(actions) }
            guard let ordered = kahn(slice) else { return nil }
            reordered[run] = ordered
        }
        if reordered.isEmpty { return actions }
        var out: [PlanAction] = []
        out.reserveCapacity(actions.count)
        for run in runs {
            if let ordered = reordered[run] { out += ordered } else { out += actions[run] }
        }
        return out
    }

    /// The integration part of an address: `app` of `app.events["x"]`.
    private static func root(_ address: String) -> Substring {
        address.utf8.firstIndex(of: UInt8(ascii: ".")).map { address[..<$0] } ?? Substring(address)
    }

    /// Whether each action depends only on earlier ones and the keys ascend.
    private static func isOrdered(_ run: ArraySlice<PlanAction>) -> Bool {
        var previous: SortKey?
        for i in run.indices {
            let key = SortKey(address: run[i].address, kind: run[i].kind)
            if let previous, !(previous < key) { return false }
            previous = key
            for dependency in run[i].dependsOn where !run[run.startIndex..<i].contains(where: { $0.id == dependency }) {
                return false
            }
        }
        return true
    }

    /// Kahn's algorithm over all the actions.
    private static func kahn(_ actions: [PlanAction]) -> [PlanAction]? {
        var index: [String: Int] = [:]
        index.reserveCapacity(actions.count)
        for (i, action) in actions.enumerated() { index[action.id] = i }
        var waiting = [Int](repeating: 0, count: actions.count)
        var dependents = [[Int]](repeating: [], count: actions.count)
        for (i, action) in actions.enumerated() {
            for dependency in action.dependsOn {
                guard let d = index[dependency] else { return nil }
                waiting[i] += 1
                dependents[d].append(i)
            }
        }
        let keys = actions.map { SortKey(address: $0.address, kind: $0.kind) }
        let less: (Int, Int) -> Bool = { a, b in keys[a] < keys[b] }
        var ready = IndexHeap(less: less)
        for i in actions.indices where waiting[i] == 0 { ready.push(i) }
        var ordered: [PlanAction] = []
        ordered.reserveCapacity(actions.count)
        while let i = ready.pop() {
            ordered.append(actions[i])
            for dependent in dependents[i] {
                waiting[dependent] -= 1
                if waiting[dependent] == 0 { ready.push(dependent) }
            }
        }
        return ordered.count == actions.count ? ordered : nil
    }
}

/// Groups an integration's actions: the integration, its services, then its registrations.
private struct SortKey: Comparable {
    var integration: Substring
    var part: Int
    var address: String
    var kind: Int

    init(address: String, kind: PlanAction.Kind) {
        if let dot = address.utf8.firstIndex(of: UInt8(ascii: ".")) {
            integration = address[..<dot]
            part = address[dot...].hasPrefix(".services") ? 1 : 2
        } else {
            integration = Substring(address)
            part = 0
        }
        self.address = address
        self.kind = kind.orderRank
    }

    static func < (a: SortKey, b: SortKey) -> Bool {
        if a.integration != b.integration { return a.integration < b.integration }
        if a.part != b.part { return a.part < b.part }
        if a.address != b.address { return a.address < b.address }
        return a.kind < b.kind
    }
}

extension PlanAction.Kind {
    /// Tie-break among actions on one address: removals first, then the integration itself,
    /// then what hangs off it.
    var orderRank: Int {
        switch self {
        case .deregister: 0
        case .delete: 1
        case .create: 2
        case .rename: 3
        case .update: 4
        case .subscribe: 5
        case .updateRegistration: 6
        case .register: 7
        case .noOp: 8
        }
    }
}

/// A binary min-heap of indices under a caller's ordering.
struct IndexHeap {
    private var items: [Int] = []
    private let less: (Int, Int) -> Bool

    init(less: @escaping (Int, Int) -> Bool) {
        self.less = less
    }

    mutating func push(_ item: Int) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(items[child], items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Int? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < items.count, less(items[left], items[smallest]) { smallest = left }
                if right < items.count, less(items[right], items[smallest]) { smallest = right }
                if smallest == parent { break }
                items.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return top
    }
}
