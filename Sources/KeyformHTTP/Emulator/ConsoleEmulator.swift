import Foundation
import KeyformConsole
import KeyformCore
import KeyformHTTPServer

/// The console engine behind the Adobe Developer Console API and the I/O Events API — the
/// subset the `http` provider uses (`docs/console-api-mapping.md`) — for
/// `keyform console serve` and for tests: both APIs answer at one address.
///
///     let emulator = try ConsoleEmulator(engine: engine, configuration: .init(latency: .milliseconds(20)))
///     let server = HTTPServer(configuration: .init(port: 0), handler: emulator.handle)
///
/// Each request goes through, in order: the rate limit (429 with `Retry-After`); an injected failure (503, before anything
/// is done); the credentials check (401 in Adobe's shape without `Authorization: Bearer …`
/// and `x-api-key`); routing (404 for an unknown path or id, 405 for a wrong method); the
/// body's shape (400 naming the field); webhook verification when switched on; and the
/// engine, whose refusals become 400, 403 (quotas), 404 or 409 (with `x-conflicting-id`).
/// Last, an answer may be replaced by an injected 504 after the work was done, and it is held
/// back until the configured latency has passed since the request arrived (a task sleep: no
/// thread is held), so that with `--latency 20` every answer takes 20 ms, or longer when the
/// work itself does.
///
/// Engine calls block on `fsync`, so they run on `EngineWorkers` threads; the organization,
/// services and event providers never change and are answered from memory. No answer holds
/// a client secret: the engine never hands one out.
public final class ConsoleEmulator: Sendable {
    public let configuration: Configuration
    let engine: ConsoleEngine
    let organization: KeyformConsole.ConsoleOrganization
    let catalog: Catalog
    let faults: FaultInjector
    let workers: EngineWorkers
    let verifier: WebhookVerifier?
    private let log: (@Sendable (String) -> Void)?
    private let organizationsAnswer: HTTPResponse
    private let servicesAnswer: HTTPResponse

    /// - Parameters:
    ///   - engine: the console to serve; the emulator does not close it.
    ///   - log: receives one line per request (method, path, status, milliseconds, request
    ///     id), never a header.
    /// - Throws: `ConsoleEmulatorError` for a setting out of range or an unusable engine.
    public init(
        engine: ConsoleEngine, configuration: Configuration = Configuration(), log: (@Sendable (String) -> Void)? = nil
    ) throws(ConsoleEmulatorError) {
        try configuration.check()
        do throws(ConsoleError) {
            organization = try engine.organization()
            catalog = try engine.catalog()
        } catch {
            throw .engineUnusable(error)
        }
        self.engine = engine
        self.configuration = configuration
        self.log = log
        self.faults = FaultInjector(configuration: configuration)
        self.workers = EngineWorkers(threads: configuration.engineThreads, label: "keyform-console-engine")
        self.verifier = configuration.verifyWebhooks ? WebhookVerifier(timeout: configuration.webhookTimeout) : nil
        let encoding = EmulatorEncoding(organization: organization, base: "")
        organizationsAnswer = EmulatorAnswer.json(encoding.organizations())
        servicesAnswer = EmulatorAnswer.json(encoding.services(catalog))
    }

    /// The seed the fault draws follow (the configured one, or the one picked).
    public var seed: UInt64 { faults.seed }

    /// The faults injected so far.
    public var faultCounts: EmulatorFaultCounts { faults.counts }

    /// The organization served: its numeric id goes in paths, its code in `x-ims-org-id`.
    public var organizationId: String { organization.id }
    public var organizationCode: String { organization.code }

    /// Lets the engine threads end once their work is done (they also end when the emulator
    /// is released). Requests after this run their engine calls on the caller's thread.
    public func close() {
        workers.close()
    }

    /// Answers one request (the `HTTPServer` handler).
    @Sendable public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let start = ContinuousClock.now
        let response = await answer(request)
        if let log {
            let elapsed = (ContinuousClock.now - start).components
            let milliseconds = Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15
            log("\(request.method) \(request.path) \(response.status) \(String(format: "%.1f", milliseconds)) ms \(request.requestId)")
        }
        return response
    }

    /// The answer, sent no sooner than `latency` after the request arrived.
    private func answer(_ request: HTTPRequest) async -> HTTPResponse {
        guard configuration.latency > .zero else { return await work(request) }
        let due = ContinuousClock.now + configuration.latency
        let response = await work(request)
        try? await Task.sleep(until: due, clock: .continuous)
        return response
    }

    private func work(_ request: HTTPRequest) async -> HTTPResponse {
        switch faults.admit() {
        case .rateLimited(let retryAfter): return EmulatorAnswer.rateLimited(retryAfter: retryAfter)
        case .fail: return EmulatorAnswer.injectedFailure
        case .admit: break
        }
        guard isAuthorized(request.headers) else { return EmulatorAnswer.unauthorized }
        let endpoint: EmulatorEndpoint
        switch EmulatorEndpoint.match(method: request.method, path: request.pathComponents) {
        case .endpoint(let found): endpoint = found
        case .methodNotAllowed(let allowed): return EmulatorAnswer.methodNotAllowed(request.method, allowed: allowed)
        case .notFound: return EmulatorAnswer.notFound("\(request.method) \(request.path)")
        }
        if let org = endpoint.org, org != organization.id {
            return EmulatorAnswer.notFound("organization \(org)")
        }
        let response = await respond(to: endpoint, request)
        return faults.loseAnswer() ? EmulatorAnswer.lostAnswer : response
    }

    private func respond(to endpoint: EmulatorEndpoint, _ request: HTTPRequest) async -> HTTPResponse {
        switch endpoint {
        case .listOrganizations:
            return organizationsAnswer
        case .listServices:
            return servicesAnswer
        case .listEventProviders:
            return Self.answering { () throws -> HTTPResponse in try listEventProviders(request) }
        case .createRegistration(_, let project, let workspace):
            return await writeRegistration(request, project: project, workspace: workspace, replacing: nil)
        case .replaceRegistration(_, let project, let workspace, let registration):
            return await writeRegistration(request, project: project, workspace: workspace, replacing: registration)
        default:
            return await workers.run { [self] in Self.answering { () throws -> HTTPResponse in try perform(endpoint, request) } }
        }
    }

    /// Runs an endpoint's engine work (on an engine thread).
    private func perform(_ endpoint: EmulatorEndpoint, _ request: HTTPRequest) throws -> HTTPResponse {
        let encoding = encoding(for: request)
        switch endpoint {
        case .listProjects: return try listProjects(request, encoding)
        case .createProject: return try createProject(request)
        case .readProject(_, let project): return EmulatorAnswer.json(encoding.project(try engine.project(id: project)))
        case .editProject(_, let project): return try editProject(project, request, encoding)
        case .deleteProject(_, let project):
            try engine.deleteProject(id: project)
            return HTTPResponse(status: 200)
        case .canDeleteProject(_, let project): return try canDeleteProject(project, encoding)
        case .listWorkspaces(_, let project):
            return EmulatorAnswer.json(.array(try engine.workspaces(projectId: project).map(encoding.workspace)))
        case .readWorkspace(_, let project, let workspace):
            return EmulatorAnswer.json(encoding.workspace(try engine.workspace(projectId: project, workspaceId: workspace)))
        case .listCredentials(_, let project, let workspace):
            return EmulatorAnswer.json(.array(try engine.credentials(projectId: project, workspaceId: workspace).map(encoding.credentialSummary)))
        case .createAdobeIdCredential(_, let project, let workspace):
            return try createAdobeIdCredential(project: project, workspace: workspace, request, encoding)
        case .createServerToServerCredential(_, let project, let workspace):
            return try createServerToServerCredential(project: project, workspace: workspace, request, encoding)
        case .setServices(_, let project, let workspace, let credentialType, let credential):
            return try setServices(project: project, workspace: workspace, credentialType: credentialType, credential: credential, request)
        case .deleteCredential(_, let project, let workspace, let credential):
            return try deleteCredential(project: project, workspace: workspace, credential: credential)
        case .readIntegration(_, let credential):
            return EmulatorAnswer.json(encoding.integration(try engine.credential(id: credential), catalog: catalog))
        case .updateAdobeIdIntegration(_, let credential): return try updateAdobeIdIntegration(credential, request, encoding)
        case .listRegistrations(_, let project, let workspace):
            let registrations = try engine.registrations(projectId: project, workspaceId: workspace)
            return EmulatorAnswer.json(encoding.registrations(registrations, path: request.path), hal: true)
        case .readRegistration(_, let project, let workspace, let registration):
            let found = try engine.registration(projectId: project, workspaceId: workspace, registrationId: registration)
            return EmulatorAnswer.json(encoding.registration(found), hal: true)
        case .deleteRegistration(_, let project, let workspace, let registration):
            try engine.deleteRegistration(projectId: project, workspaceId: workspace, registrationId: registration)
            return HTTPResponse(status: 204)
        case .listOrganizations, .listServices, .listEventProviders, .createRegistration, .replaceRegistration:
            // Answered before an engine thread is needed (see `respond`).
            return EmulatorAnswer.error(500, code: "ERR_INTERNAL", message: "endpoint dispatched to the wrong place")
        }
    }

    /// The answer of `body`, or of the error it threw.
    static func answering(_ body: () throws -> HTTPResponse) -> HTTPResponse {
        do {
            return try body()
        } catch let error as ConsoleError {
            return EmulatorAnswer.refusal(error)
        } catch let error as EmulatorRequestError {
            return EmulatorAnswer.badRequest(error)
        } catch {
            return EmulatorAnswer.error(500, code: "ERR_INTERNAL", message: "unexpected failure (\(type(of: error)))")
        }
    }

    /// Encodes with links based on the request's `Host` (when it is a plain host and port).
    func encoding(for request: HTTPRequest) -> EmulatorEncoding {
        var base = ""
        if let host = request.headers["host"], !host.isEmpty, host.utf8.allSatisfy(Self.isHostByte) { base = "http://" + host }
        return EmulatorEncoding(organization: organization, base: base)
    }

    /// Letters, digits and `.:-[]`: a host name or address and a port, nothing to escape.
    private static func isHostByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: "-"), UInt8(ascii: "["), UInt8(ascii: "]"):
            true
        default:
            false
        }
    }

    /// `Authorization: Bearer <token>` (the configured one, when set) and a non-empty `x-api-key`.
    private func isAuthorized(_ headers: HTTPHeaders) -> Bool {
        guard let apiKey = headers["x-api-key"], !apiKey.trimmingCharacters(in: .whitespaces).isEmpty,
            let authorization = headers["authorization"]
        else { return false }
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return false }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty else { return false }
        guard let required = configuration.requiredToken else { return true }
        // Compared in time independent of where they differ.
        let given = Array(token.utf8), wanted = Array(required.utf8)
        var difference = given.count ^ wanted.count
        for index in 0..<max(given.count, wanted.count) {
            difference |= Int((index < given.count ? given[index] : 0) ^ (index < wanted.count ? wanted[index] : 0))
        }
        return difference == 0
    }
}
