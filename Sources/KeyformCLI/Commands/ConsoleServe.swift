import Foundation
import KeyformConsole
import KeyformHTTP
import KeyformHTTPServer
import KeyformJSON

/// `keyform console serve`: the local console engine behind the Adobe Console and I/O Events
/// APIs on 127.0.0.1, for the `http` provider and CI pipelines to run against.
///
/// stdout has two lines: `listening on http://127.0.0.1:PORT` (with `--port 0`, the free port
/// picked), then `organization ID CODE` (the numeric id and IMS code to give the `http`
/// provider as `org`). Everything else goes to stderr: the console served, the faults injected, one
/// line per request (method, path, status, milliseconds, request id; never a header). SIGTERM
/// or SIGINT stops accepting, lets requests in flight finish, saves the console and exits 0.
enum ConsoleServe {
    static let defaultPort = 8080

    static let options: [OptionSpec] = [
        .value("port", "N", "port on 127.0.0.1 (default 8080; 0 picks a free one, printed on stdout)"),
        .value("data", "DIR", "keep the console in DIR/console.json (default: the local console keyform.json names, else .keyform/console.json)"),
        .value("latency", "MS", "answer each request no sooner than MS milliseconds after it arrived"),
        .value("fail-rate", "P", "answer this fraction of requests 503, before doing anything"),
        .value("lost-rate", "P", "do this fraction of requests, then answer 504 as if the answer was lost"),
        .value("rate-limit", "N", "allow N requests a second; beyond that 429 with Retry-After"),
        .value("seed", "S", "seed for the fault draws, so that a run can be repeated"),
        .flag("verify-webhooks", "send GET <webhook>?challenge=… on every registration create and replace"),
        .value("token", "TOKEN", "accept only this bearer token (default: any non-empty token)"),
        .value("header-timeout", "SECONDS", "time a client has to send a request's headers (default 10)"),
        .value("body-timeout", "SECONDS", "time a client has to send a request's body (default 30)"),
        .flag("quiet", "no line per request on stderr"),
    ]

    static let subcommand = ConsoleSubcommand(name: "serve", options: options, run: { arguments, context in
        await run(arguments, context)
    })

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) async -> Int32 {
        // The console `keyform.json` configures, when it is a local one: `serve` then serves
        // what `plan`, `apply` and `console list` use.
        let workspace = Workspace(arguments, context)
        if workspace.hasErrors {
            context.stderr.write(workspace.render(workspace.diagnostics))
            return CLI.ExitCode.failure
        }
        let configured = workspace.configuredLocalConsolePath
        let settings: Settings
        do throws(UsageError) {
            settings = try Settings(arguments, configuredPath: configured)
        } catch {
            context.stderr.write("error: \(error.description)\nRun 'keyform help console' for usage.\n")
            return CLI.ExitCode.usage
        }
        let absolute = context.absolutePath(settings.path)
        let engine: ConsoleEngine
        do throws(ConsoleStoreError) {
            engine = try ConsoleEngine.open(path: absolute)
        } catch {
            context.stderr.write(render(error.diagnostic).replacingOccurrences(of: absolute, with: settings.path))
            return CLI.ExitCode.failure
        }
        let stderr = context.stderr
        let writeLine: @Sendable (String) -> Void = { line in stderr.write(line + "\n") }
        let log = settings.quiet ? nil : writeLine
        let emulator: ConsoleEmulator
        do throws(ConsoleEmulatorError) {
            emulator = try ConsoleEmulator(engine: engine, configuration: settings.emulator, log: log)
        } catch {
            context.stderr.write("error: \(error.description)\n")
            try? engine.close()
            return CLI.ExitCode.failure
        }
        let server = HTTPServer(configuration: settings.server, handler: emulator.handle)
        let port: Int
        do throws(HTTPServerError) {
            port = try server.start()
        } catch {
            context.stderr.write("error: cannot serve the console: \(error.description)\n")
            emulator.close()
            try? engine.close()
            return CLI.ExitCode.failure
        }
        let signals = server.shutdownOnSignals([SIGTERM, SIGINT]) { number in
            stderr.write("received \(number == SIGINT ? "SIGINT" : "SIGTERM"): finishing the requests in flight\n")
        }
        context.stdout.write("listening on http://127.0.0.1:\(port)\norganization \(emulator.organizationId) \(emulator.organizationCode)\n")
        context.stderr.write("console \(settings.path): organization \(emulator.organizationId) (\(emulator.organizationCode))\n")
        context.stderr.write("serving the Console and I/O Events APIs: \(settings.emulator), seed \(emulator.seed)\n")
        await server.wait()
        signals.cancel()
        emulator.close()
        do throws(ConsoleStoreError) {
            try engine.close()
        } catch {
            context.stderr.write(render(error.diagnostic).replacingOccurrences(of: absolute, with: settings.path))
            return CLI.ExitCode.failure
        }
        context.stderr.write("stopped; the console is saved in \(settings.path)\n")
        return CLI.ExitCode.success
    }

    /// `file:line:column: error[KF5xx]: message`, then notes and help.
    private static func render(_ diagnostic: Diagnostic) -> String {
        var text = ""
        if let location = diagnostic.location { text += "\(location.file):\(location.line):\(location.column): " }
        text += "\(diagnostic.severity.rawValue)[\(diagnostic.code)]: \(diagnostic.message)\n"
        for note in diagnostic.notes { text += "note: \(note.message)\n" }
        if let suggestion = diagnostic.suggestion { text += "help: \(suggestion)\n" }
        return text
    }
}
