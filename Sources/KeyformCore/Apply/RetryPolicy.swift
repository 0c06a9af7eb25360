/// When and how long to wait before trying a request again: exponential backoff with full
/// jitter, honouring a console's `Retry-After`.
///
/// Only requests that are safe to repeat are retried (GET, PUT, PATCH, DELETE): a POST that
/// may have reached the console is never repeated blindly — the caller looks the name up first.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// Delay before the second attempt, in seconds; doubled for each further one.
    public var baseDelay: Double
    /// No single wait is longer than this, in seconds.
    public var maxDelay: Double

    public init(maxAttempts: Int = 10, baseDelay: Double = 0.1, maxDelay: Double = 10) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    public static let none = RetryPolicy(maxAttempts: 1)

    /// Seconds to wait before attempt number `attempt + 1` (attempt counts from 1), or `nil`
    /// when the error is not worth retrying or the attempts are used up.
    /// - Parameter random: a number in 0..<1, for jitter (injected so tests are repeatable).
    public func delay(after error: ConsoleError, attempt: Int, random: Double) -> Double? {
        guard attempt < maxAttempts, error.isTransient else { return nil }
        if case .rateLimited(let retryAfter?, _) = error {
            return min(max(retryAfter, 0), maxDelay)
        }
        let ceiling = min(maxDelay, baseDelay * Double(1 << min(attempt - 1, 20)))
        // Full jitter, but never less than half the ceiling, so waits still grow.
        return ceiling / 2 + ceiling / 2 * random
    }

    /// Waits `seconds` in slices of at most `slice`, looking at `stop` before each: false as
    /// soon as it turns true (an interrupted apply starts no new attempt, and does not sit
    /// out the rest of a backoff either), true once the whole wait has passed.
    public static func wait(
        _ seconds: Double, slice: Double = 0.05, sleep: (Double) async throws -> Void, stop: () -> Bool
    ) async rethrows -> Bool {
        var left = seconds
        while left > 0 {
            if stop() { return false }
            let step = min(left, slice)
            try await sleep(step)
            left -= step
        }
        return !stop()
    }
}
