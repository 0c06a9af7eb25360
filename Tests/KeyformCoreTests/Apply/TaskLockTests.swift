import Foundation
import Testing
@testable import KeyformCore

@Suite struct TaskLockTests {
    /// Counts how many tasks are inside the lock at once; thread-safe.
    final class Occupancy: @unchecked Sendable {
        // @unchecked: every access goes through `lock`.
        private let lock = NSLock()
        private var inside = 0
        private(set) var most = 0
        private(set) var entries = 0
        func enter() { lock.withLock { inside += 1; entries += 1; most = max(most, inside) } }
        func leave() { lock.withLock { inside -= 1 } }
    }

    @Test func oneTaskAtATimeEvenAcrossSuspensions() async {
        let taskLock = TaskLock()
        let occupancy = Occupancy()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    await taskLock.acquire()
                    occupancy.enter()
                    await Task.yield()
                    try? await Task.sleep(nanoseconds: 100_000)
                    occupancy.leave()
                    taskLock.release()
                }
            }
        }
        #expect(occupancy.entries == 50)
        #expect(occupancy.most == 1)
    }

    @Test func waitersGetTheLockInTheOrderTheyCame() async {
        let taskLock = TaskLock()
        await taskLock.acquire()
        let log = LockedLog()
        var waiters: [Task<Void, Never>] = []
        for n in 0..<5 {
            waiters.append(Task {
                await taskLock.acquire()
                log.append(n)
                taskLock.release()
            })
            // Let each waiter queue up before the next one starts.
            while taskLock.waiterCount < n + 1 { await Task.yield() }
        }
        taskLock.release()
        for waiter in waiters { await waiter.value }
        #expect(log.values == [0, 1, 2, 3, 4])
    }

    final class LockedLog: @unchecked Sendable {
        // @unchecked: `lock` guards `items`.
        private let lock = NSLock()
        private var items: [Int] = []
        func append(_ n: Int) { lock.withLock { items.append(n) } }
        var values: [Int] { lock.withLock { items } }
    }
}
