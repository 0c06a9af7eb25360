import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One request in flight: its task, the body so far, and the continuation that gets the
/// outcome exactly once — from the task's completion, the size guard, the deadline or a
/// cancellation, whichever comes first.
final class URLSessionExchange: @unchecked Sendable {
    // `@unchecked Sendable`: every stored property is only touched under `lock`.

    /// Where deadlines fire and cancellations end exchanges: work that never blocks, on a
    /// queue of its own, which gets a thread even when the global queues' few (one per core)
    /// are all busy.
    static let deadlines = DispatchQueue(label: "keyform.http.deadlines")

    private let lock = NSLock()
    private let maximumBodySize: Int
    private let timeout: Double
    private var task: URLSessionDataTask?
    private var continuation: CheckedContinuation<HTTPTransportResponse, any Error>?
    private var body = Data()
    /// Set once the outcome is known; before `begin`, when cancelled that early.
    private var outcome: Result<HTTPTransportResponse, any Error>?

    init(maximumBodySize: Int, timeout: Double) {
        self.maximumBodySize = maximumBodySize
        self.timeout = timeout
    }

    /// Attaches the task and the continuation; false (the continuation resumed with the
    /// outcome) when the exchange ended before it began.
    func begin(_ task: URLSessionDataTask, _ continuation: CheckedContinuation<HTTPTransportResponse, any Error>) -> Bool {
        let early = lock.withLock { () -> Result<HTTPTransportResponse, any Error>? in
            if let outcome { return outcome }
            self.task = task
            self.continuation = continuation
            return nil
        }
        guard let early else { return true }
        continuation.resume(with: early)
        return false
    }

    /// The answer's head arrived: one that announces too long a body is refused at once.
    func received(_ response: URLResponse) {
        if response.expectedContentLength > Int64(maximumBodySize) {
            abandon(with: HTTPTransportError.tooLarge(limit: maximumBodySize))
        }
    }

    /// A piece of the body arrived.
    func received(_ data: Data) {
        let overflow = lock.withLock { () -> Bool in
            guard outcome == nil else { return false }
            guard body.count + data.count <= maximumBodySize else { return true }
            body.append(data)
            return false
        }
        if overflow { abandon(with: HTTPTransportError.tooLarge(limit: maximumBodySize)) }
    }

    /// The task ended, with the answer or with `error`.
    func completed(_ response: URLResponse?, error: (any Error)?) {
        if let error {
            finish(.failure(URLSessionTransport.transportError(for: URLSessionTransport.urlError(error), timeout: timeout)))
            return
        }
        guard let http = response as? HTTPURLResponse else {
            finish(.failure(HTTPTransportError.invalidResponse(reason: "not an HTTP response")))
            return
        }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            guard let name = name as? String, let value = value as? String else { continue }
            headers[name] = value
        }
        let body = lock.withLock { self.body }
        finish(.success(HTTPTransportResponse(status: http.statusCode, headers: headers, body: [UInt8](body))))
    }

    /// Ends the exchange with `error` now, and cancels its task on a thread of its own:
    /// `URLSessionTask.cancel` waits for the URL sessions' shared work queue, which a flood
    /// of answer bytes can hold for seconds (the caller may also hold a lock the cancellation
    /// needs). Cancellations queued one behind another held a flooded `plan` for 40 s; side by
    /// side they end it at once.
    func abandon(with error: any Error) {
        guard let task = finish(.failure(error)) else { return }
        Thread.detachNewThread { task.cancel() }
    }

    /// Records the outcome and resumes the continuation, outside the lock, the first time
    /// only; returns the task to cancel, if it had begun.
    @discardableResult
    private func finish(_ result: Result<HTTPTransportResponse, any Error>) -> URLSessionDataTask? {
        let taken = lock.withLock { () -> (CheckedContinuation<HTTPTransportResponse, any Error>, URLSessionDataTask)? in
            guard outcome == nil else { return nil }
            outcome = result
            body = Data()
            defer { continuation = nil; task = nil }
            guard let continuation, let task else { return nil }
            return (continuation, task)
        }
        guard let (continuation, task) = taken else { return nil }
        continuation.resume(with: result)
        return task
    }
}
