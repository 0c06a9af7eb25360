import Foundation
@testable import KeyformCore

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

/// The executor's events as short lines (`started 1`, `failed 1: interrupted`), in order.
final class EventLog: @unchecked Sendable {
    // @unchecked: `lock` guards `lines`.
    private let lock = NSLock()
    private var lines: [String] = []
    var descriptions: [String] { lock.withLock { lines } }

    func append(_ event: ApplyExecutor.Event) {
        let line = switch event {
        case .started(let step): "started \(step.id)"
        case .succeeded(let step, _): "succeeded \(step.id)"
        case .failed(let step, let error): "failed \(step.id): \(error)"
        case .retrying(let step, _, let delay): "retrying \(step.id) in \(delay)"
        }
        lock.withLock { lines.append(line) }
    }
}
