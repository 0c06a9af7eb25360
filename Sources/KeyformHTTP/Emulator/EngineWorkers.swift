import Foundation

/// A fixed set of threads for the console engine's blocking calls (every mutation waits for
/// its `fsync`, and reads wait for what they saw to be durable), so that the Swift concurrency
/// pool — one thread per core — never sits in the kernel while other requests wait.
///
///     let workers = EngineWorkers(threads: 16, label: "console-engine")
///     let project = await workers.run { try? engine.project(id: "42") }
///
/// Many threads may wait on a sync at once: the engine's group commit lets one `fsync` carry
/// every record queued meanwhile, so concurrent requests share it. The threads end when the
/// value is released (or `close()` is called); jobs submitted after that run on the caller.
final class EngineWorkers: Sendable {
    private let queue: JobQueue

    /// Starts `threads` threads named `label-N`.
    init(threads: Int, label: String) {
        let queue = JobQueue()
        self.queue = queue
        for index in 0..<max(1, threads) {
            let thread = Thread { queue.work() }
            thread.name = "\(label)-\(index)"
            thread.start()
        }
    }

    deinit {
        queue.close()
    }

    /// Runs `body` on one of the threads and resumes the caller with its result.
    func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
            let accepted = queue.submit { continuation.resume(returning: body()) }
            if !accepted { continuation.resume(returning: body()) }
        }
    }

    /// Lets the threads finish the jobs already queued and end.
    func close() {
        queue.close()
    }
}

/// The jobs waiting for a worker, in arrival order.
private final class JobQueue: @unchecked Sendable {
    // @unchecked: `jobs`, `head` and `isClosed` are only touched while `condition` is locked.
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var head = 0
    private var isClosed = false

    /// Queues a job; `false` once the queue is closed.
    func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !isClosed else { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    func close() {
        condition.lock()
        isClosed = true
        condition.broadcast()
        condition.unlock()
    }

    /// A worker thread's loop: takes jobs until the queue is closed and empty.
    func work() {
        while let job = next() { job() }
    }

    private func next() -> (@Sendable () -> Void)? {
        condition.lock()
        defer { condition.unlock() }
        while head == jobs.count {
            if isClosed { return nil }
            condition.wait()
        }
        let job = jobs[head]
        head += 1
        if head > 1024, head * 2 > jobs.count {
            jobs.removeFirst(head)
            head = 0
        }
        return job
    }
}
