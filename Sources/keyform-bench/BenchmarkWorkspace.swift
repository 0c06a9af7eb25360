import Foundation
import KeyformJSON

/// A Keyform project directory on disk for the end-to-end benchmarks, driven through the real
/// `keyform` binary: `keyform.json`, the manifests under `integrations/` (files of 100
/// integrations from `ValidateBenchmark.integration`, so a realistic mix of the three
/// credential types, services, and one event registration per five integrations — 2,000 for
/// 10,000, under the organization's quota of 2,500), and whatever `keyform apply` leaves:
/// `keyform.state.json` and the local console `.keyform/console.json`.
struct BenchmarkWorkspace {
    /// The directory.
    let path: String
    /// Whether `remove()` leaves it (a directory the user named).
    let keep: Bool

    static let perFile = 100

    /// A fresh directory: `$KEYFORM_BENCH_DIR` (default: the temporary directory) /
    /// `keyform-bench-<label>-<uuid>`, or exactly `named` when given (kept afterwards).
    static func create(label: String, named: String? = nil) throws -> BenchmarkWorkspace {
        let workspace: BenchmarkWorkspace
        if let named {
            workspace = BenchmarkWorkspace(path: named, keep: true)
            try? FileManager.default.removeItem(atPath: named)
        } else {
            let base = ProcessInfo.processInfo.environment["KEYFORM_BENCH_DIR"] ?? FileManager.default.temporaryDirectory.path
            workspace = BenchmarkWorkspace(path: base + "/keyform-bench-\(label)-\(UUID().uuidString)", keep: false)
        }
        try FileManager.default.createDirectory(atPath: workspace.path + "/integrations", withIntermediateDirectories: true)
        let configuration = """
            {
              "manifests": "integrations",
              "state": { "backend": "file", "path": "keyform.state.json" },
              "console": { "provider": "local", "path": ".keyform/console.json" }
            }

            """
        try Data(configuration.utf8).write(to: URL(fileURLWithPath: workspace.path + "/keyform.json"))
        return workspace
    }

    /// Writes `count` integrations as manifest files of 100 (`integrations/teamNNN.json`).
    /// - Returns: the total size of the manifests in bytes.
    @discardableResult
    func writeManifests(count: Int) throws -> Int {
        var total = 0
        for file in 0..<((count + Self.perFile - 1) / Self.perFile) {
            let range = (file * Self.perFile)..<min(count, (file + 1) * Self.perFile)
            let document: JSON = .object([
                JSONMember("$schema", "../schemas/manifest.schema.json"),
                JSONMember("integrations", .array(range.map(ValidateBenchmark.integration))),
            ])
            let bytes = Array(document.canonicalText().utf8)
            total += bytes.count
            try Data(bytes).write(to: URL(fileURLWithPath: path + "/integrations/team\(String(format: "%03d", file)).json"))
        }
        return total
    }

    /// The manifest files, sorted.
    var manifestFiles: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path + "/integrations")) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { path + "/integrations/" + $0 }
    }

    var statePath: String { path + "/keyform.state.json" }

    /// The size of a file in bytes (0 when missing).
    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    /// Removes the directory unless it is to be kept.
    func remove() {
        if !keep { try? FileManager.default.removeItem(atPath: path) }
    }
}

/// Runs the real `keyform` binary, as a user or CI job would.
struct KeyformBinary {
    let path: String

    /// `$KEYFORM_BIN`, else the `keyform` beside this benchmark executable (same build).
    static func locate() throws -> KeyformBinary {
        if let given = ProcessInfo.processInfo.environment["KEYFORM_BIN"] {
            return KeyformBinary(path: URL(fileURLWithPath: given).standardizedFileURL.path)
        }
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let sibling = me.deletingLastPathComponent().appendingPathComponent("keyform").path
        guard FileManager.default.isExecutableFile(atPath: sibling) else {
            throw PlanBenchmark.BenchmarkFailed(reason: "no keyform binary at \(sibling): run `swift build -c release` (or set KEYFORM_BIN)")
        }
        return KeyformBinary(path: sibling)
    }

    /// The environment the generated manifests need (`${env:HOOKS_HOST}`), without colour.
    static var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in ValidateBenchmark.environment { environment[key] = value }
        environment["NO_COLOR"] = "1"
        return environment
    }

    /// Runs `keyform arguments…` in `directory`, output discarded (or captured when asked).
    /// Spawned with `posix_spawn` (Foundation's `Process` adds tens of milliseconds per run,
    /// which would be counted against keyform).
    /// - Returns: the exit status, the wall time and the child's CPU time (user + system) in
    ///   seconds, and the captured output.
    @discardableResult
    func run(_ arguments: [String], in directory: String, capture: Bool = false) throws -> (status: Int32, seconds: Double, cpu: Double, output: String) {
        let outputFile = directory + "/.bench-output"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, capture ? outputFile : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = Self.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        // The child starts in `directory` (this toolchain's Glibc module lacks
        // posix_spawn_file_actions_addchdir_np); the benchmarks spawn from one thread.
        let previous = FileManager.default.currentDirectoryPath
        guard chdir(directory) == 0 else {
            throw PlanBenchmark.BenchmarkFailed(reason: "cannot change to \(directory)")
        }
        defer { _ = chdir(previous) }
        var pid: pid_t = 0
        let cpuBefore = Self.childCPUSeconds()
        let start = DispatchTime.now().uptimeNanoseconds
        let spawned = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw PlanBenchmark.BenchmarkFailed(reason: "cannot run \(path): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let cpu = Self.childCPUSeconds() - cpuBefore
        var output = ""
        if capture {
            output = (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(atPath: outputFile)
        }
        // Exit status, or 128 + the signal that ended it.
        let exit = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (exit, seconds, cpu, output)
    }

    /// User and system CPU time of the children waited for so far.
    static func childCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// Runs and requires `expected` as the exit status, showing the output's end otherwise.
    @discardableResult
    func require(_ arguments: [String], in directory: String, status expected: Int32 = 0) throws -> Double {
        let result = try run(arguments, in: directory, capture: true)
        guard result.status == expected else {
            throw PlanBenchmark.BenchmarkFailed(
                reason: "keyform \(arguments.joined(separator: " ")) exited \(result.status), expected \(expected):\n"
                    + result.output.split(separator: "\n").suffix(15).joined(separator: "\n"))
        }
        return result.seconds
    }
}

/// Order statistics of repeated timings.
struct Timings {
    var seconds: [Double] = []

    var minimum: Double { seconds.min() ?? .nan }
    var median: Double {
        let sorted = seconds.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// "123.4 ms (median 130.0 ms, n = 9)".
    var summary: String {
        String(format: "%.1f ms (median %.1f ms, n = %d)", minimum * 1000, median * 1000, seconds.count)
    }
}
