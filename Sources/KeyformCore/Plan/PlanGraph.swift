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
    static func order(_ actions: [PlanAction]) -> [PlanAction]? {
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
        let keys = actions.map(SortKey.init)
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

    init(_ action: PlanAction) {
        let address = action.address
        if let dot = address.firstIndex(of: ".") {
            integration = address[..<dot]
            part = address[dot...].hasPrefix(".services") ? 1 : 2
        } else {
            integration = Substring(address)
            part = 0
        }
        self.address = address
        kind = action.kind.orderRank
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
