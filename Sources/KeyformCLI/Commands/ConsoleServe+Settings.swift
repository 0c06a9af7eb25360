import KeyformHTTP
import KeyformHTTPServer

extension ConsoleServe {
    /// The options of `console serve`, checked: where the console is, how the server listens,
    /// and what the emulator injects.
    struct Settings {
        /// The console's snapshot file as the user named it (relative to the current directory).
        var path: String
        var server: HTTPServer.Configuration
        var emulator: ConsoleEmulator.Configuration
        var quiet: Bool

        /// - Parameter configuredPath: the local console `keyform.json` names (relative to the
        ///   current directory), used when neither `--data` nor `--console` is given.
        /// - Throws: `UsageError` naming the option and the value expected.
        init(_ arguments: ParsedArguments, configuredPath: String? = nil) throws(UsageError) {
            if let data = arguments.value("data") {
                guard arguments.value("console") == nil else {
                    throw UsageError(description: "give the console's place once: --data DIR or --console local:PATH")
                }
                guard !data.isEmpty else { throw UsageError(description: "--data expects a directory") }
                path = (data.hasSuffix("/") ? data : data + "/") + "console.json"
            } else if let console = arguments.value("console") {
                guard console.hasPrefix("local:"), console.count > "local:".count else {
                    throw UsageError(description: "console serve serves a local console: --data DIR or --console local:PATH, not '\(console)'")
                }
                path = String(console.dropFirst("local:".count))
            } else {
                path = configuredPath ?? ConsoleListing.defaultPath
            }
            let port = try Self.integer(arguments, "port", in: 0...65535, expected: "a port number (0 to 65535)") ?? ConsoleServe.defaultPort
            server = HTTPServer.Configuration(host: "127.0.0.1", port: port)
            if let seconds = try Self.seconds(arguments, "header-timeout") { server.headerTimeout = seconds }
            if let seconds = try Self.seconds(arguments, "body-timeout") { server.bodyTimeout = seconds }

            let latency = try Self.number(arguments, "latency", in: 0...600_000, expected: "milliseconds (0 to 600000)") ?? 0
            emulator = ConsoleEmulator.Configuration(
                latency: .nanoseconds(Int64((latency * 1_000_000).rounded())),
                failRate: try Self.number(arguments, "fail-rate", in: 0...1, expected: "a fraction between 0 and 1") ?? 0,
                lostAnswerRate: try Self.number(arguments, "lost-rate", in: 0...1, expected: "a fraction between 0 and 1") ?? 0,
                rateLimit: try Self.integer(arguments, "rate-limit", in: 1...1_000_000, expected: "requests a second (at least 1)"),
                seed: try Self.seed(arguments),
                verifyWebhooks: arguments.flag("verify-webhooks"),
                requiredToken: try Self.token(arguments))
            quiet = arguments.flag("quiet")
        }

        private static func integer(_ arguments: ParsedArguments, _ name: String, in range: ClosedRange<Int>, expected: String) throws(UsageError) -> Int? {
            guard let text = arguments.value(name) else { return nil }
            guard let value = Int(text), range.contains(value) else {
                throw UsageError(description: "--\(name) expects \(expected), not '\(text)'")
            }
            return value
        }

        private static func number(_ arguments: ParsedArguments, _ name: String, in range: ClosedRange<Double>, expected: String) throws(UsageError) -> Double? {
            guard let text = arguments.value(name) else { return nil }
            guard let value = Double(text), value.isFinite, range.contains(value) else {
                throw UsageError(description: "--\(name) expects \(expected), not '\(text)'")
            }
            return value
        }

        private static func seconds(_ arguments: ParsedArguments, _ name: String) throws(UsageError) -> Duration? {
            guard let value = try number(arguments, name, in: 0.001...86_400, expected: "seconds (0.001 to 86400)") else { return nil }
            return .nanoseconds(Int64((value * 1_000_000_000).rounded()))
        }

        private static func seed(_ arguments: ParsedArguments) throws(UsageError) -> UInt64? {
            guard let text = arguments.value("seed") else { return nil }
            guard let value = UInt64(text) else {
                throw UsageError(description: "--seed expects a whole number (0 to \(UInt64.max)), not '\(text)'")
            }
            return value
        }

        /// The token is never repeated in a message.
        private static func token(_ arguments: ParsedArguments) throws(UsageError) -> String? {
            guard let text = arguments.value("token") else { return nil }
            guard !text.isEmpty, text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw UsageError(description: "--token expects a non-empty token of printable characters without spaces")
            }
            return text
        }
    }
}
