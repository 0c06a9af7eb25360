import Dispatch

/// Runs request handlers on the server's own Dispatch queue instead of Swift's cooperative
/// pool, so that a handler is never starved by other work that blocks the pool's few threads
/// (one per core: two here) — a blocking fsync in a console engine, a test waiting on a socket.
/// Jobs run concurrently; Dispatch adds threads while they block.
final class HandlerExecutor: TaskExecutor, @unchecked Sendable {
    // @unchecked: `queue` is immutable and thread-safe.
    private let queue = DispatchQueue(label: "keyform.http.handlers", qos: .userInitiated, attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
