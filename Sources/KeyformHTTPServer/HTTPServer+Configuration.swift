extension HTTPServer {
    /// Where the server listens and the limits it enforces on every connection.
    public struct Configuration: Sendable {
        /// The address to bind: an IPv4 or IPv6 literal, or `localhost` (127.0.0.1).
        public var host: String
        /// The port to bind; 0 picks a free one (read it from `start()` or `port`).
        public var port: Int
        /// The most open connections; more are answered 503 and closed.
        public var maxConnections: Int
        /// The longest request line (method, target, version) in bytes; longer is 414.
        public var maxRequestLineBytes: Int
        /// The largest header section (after the request line) in bytes; larger is 431.
        public var maxHeaderBytes: Int
        /// The most header fields; more is 431.
        public var maxHeaderFields: Int
        /// The largest body in bytes; a larger `Content-Length` is 413.
        public var maxBodyBytes: Int
        /// How long the request line and headers may take to arrive, counted from the request's
        /// first byte (or from the accept, for a new connection); then 408 and close.
        public var headerTimeout: Duration
        /// How long the body may take to arrive once the headers are in; then 408 and close.
        public var bodyTimeout: Duration
        /// How long a keep-alive connection may sit idle between requests; then it is closed.
        public var idleTimeout: Duration
        /// How long the client may take to read an answer; then the connection is closed.
        public var writeTimeout: Duration
        /// How long `shutdown()` waits for in-flight requests before closing every connection.
        public var shutdownGracePeriod: Duration

        /// Creates a configuration; every limit has a default suited to a JSON API.
        public init(
            host: String = "127.0.0.1",
            port: Int = 0,
            maxConnections: Int = 1024,
            maxRequestLineBytes: Int = 8192,
            maxHeaderBytes: Int = 16384,
            maxHeaderFields: Int = 100,
            maxBodyBytes: Int = 1 << 20,
            headerTimeout: Duration = .seconds(10),
            bodyTimeout: Duration = .seconds(30),
            idleTimeout: Duration = .seconds(60),
            writeTimeout: Duration = .seconds(30),
            shutdownGracePeriod: Duration = .seconds(30)
        ) {
            self.host = host
            self.port = port
            self.maxConnections = maxConnections
            self.maxRequestLineBytes = maxRequestLineBytes
            self.maxHeaderBytes = maxHeaderBytes
            self.maxHeaderFields = maxHeaderFields
            self.maxBodyBytes = maxBodyBytes
            self.headerTimeout = headerTimeout
            self.bodyTimeout = bodyTimeout
            self.idleTimeout = idleTimeout
            self.writeTimeout = writeTimeout
            self.shutdownGracePeriod = shutdownGracePeriod
        }
    }
}

extension Duration {
    /// The duration in whole nanoseconds (negative durations count as zero).
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        return UInt64(seconds) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
    }

    /// The duration in seconds, for messages.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
