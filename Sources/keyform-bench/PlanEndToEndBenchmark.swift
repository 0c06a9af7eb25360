import Foundation

/// `keyform-bench plan-e2e`: the real `keyform plan --no-refresh` of 10,000 integrations
/// against a matching state, end to end (process start, `keyform.json`, the 100 manifest
/// files, the local console's catalog, the state file, diff, plan, rendering), next to the time
/// Python's `orjson` needs just to parse the same manifest and state bytes (target: at most
/// 1.5×).
///
/// Steps: generate the workspace (`BenchmarkWorkspace`), apply it once with the real binary
/// (which writes the matching state and the local console), check that
/// `plan --no-refresh --detailed-exitcode` exits 0 (no changes), then time `plan --no-refresh`
/// repeatedly; for reference also `keyform version` (process start) and `keyform validate`
/// (the manifests alone). When `python3` with `orjson` is available, runs
/// `scripts/bench_plan_orjson.py` on the same files and prints the ratio.
///
/// Environment: `KEYFORM_BENCH_RUNS` (timed runs, default 15); `KEYFORM_BENCH_WORKSPACE=DIR`
/// generates the workspace in DIR and keeps it (for `hyperfine` or the orjson script by hand);
/// `KEYFORM_BENCH_DIR` the parent of a temporary workspace; `KEYFORM_BIN` another binary.
enum PlanEndToEndBenchmark {
    static let count = 10_000

    static func run() throws {
        let binary = try KeyformBinary.locate()
        let environment = ProcessInfo.processInfo.environment
        let runs = Int(environment["KEYFORM_BENCH_RUNS"] ?? "") ?? 15
        let workspace = try BenchmarkWorkspace.create(label: "plan-e2e", named: environment["KEYFORM_BENCH_WORKSPACE"])
        defer { workspace.remove() }

        let manifestBytes = try workspace.writeManifests(count: count)
        let applySeconds = try binary.require(["apply", "--auto-approve"], in: workspace.path)
        try binary.require(["plan", "--no-refresh", "--detailed-exitcode"], in: workspace.path, status: 0)
        let stateBytes = BenchmarkWorkspace.size(workspace.statePath)
        print("workspace: \(workspace.path)")
        print(String(
            format: "integrations: %d in %d manifest files (%.2f MB), state %.2f MB; set up by `keyform apply --auto-approve` in %.1f s",
            count, workspace.manifestFiles.count, Double(manifestBytes) / 1e6, Double(stateBytes) / 1e6, applySeconds))

        /// Wall and CPU timings of `runs` runs, after one warm-up run.
        func time(_ arguments: [String]) throws -> (wall: Timings, cpu: Timings) {
            try binary.require(arguments, in: workspace.path)  // warm-up, and the exit status
            var wall = Timings()
            var cpu = Timings()
            for _ in 0..<runs {
                let result = try binary.run(arguments, in: workspace.path)
                guard result.status == 0 else {
                    throw PlanBenchmark.BenchmarkFailed(reason: "keyform \(arguments.joined(separator: " ")) exited \(result.status)")
                }
                wall.seconds.append(result.seconds)
                cpu.seconds.append(result.cpu)
            }
            return (wall, cpu)
        }
        let plan = try time(["plan", "--no-refresh"])
        let validate = try time(["validate"])
        let version = try time(["version"])
        let refreshed = try time(["plan"])
        print("keyform plan --no-refresh:  wall " + plan.wall.summary + "; CPU " + plan.cpu.summary)
        print("  for reference, keyform validate (manifests only): wall " + validate.wall.summary + "; CPU " + validate.cpu.summary)
        print("  for reference, keyform version (process start):   wall " + version.wall.summary + "; CPU " + version.cpu.summary)
        print("  for reference, keyform plan (refreshed):          wall " + refreshed.wall.summary + "; CPU " + refreshed.cpu.summary)

        guard let orjson = try runOrjson(workspace.path) else { return }
        print(orjson.report, terminator: "")
        print(String(
            format: "plan --no-refresh / orjson parse, wall, best against best: %.2f (gc off: %.2f); target ≤ 1.5",
            plan.wall.minimum / orjson.gcOn, plan.wall.minimum / orjson.gcOff))
        print(String(
            format: "plan --no-refresh / orjson parse, CPU, best against best: %.2f (gc off: %.2f)",
            plan.cpu.minimum / orjson.cpuGcOn, plan.cpu.minimum / orjson.cpuGcOff))
    }

    /// Runs `scripts/bench_plan_orjson.py` (from the package root), or explains how to.
    private static func runOrjson(_ directory: String) throws -> (report: String, gcOn: Double, gcOff: Double, cpuGcOn: Double, cpuGcOff: Double)? {
        let script = "scripts/bench_plan_orjson.py"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, directory]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        guard FileManager.default.fileExists(atPath: script), (try? process.run()) != nil else {
            print("orjson: run from the package root with python3 and orjson installed, or: python3 \(script) DIR")
            return nil
        }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let last = output.split(separator: "\n").last.map(String.init) ?? ""
        var values: [String: Double] = [:]
        for field in last.split(separator: " ").dropFirst() {
            let parts = field.split(separator: "=")
            if parts.count == 2, let value = Double(parts[1]) { values[String(parts[0])] = value }
        }
        guard process.terminationStatus == 0, let gcOn = values["gc-on"], let gcOff = values["gc-off"],
            let cpuGcOn = values["cpu-gc-on"], let cpuGcOff = values["cpu-gc-off"]
        else {
            print("orjson: \(script) failed (pip install orjson?):\n\(output)")
            return nil
        }
        let report = output.split(separator: "\n").dropLast().map { "orjson: " + $0 + "\n" }.joined()
        return (report, gcOn, gcOff, cpuGcOn, cpuGcOff)
    }
}
