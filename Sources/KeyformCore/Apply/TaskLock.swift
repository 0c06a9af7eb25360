import Foundation

/// A first-come, first-served lock for tasks: a task that finds it held suspends until its
/// turn, instead of blocking its thread.
final class TaskLock: @unchecked Sendable {
    // @unchecked: `held` and `waiters` are only touched while `lock` is held.
    private let lock = NSLock()
    private var held = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.lock()
            if held {
                waiters.append(continuation)
                lock.unlock()
            } else {
                held = true
                lock.unlock()
                continuation.resume()
            }
        }
    }

    /// How many tasks wait for the lock (for tests).
    var waiterCount: Int { lock.withLock { waiters.count } }

    /// Hands the lock to the longest waiter, or frees it.
    func release() {
        lock.lock()
        guard !waiters.isEmpty else {
            held = false
            lock.unlock()
            return
        }
        let next = waiters.removeFirst()
        lock.unlock()
        next.resume()
    }
}
