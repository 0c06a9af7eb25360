import Foundation

/// `keyform-bench apply-scaling`: the real `keyform apply --auto-approve` of 1,000 and of
/// 10,000 new integrations, each into a fresh workspace (new local console, no state), and the
/// ratio (target: 10k at most 12 × 1k, which linear cost allows).
///
/// The manifests are `BenchmarkWorkspace`'s: the three credential types, two services each,
/// and an event registration on one integration in five, so 10,000 integrations make 22,000
/// console operations (create, set services, register) under the real console's rules and
/// quotas (2,000 registrations, below the organization's 2,500; the manifest rules refuse
/// more, so no quota is lifted). Every apply is checked afterwards: `plan --no-refresh
/// --detailed-exitcode` must exit 0.
///
/// Prints wall time and the child's CPU time (user + system, steadier on a shared machine:
/// the wall time includes waiting for `fsync`). Environment: `KEYFORM_BENCH_APPLY_RUNS` (runs
/// per size, default 3), `KEYFORM_BENCH_DIR` (where workspaces go, e.g. `/dev/shm` to take the
/// disk's fsync latency out), `KEYFORM_BIN`.
enum ApplyScalingBenchmark {
    static func run() throws {
        let binary = try KeyformBinary.locate()
        let runs = Int(ProcessInfo.processInfo.environment["KEYFORM_BENCH_APPLY_RUNS"] ?? "") ?? 3
        var wall: [Int: Timings] = [:]
        var cpu: [Int: Timings] = [:]
        for count in [1_000, 10_000] {
            for run in 0..<runs {
                let workspace = try BenchmarkWorkspace.create(label: "apply-\(count)")
                defer { workspace.remove() }
                try workspace.writeManifests(count: count)
                let cpuBefore = KeyformBinary.childCPUSeconds()
                let seconds = try binary.require(["apply", "--auto-approve"], in: workspace.path)
                let cpuSeconds = KeyformBinary.childCPUSeconds() - cpuBefore
                wall[count, default: Timings()].seconds.append(seconds)
                cpu[count, default: Timings()].seconds.append(cpuSeconds)
                if run == 0 {
                    try binary.require(["plan", "--no-refresh", "--detailed-exitcode"], in: workspace.path, status: 0)
                }
                print(String(
                    format: "apply %6d new integrations: wall %7.3f s, CPU %7.3f s; state %.2f MB, console %.2f MB",
                    count, seconds, cpuSeconds, Double(BenchmarkWorkspace.size(workspace.statePath)) / 1e6,
                    Double(BenchmarkWorkspace.size(workspace.path + "/.keyform/console.json")) / 1e6))
            }
        }
        guard let smallWall = wall[1_000], let largeWall = wall[10_000], let smallCPU = cpu[1_000], let largeCPU = cpu[10_000] else { return }
        print("1,000:  wall " + smallWall.summary + "; CPU " + smallCPU.summary)
        print("10,000: wall " + largeWall.summary + "; CPU " + largeCPU.summary)
        print(String(
            format: "10k / 1k: wall %.2f (best against best), %.2f (median against median); CPU %.2f, %.2f; target ≤ 12",
            largeWall.minimum / smallWall.minimum, largeWall.median / smallWall.median,
            largeCPU.minimum / smallCPU.minimum, largeCPU.median / smallCPU.median))
    }
}
