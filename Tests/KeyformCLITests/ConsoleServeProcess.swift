import Foundation
import Glibc
import KeyformTestSupport

/// `keyform console serve` as a child process: started with `--port 0`, its port read from
/// the first line of its stdout while it runs, its stderr collected, stopped by a signal.
final class ConsoleServeProcess: @unchecked Sendable {
    // @unchecked: `output`, `errors` and `firstLine` are only touched under `lock`; `process` is
    // configured before `run` and only read afterwards.
    private let process = Process()
    private let lock = NSCondition()
    private var output = ""
    private var errors = ""
    private var outputClosed = false
    private let done = DispatchGroup()

    /// Starts `keyform console serve --port 0 ARGUMENTS` in `directory`.
    init(_ arguments: [String], in directory: URL) throws {
        process.executableURL = TestPaths.keyformBinary
        process.arguments = ["console", "serve", "--port", "0"] + arguments
        process.currentDirectoryURL = directory
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": directory.path, "NO_COLOR": "1"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        for (handle, isOutput) in [(out.fileHandleForReading, true), (err.fileHandleForReading, false)] {
            done.enter()
            Thread.detachNewThread { [self] in
                while true {
                    let data = handle.availableData
                    lock.lock()
                    if data.isEmpty {
                        if isOutput { outputClosed = true }
                        lock.broadcast()
                        lock.unlock()
                        break
                    }
                    if isOutput { output += String(decoding: data, as: UTF8.self) } else { errors += String(decoding: data, as: UTF8.self) }
                    lock.broadcast()
                    lock.unlock()
                }
                done.leave()
            }
        }
    }

    /// The port of the first stdout line, `listening on http://127.0.0.1:PORT`.
    /// - Throws: when the line does not come within `timeout` seconds (stderr says why).
    func port(timeout: Double = 30) throws -> Int {
        let deadline = Date().addingTimeInterval(timeout)
        lock.lock()
        defer { lock.unlock() }
        while !output.contains("\n"), !outputClosed, Date() < deadline { _ = lock.wait(until: min(deadline, Date().addingTimeInterval(0.1))) }
        let first = output.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        guard let match = first.wholeMatch(of: /listening on http:\/\/127\.0\.0\.1:(\d+)/), let port = Int(match.output.1) else {
            throw ServeFailure(message: "no listening line; stdout: \(output) stderr: \(errors)")
        }
        return port
    }

    func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits for the exit (SIGKILL after `timeout` seconds); the status, or 128 + signal.
    @discardableResult
    func wait(timeout: Double = 30) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(5_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        done.wait()
        return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }

    /// `wait(timeout:)` without holding a thread of the cooperative pool while the process
    /// runs (other tests, and their sleeps, go on meanwhile).
    func exit(timeout: Double = 30) async -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(5)) }
        return wait(timeout: 0)
    }

    /// Waits, without holding a thread of the cooperative pool, until stderr contains `text`.
    func stderrContains(_ text: String, timeout: Double = 30) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !stderr.contains(text), process.isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(5)) }
        return stderr.contains(text)
    }

    var stdout: String { lock.withLock { output } }
    var stderr: String { lock.withLock { errors } }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

struct ServeFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
