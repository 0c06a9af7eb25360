import Foundation
import KeyformJSON

/// `keyform-bench parse`: parse throughput on a generated ~50 MB manifest-shaped document,
/// against Foundation's `JSONSerialization` on the same bytes in the same run, and peak
/// memory while parsing, measured in fresh child processes.
///
/// Throughput is the best of several runs (the input already in memory; the file is written
/// to `/tmp/keyform-bench-50mb.json` for `scripts/bench_orjson.py`). Peak memory: a child
/// process (this executable again, with `KEYFORM_BENCH_PARSE_CHILD=<mode>:<path>`) reads
/// VmRSS before doing anything, reads the file, parses it once, and reads VmHWM (the
/// kernel's high-water mark of resident memory) from /proc/self/status; what it reports
/// as "peak" is VmHWM − the starting VmRSS, so it includes the input buffer and everything
/// the parse allocated, but not the runtime's own few megabytes (printed separately).
enum ParseBenchmark {
    static let path = "/tmp/keyform-bench-50mb.json"
    static let childVariable = "KEYFORM_BENCH_PARSE_CHILD"

    static func run() throws {
        if let child = ProcessInfo.processInfo.environment[childVariable] {
            try measureMemoryInThisProcess(child)
            return
        }
        var generator = ParseManifestGenerator(seed: 2024)
        let bytes = generator.document(atLeast: 50_000_000)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let megabytes = Double(bytes.count) / 1_000_000
        print("input: \(path), \(bytes.count) bytes (\(String(format: "%.1f", megabytes)) MB), machine: \(ProcessInfo.processInfo.activeProcessorCount) cores")

        let document = try JSONDocument.parse(bytes, file: path)
        let values = document.root["integrations"]?.count ?? 0
        print("integrations: \(values)")

        let tape = best(of: 9) { _ = try? JSONDocument.parse(bytes, file: path) }
        let tree = best(of: 3) { _ = try? JSON.parse(bytes) }
        let data = Data(bytes)
        let foundation = best(of: 3) { _ = try? JSONSerialization.jsonObject(with: data) }

        func row(_ name: String, _ seconds: Double) -> String {
            name.padding(toLength: 44, withPad: " ", startingAt: 0)
                + String(format: "%8.1f ms %8.0f MB/s", seconds * 1000, megabytes / seconds)
        }
        print(row("JSONDocument.parse (Keyform, located tape)", tape))
        print(row("JSON.parse (Keyform, owned tree)", tree))
        print(row("JSONSerialization.jsonObject (Foundation)", foundation))
        print(String(format: "speed-up over JSONSerialization: %.1fx (tape), %.1fx (owned tree); target 3x", foundation / tape, foundation / tree))
        orjson(tape: megabytes / tape, tree: megabytes / tree)

        for mode in ["tape", "tree", "foundation"] {
            print(try childMemory(mode: mode, size: bytes.count))
        }
    }

    /// Runs `scripts/bench_orjson.py` (when run from the package root) on the same file right
    /// away, so that both sides are measured under the same load, and prints the ratios.
    /// `KEYFORM_BENCH_PYTHON` names the interpreter (default `python3`).
    static func orjson(tape: Double, tree: Double) {
        let script = "scripts/bench_orjson.py"
        guard FileManager.default.fileExists(atPath: script) else {
            print("orjson: run from the package root to measure it too (python3 \(script) \(path))")
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [ProcessInfo.processInfo.environment["KEYFORM_BENCH_PYTHON"] ?? "python3", script, path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch {
            print("orjson: could not run \(script): \(error)")
            return
        }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        print(output, terminator: "")
        for line in output.split(separator: "\n") where line.hasPrefix("orjson.loads") {
            guard let rate = line.split(separator: " ").dropLast().last.flatMap({ Double($0) }), rate > 0 else { continue }
            let label = String(line[..<(line.range(of: "  ")?.lowerBound ?? line.endIndex)])
            print(String(format: "speed-up over %@: %.1fx (tape), %.1fx (owned tree); target 1.5x", label, tape / rate, tree / rate))
        }
    }

    /// The best wall-clock time of `runs` runs, in seconds.
    static func best(of runs: Int, _ body: () -> Void) -> Double {
        var best = Double.infinity
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return best
    }

    /// Runs this executable again to measure one mode's peak memory from a clean process.
    static func childMemory(mode: String, size: Int) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["parse"]
        var environment = ProcessInfo.processInfo.environment
        environment[childVariable] = "\(mode):\(path)"
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("peak ") }) else {
            return "peak memory (\(mode)): child failed: \(output)"
        }
        return String(line)
    }

    static func measureMemoryInThisProcess(_ argument: String) throws {
        let parts = argument.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return }
        let start = status("VmRSS")
        let bytes = try readExactly(parts[1])
        let afterRead = status("VmHWM")
        var keep: [Any] = []
        switch parts[0] {
        case "tape": keep.append(try JSONDocument.parse(bytes, file: parts[1]))
        case "tree": keep.append(try JSON.parse(bytes))
        default: keep.append(try JSONSerialization.jsonObject(with: Data(bytes)))
        }
        let peak = status("VmHWM")
        let size = Double(bytes.count)
        print(
            String(
                format: "peak %@ memory while parsing: %.0f MB = %.2fx input (input buffer %.0f MB included; runtime baseline %.0f MB and total VmHWM %.0f MB excluded/shown)",
                parts[0].padding(toLength: 10, withPad: " ", startingAt: 0),
                Double(peak - start) / 1e6, Double(peak - start) / size, Double(afterRead - start) / 1e6,
                Double(start) / 1e6, Double(peak) / 1e6))
        withExtendedLifetime(keep) {}
    }

    /// A field of /proc/self/status, in bytes.
    static func status(_ field: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            let digits = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
            return digits * 1024
        }
        return 0
    }

    /// Reads a file into an array of exactly its size (no Data copy, no growth).
    static func readExactly(_ path: String) throws -> [UInt8] {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let size = Int(try handle.seekToEnd())
        try handle.seek(toOffset: 0)
        return try [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            var filled = 0
            while filled < size {
                let n = read(handle.fileDescriptor, buffer.baseAddress.map { $0 + filled }, size - filled)
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { throw CocoaError(.fileReadUnknown) }
                filled += n
            }
            count = filled
        }
    }
}
