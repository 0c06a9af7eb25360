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

// Names select benchmarks; words starting with "--" are a benchmark's own switches
// (`validate --profile`). A name that is no benchmark is refused rather than running nothing.
let names = benchmarks.map(\.name)
let selected = CommandLine.arguments.dropFirst().filter { !$0.hasPrefix("-") }
if CommandLine.arguments.contains("--help") || CommandLine.arguments.contains("-h") {
    print("USAGE: keyform-bench [NAME...]   (every benchmark when no NAME is given)\nNAMES: \(names.joined(separator: ", "))")
    exit(0)
}
if let unknown = selected.first(where: { !names.contains($0) }) {
    FileHandle.standardError.write(Data("error: no benchmark named '\(unknown)'; the benchmarks are: \(names.joined(separator: ", "))\n".utf8))
    exit(64)
}
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
