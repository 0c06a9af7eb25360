import Foundation
import Synchronization

/// Decides which requests meet an injected fault: the rate limit (429), a failure before
/// anything is done (503), or an answer lost after the work was done (504).
///
/// The draws come from one seeded generator in arrival order; a draw is made only for a
/// fault that is switched on, so the same seed and settings draw the same sequence.
final class FaultInjector: Sendable {
    /// What happens to a request before it is handled.
    enum Admission: Hashable, Sendable {
        case admit
        /// Over the rate limit: 429 with `Retry-After` in whole seconds (at least 1).
        case rateLimited(retryAfter: Int)
        /// Injected 503, before anything is done.
        case fail
    }

    private struct State {
        var generator: SeededGenerator
        var bucket: TokenBucket?
        var counts = EmulatorFaultCounts()
    }

    private let failRate: Double
    private let lostAnswerRate: Double
    private let state: Mutex<State>
    private let clock = ContinuousClock()
    private let origin: ContinuousClock.Instant
    /// The seed the draws follow (the configured one, or one picked at random).
    let seed: UInt64

    init(configuration: ConsoleEmulator.Configuration) {
        let seed = configuration.seed ?? UInt64.random(in: .min ... .max)
        self.seed = seed
        self.failRate = configuration.failRate
        self.lostAnswerRate = configuration.lostAnswerRate
        self.origin = clock.now
        let bucket = configuration.rateLimit.map { rate in
            TokenBucket(rate: Double(rate), capacity: Double(configuration.rateLimitBurst ?? rate), now: 0)
        }
        self.state = Mutex(State(generator: SeededGenerator(seed: seed), bucket: bucket))
    }

    /// The rate limit first (a refused request draws nothing), then the failure draw.
    func admit() -> Admission {
        let now = seconds(since: origin)
        return state.withLock { state in
            if var bucket = state.bucket {
                let wait = bucket.take(now: now)
                state.bucket = bucket
                if let wait {
                    state.counts.rateLimited += 1
                    return .rateLimited(retryAfter: max(1, Int(wait.rounded(.up))))
                }
            }
            if failRate > 0, state.generator.nextUnit() < failRate {
                state.counts.failed += 1
                return .fail
            }
            return .admit
        }
    }

    /// Whether the answer to a request that was carried out is to be lost.
    func loseAnswer() -> Bool {
        guard lostAnswerRate > 0 else { return false }
        return state.withLock { state in
            guard state.generator.nextUnit() < lostAnswerRate else { return false }
            state.counts.lostAnswers += 1
            return true
        }
    }

    var counts: EmulatorFaultCounts {
        state.withLock { $0.counts }
    }

    private func seconds(since start: ContinuousClock.Instant) -> Double {
        let (seconds, attoseconds) = (clock.now - start).components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

/// How many faults the emulator has injected so far.
public struct EmulatorFaultCounts: Hashable, Sendable {
    /// Requests answered 429 by the rate limit.
    public var rateLimited = 0
    /// Requests answered 503 before anything was done.
    public var failed = 0
    /// Requests carried out whose answer was replaced by a 504.
    public var lostAnswers = 0

    public init() {}
}
