extension ConsoleEmulator {
    /// How the emulator answers: injected faults, webhook verification and what it accepts as
    /// credentials. The defaults answer every request at once, without faults, from any
    /// non-empty bearer token and API key.
    public struct Configuration: Sendable, Hashable, CustomStringConvertible {
        /// How long each answer takes at least, counted from the request's arrival: the answer
        /// waits (without holding a thread) for what is left of it after the work.
        public var latency: Duration
        /// The fraction of requests answered 503 before anything is done: such a 503 never has
        /// an effect, so a client may repeat any request after it.
        public var failRate: Double
        /// The fraction of requests that are carried out and whose answer is then replaced by a
        /// 504, as when a proxy times out after the console acted: the client cannot tell
        /// whether a create happened, and must look before it repeats a POST.
        public var lostAnswerRate: Double
        /// Requests a second (a token bucket holding one second's worth); beyond it 429 with
        /// `Retry-After`. `nil`: no limit.
        public var rateLimit: Int?
        /// Requests the rate limit lets through at once (the bucket's size); `nil`: one
        /// second's worth (`rateLimit`).
        public var rateLimitBurst: Int?
        /// Seeds the draws that pick which requests fail or lose their answer. `nil`: a seed
        /// from the system's generator. The same seed draws the same sequence; which request
        /// receives which draw still follows their arrival order.
        public var seed: UInt64?
        /// Verify webhooks as the console does: `GET <webhook_url>?challenge=<uuid>`, which
        /// must answer 200 with the challenge (as text, or `{"challenge": …}`) on every
        /// registration create and replace.
        public var verifyWebhooks: Bool
        /// Seconds a webhook has to answer its challenge.
        public var webhookTimeout: Double
        /// The one bearer token accepted; `nil` accepts any non-empty one.
        public var requiredToken: String?
        /// Threads that run the engine's blocking calls.
        public var engineThreads: Int

        /// Values are checked when an emulator is made with them (`check()`).
        public init(
            latency: Duration = .zero, failRate: Double = 0, lostAnswerRate: Double = 0, rateLimit: Int? = nil,
            rateLimitBurst: Int? = nil, seed: UInt64? = nil, verifyWebhooks: Bool = false, webhookTimeout: Double = 10, requiredToken: String? = nil,
            engineThreads: Int = 16
        ) {
            self.latency = latency
            self.failRate = failRate
            self.lostAnswerRate = lostAnswerRate
            self.rateLimit = rateLimit
            self.rateLimitBurst = rateLimitBurst
            self.seed = seed
            self.verifyWebhooks = verifyWebhooks
            self.webhookTimeout = webhookTimeout
            self.requiredToken = requiredToken
            self.engineThreads = engineThreads
        }

        /// - Throws: `ConsoleEmulatorError` naming the first value out of range.
        public func check() throws(ConsoleEmulatorError) {
            guard latency >= .zero, latency <= .seconds(600) else { throw .latency(latency) }
            guard (0...1).contains(failRate) else { throw .rate(name: "fail rate", value: failRate) }
            guard (0...1).contains(lostAnswerRate) else { throw .rate(name: "lost answer rate", value: lostAnswerRate) }
            if let rateLimit, rateLimit < 1 { throw .rateLimit(rateLimit) }
            if let rateLimitBurst, rateLimitBurst < 1 { throw .rateLimitBurst(rateLimitBurst) }
            guard webhookTimeout > 0, webhookTimeout.isFinite else { throw .webhookTimeout(webhookTimeout) }
            if let requiredToken, requiredToken.isEmpty { throw .emptyToken }
            guard (1...256).contains(engineThreads) else { throw .engineThreads(engineThreads) }
        }

        /// Every setting but the seed (`ConsoleEmulator.seed` tells the one in use) and the
        /// token, which is never shown.
        public var description: String {
            var parts = ["latency \(Self.milliseconds(latency)) ms", "fail rate \(failRate)", "lost answer rate \(lostAnswerRate)"]
            parts.append(rateLimit.map { "rate limit \($0)/s" + (rateLimitBurst.map { " (bursts of \($0))" } ?? "") } ?? "no rate limit")
            parts.append(verifyWebhooks ? "webhooks verified" : "webhooks not verified")
            parts.append(requiredToken == nil ? "any bearer token" : "one bearer token")
            return parts.joined(separator: ", ")
        }

        static func milliseconds(_ duration: Duration) -> String {
            let (seconds, attoseconds) = duration.components
            let value = Double(seconds) * 1000 + Double(attoseconds) / 1e15
            return value == value.rounded() ? String(Int(value)) : String(value)
        }
    }
}
