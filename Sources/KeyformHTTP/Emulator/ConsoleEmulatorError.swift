import KeyformCore

/// Why a `ConsoleEmulator` cannot be made: a setting out of range, or an engine that cannot
/// be read.
public enum ConsoleEmulatorError: Error, Hashable, Sendable, CustomStringConvertible {
    case latency(Duration)
    case rate(name: String, value: Double)
    case rateLimit(Int)
    case rateLimitBurst(Int)
    case webhookTimeout(Double)
    case emptyToken
    case engineThreads(Int)
    /// The engine refused to tell its organization and catalog (closed, or its storage failed).
    case engineUnusable(ConsoleError)

    public var description: String {
        switch self {
        case .latency(let value):
            "latency must be between 0 and 600000 ms, not \(ConsoleEmulator.Configuration.milliseconds(value)) ms"
        case .rate(let name, let value): "the \(name) must be between 0 and 1 (a fraction of requests), not \(value)"
        case .rateLimit(let value): "the rate limit must be at least 1 request a second, not \(value)"
        case .rateLimitBurst(let value): "the rate limit's burst must be at least 1 request, not \(value)"
        case .webhookTimeout(let value): "the webhook timeout must be a positive number of seconds, not \(value)"
        case .emptyToken: "the required token must not be empty"
        case .engineThreads(let value): "engine threads must be between 1 and 256, not \(value)"
        case .engineUnusable(let error): "the console engine cannot be read: \(error.userMessage)"
        }
    }
}
