import Foundation

/// A flag that tasks share.
final class Flag: @unchecked Sendable {
    // @unchecked: `lock` guards `raised`.
    private let lock = NSLock()
    private var raised = false
    func set() { lock.withLock { raised = true } }
    var value: Bool { lock.withLock { raised } }
}

/// A running total that tasks share.
final class Total: @unchecked Sendable {
    // @unchecked: `lock` guards `sum`.
    private let lock = NSLock()
    private var sum = 0.0
    var value: Double { lock.withLock { sum } }
    func add(_ amount: Double) { lock.withLock { sum += amount } }
}
