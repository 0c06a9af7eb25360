import KeyformCore
import KeyformJSON

/// The `http` provider: the Adobe Developer Console and I/O Events REST APIs (or
/// `keyform console serve`, which answers the same requests).
///
/// One integration is a project (name, title, description), its default workspace, one
/// credential in it (API key, OAuth web app or OAuth server-to-server), that credential's
/// service subscriptions, and the event registrations of the workspace. Every path and field
/// is in `ConsoleRoutes`; `docs/console-api-mapping.md` maps operations to requests.
///
/// Requests that are safe to repeat are retried per the configuration's `RetryPolicy`; a POST
/// that fails ambiguously is followed by a lookup and the match adopted, never blindly resent.
/// Errors are `ConsoleError`s naming the request, its status and `x-request-id`; none holds the
/// access token or API key.
public struct HTTPProvider: ConsoleProvider {
    let configuration: Configuration
    let client: ConsoleClient
    let memory = ProviderMemory()

    /// - Parameters:
    ///   - transport: how requests travel (`URLSessionTransport` by default; a fake in tests).
    ///   - sleep: waits that many seconds between attempts (injected so tests need not wait).
    ///   - random: a number in 0..<1 for backoff jitter.
    ///   - stopRetrying: true once the command is interrupted: a failed request is then not
    ///     tried again, and a wait between attempts ends at once.
    public init(
        configuration: Configuration, transport: any HTTPTransport,
        sleep: @escaping @Sendable (Double) async throws -> Void = HTTPProvider.sleep,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        stopRetrying: @escaping @Sendable () -> Bool = { false }
    ) {
        self.configuration = configuration
        self.client = ConsoleClient(
            configuration: configuration, transport: transport, sleep: sleep, random: random, stopRetrying: stopRetrying)
    }

    /// A provider over `URLSession`, with the configuration's timeout. Its waits between
    /// attempts end as soon as `stopRetrying` turns true.
    public init(configuration: Configuration, stopRetrying: @escaping @Sendable () -> Bool = { false }) {
        self.init(
            configuration: configuration,
            transport: URLSessionTransport(timeout: configuration.timeout, maxConnectionsPerHost: max(16, configuration.readConcurrency)),
            sleep: { seconds in _ = try await RetryPolicy.wait(seconds, sleep: HTTPProvider.sleep, stop: stopRetrying) },
            stopRetrying: stopRetrying)
    }

    /// Every request that is safe to repeat is retried here (`ConsoleClient`), and a create
    /// looks its name up before it is sent again.
    public var handlesTransientFailures: Bool { true }

    /// Waits `seconds` (a task sleep; throws when the task is cancelled).
    public static func sleep(_ seconds: Double) async throws {
        guard seconds > 0 else { return }
        try await Task.sleep(nanoseconds: UInt64(min(seconds, 3600) * 1_000_000_000))
    }

    // MARK: Catalog

    /// Services (`GET …/services`) and event providers with their event codes
    /// (`GET /events/{org}/providers?eventmetadata=true`), read in parallel.
    public func catalog() async throws -> Catalog {
        let org = try await organization()
        async let services = client.send(ConsoleRoutes.services(org: org.id))
        async let providers = client.send(ConsoleRoutes.eventProviders(org: org.id), imsOrg: org.code)
        return Catalog(
            services: try ConsoleDecoding.services(try await services),
            eventProviders: try ConsoleDecoding.eventProviders(try await providers))
    }

    // MARK: Organization

    /// The organization named by the configuration (code or numeric id), looked up once in
    /// `GET /console/organizations`.
    func organization() async throws -> ConsoleOrganization {
        let org = configuration.org
        let client = client
        return try await memory.organization {
            let request = ConsoleRoutes.organizations()
            let reply = try await client.send(request)
            guard let found = try ConsoleDecoding.organization(matching: org, in: reply) else {
                throw ConsoleError.notFound(
                    what: "organization \(org) (not among the organizations this token can see)",
                    request: request.info(requestId: reply.info.requestId))
            }
            return found
        }
    }
}
