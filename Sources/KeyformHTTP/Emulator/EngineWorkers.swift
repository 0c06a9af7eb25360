import Foundation

/// A bounded set of threads for the console engine's blocking calls (every mutation waits for
/// its `fsync`, and reads wait for what they saw to be durable), so that the Swift concurrency
/// pool — one thread per core — never sits in the kernel while other requests wait.
///
///     let workers = EngineWorkers(threads: 16, label: "console-engine")
///     let project = await workers.run { try? engine.project(id: "42") }
///
/// Many threads may wait on a sync at once: the engine's group commit lets one `fsync` carry
/// every record queued meanwhile, so concurrent requests share it. Threads start as concurrent
/// jobs need them (up to the bound) and end when the value is released or `close()` is
/// called; jobs submitted after that run on the caller.
final class EngineWorkers: Sendable {
    private let queue: JobQueue

    /// Threads are started as jobs need them, up to `threads`, named `label-N`.
    init(threads: Int, label: String) {
        queue = JobQueue(maxThreads: max(1, threads), label: label)
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

/// The jobs waiting for a worker, in arrival order, and the workers: a new thread starts when
/// a job arrives and every thread is busy, until there are `maxThreads`; a waiting thread is
/// woken (given a permit) for each job that arrives while it waits.
private final class JobQueue: @unchecked Sendable {
    // @unchecked: every property but the constants is only touched while `condition` is locked.
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var head = 0
    private var isClosed = false
    private var threads = 0
    /// Threads waiting for a job and not yet woken for one.
    private var waiting = 0
    /// Wake-ups handed out and not yet taken.
    private var permits = 0
    private let maxThreads: Int
    private let label: String

    init(maxThreads: Int, label: String) {
        self.maxThreads = maxThreads
        self.label = label
    }

    /// Queues a job; `false` once the queue is closed.
    func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        condition.lock()
        guard !isClosed else {
            condition.unlock()
            return false
        }
        jobs.append(job)
        var start = false
        if waiting > 0 {
            waiting -= 1
            permits += 1
            condition.signal()
        } else if threads < maxThreads {
            threads += 1
            start = true
        }
        let index = threads
        condition.unlock()
        if start {
            let thread = Thread { [self] in work() }
            thread.name = "\(label)-\(index)"
            thread.start()
        }
        return true
    }

    func close() {
        condition.lock()
        isClosed = true
        condition.broadcast()
        condition.unlock()
    }

    /// A worker thread's loop: takes jobs until the queue is closed and empty.
    private func work() {
        while let job = next() { job() }
    }

    private func next() -> (@Sendable () -> Void)? {
        condition.lock()
        defer { condition.unlock() }
        while head == jobs.count {
            if isClosed { return nil }
            waiting += 1
            while permits == 0, !isClosed { condition.wait() }
            if permits > 0 {
                permits -= 1
            } else {
                waiting -= 1
            }
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
