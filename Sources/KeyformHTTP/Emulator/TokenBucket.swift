/// A token bucket: `rate` tokens a second, holding at most `capacity`; a request takes one.
///
///     var bucket = TokenBucket(rate: 2, capacity: 2, now: 0)
///     bucket.take(now: 0)     // nil: taken (1 left)
///     bucket.take(now: 0)     // nil: taken (0 left)
///     bucket.take(now: 0.1)   // 0.4: refused; the next token comes in 0.4 s
///     bucket.take(now: 0.5)   // nil: one token came back
struct TokenBucket: Sendable, Hashable {
    let rate: Double
    let capacity: Double
    private var tokens: Double
    private var last: Double

    /// A full bucket at time `now` (seconds on any monotonic clock).
    init(rate: Double, capacity: Double, now: Double) {
        self.rate = rate
        self.capacity = capacity
        self.tokens = capacity
        self.last = now
    }

    /// Takes a token: `nil` when there was one, else the seconds until there will be.
    mutating func take(now: Double) -> Double? {
        if now > last {
            tokens = min(capacity, tokens + (now - last) * rate)
            last = now
        }
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        return (1 - tokens) / rate
    }
}
