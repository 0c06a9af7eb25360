import Foundation

/// Runs the built `keyform` binary (or any executable) as a real child process, for end-to-end
/// tests: captured output, exit status, a deadline, and signals.
public final class ChildProcess: @unchecked Sendable {
    // @unchecked: `process` is configured before `run` and only read after; the pipes' data is
    // collected by `readToEnd` on background queues guarded by `lock`.
    public let process = Process()
    private let outPipe = Pipe()
    private let errPipe = Pipe()
    private let lock = NSLock()
    private var outData = Data()
    private var errData = Data()
    private let group = DispatchGroup()

    /// Starts `executable` with `arguments` in `directory`, with `environment` added to a clean
    /// minimal environment (PATH, HOME).
    public init(_ executable: URL, _ arguments: [String], directory: URL, environment: [String: String] = [:]) throws {
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ["PATH": "/usr/bin:/bin", "HOME": directory.path, "NO_COLOR": "1"]
        env.merge(environment) { _, new in new }
        process.environment = env
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        for (handle, isOut) in [(outPipe.fileHandleForReading, true), (errPipe.fileHandleForReading, false)] {
            group.enter()
            DispatchQueue.global().async {
                let data = (try? handle.readToEnd()) ?? Data()
                self.lock.withLock {
                    if isOut { self.outData = data } else { self.errData = data }
                }
                self.group.leave()
            }
        }
    }

    /// Sends a signal (SIGKILL, SIGTERM, SIGINT).
    public func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits for exit without blocking a thread of the cooperative pool (other tests, and
    /// in-process servers, keep running), killing the process after `timeout` seconds.
    /// - Returns: the exit status, or 128+signal when it was killed by a signal.
    @discardableResult
    public func wait(timeout: Double = 120) async -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { try? await Task.sleep(nanoseconds: 2_000_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            group.notify(queue: .global()) { continuation.resume() }
        }
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }

    public var stdout: String { lock.withLock { String(decoding: outData, as: UTF8.self) } }
    public var stderr: String { lock.withLock { String(decoding: errData, as: UTF8.self) } }

    /// Runs the built keyform binary to completion.
    public static func keyform(
        _ arguments: [String], in directory: URL, environment: [String: String] = [:], timeout: Double = 120
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        let child = try ChildProcess(TestPaths.keyformBinary, arguments, directory: directory, environment: environment)
        let status = await child.wait(timeout: timeout)
        return (status, child.stdout, child.stderr)
    }
}

extension ChildProcess {
    /// Polls for `path` every millisecond on a thread of its own (so a busy cooperative pool
    /// cannot delay it), and stops the process with SIGSTOP the moment the file appears.
    /// - Returns: whether the file appeared (and the process was stopped) before it exited.
    public func stopWhenFileAppears(_ path: String, timeout: Double = 60) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            Thread {
                let deadline = Date().addingTimeInterval(timeout)
                while Date() < deadline, self.process.isRunning {
                    if FileManager.default.fileExists(atPath: path) {
                        self.signal(SIGSTOP)
                        continuation.resume(returning: true)
                        return
                    }
                    usleep(500)
                }
                continuation.resume(returning: false)
            }.start()
        }
    }
}

extension ChildProcess {
    /// Polls `condition` every 200 µs on a thread of its own until it holds or the process
    /// exits (or `timeout` passes).
    /// - Returns: whether the condition held while the process was still running.
    public func waitUntil(timeout: Double = 60, _ condition: @escaping @Sendable () -> Bool) async -> Bool {
        await killWhen(timeout: timeout, condition, signal: nil)
    }

    /// `waitUntil`, then `delay` nanoseconds later sends `signal` — timed on that thread, so a
    /// busy test run (whose tasks may resume late from `Task.sleep`) cannot push the signal
    /// past the moment meant.
    /// - Returns: whether the condition held while the process was still running.
    public func killWhen(
        timeout: Double = 60, _ condition: @escaping @Sendable () -> Bool, after delay: UInt64 = 0, signal: Int32?
    ) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            Thread {
                let deadline = Date().addingTimeInterval(timeout)
                while Date() < deadline, self.process.isRunning {
                    if condition() {
                        if let signal {
                            var pause = timespec(tv_sec: Int(delay / 1_000_000_000), tv_nsec: Int(delay % 1_000_000_000))
                            nanosleep(&pause, nil)
                            if self.process.isRunning { kill(self.process.processIdentifier, signal) }
                        }
                        continuation.resume(returning: true)
                        return
                    }
                    usleep(200)
                }
                continuation.resume(returning: false)
            }.start()
        }
    }
}
