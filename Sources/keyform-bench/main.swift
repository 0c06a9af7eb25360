// The benchmark executable: `swift run -c release keyform-bench [NAME...]`.
// Each benchmark lives in its own file and is listed here once.
import Foundation

let benchmarks: [(name: String, run: () throws -> Void)] = [
    ("http-provider", HTTPProviderBenchmark.run),
    ("httpserver", HTTPServerBenchmark.run),
    ("console", ConsoleBenchmark.run),
    ("schema", SchemaBenchmark.run),
    ("plan", PlanBenchmark.run),
    ("plan-render", PlanBenchmark.runRendering),
    ("parse", ParseBenchmark.run),
    ("validate", ValidateBenchmark.run),
    ("state", stateBenchmark),
    ("serve", ServeBenchmark.run),
    ("plan-e2e", PlanEndToEndBenchmark.run),
    ("apply-scaling", ApplyScalingBenchmark.run),
]

let selected = Array(CommandLine.arguments.dropFirst())
for benchmark in benchmarks where selected.isEmpty || selected.contains(benchmark.name) {
    print("== \(benchmark.name)")
    do {
        try benchmark.run()
    } catch {
        print("benchmark \(benchmark.name) failed: \(error)")
        exit(1)
    }
}
if benchmarks.isEmpty { print("keyform-bench: no benchmarks yet") }
