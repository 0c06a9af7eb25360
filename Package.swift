// swift-tools-version:6.1
import PackageDescription

/// Targets, with dependencies pointing one way:
///
///     KeyformJSON ─▶ KeyformCore ─▶ KeyformConsole ─┐
///                         │      └─▶ KeyformState ──┤   (both also on KeyformSystem)
///     KeyformHTTPServer ──┴────────▶ KeyformHTTP ───┴─▶ KeyformCLI ─▶ keyform
///
/// - KeyformJSON: strict JSON parser with source locations, writer, JSON Pointer, JSON Schema,
///   diagnostics. Knows nothing of integrations.
/// - KeyformCore: manifests, catalog, semantic rules, diff, plan, rendering, the executor and
///   the protocols (`ConsoleProvider`, `StateStore`) that I/O comes through.
/// - KeyformConsole: the console engine and `LocalProvider`.
/// - KeyformState: state stores (file, with lock and journal).
/// - KeyformSystem: the file system calls behind the console file and the state (read whole,
///   write all, fsync, directories), each retried on EINTR; no domain knowledge.
/// - KeyformHTTPServer: a small HTTP/1.1 server on sockets, no domain knowledge.
/// - KeyformHTTP: `console serve` routes over the engine, and the `http` provider.
/// - KeyformCLI: `CLI.run(...)`, argument parsing, configuration, exit codes.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Keyform",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "keyform", targets: ["keyform"]),
        .library(name: "KeyformCore", targets: ["KeyformCore"]),
    ],
    dependencies: [],
    targets: [
        .target(name: "KeyformJSON", swiftSettings: swiftSettings),
        .target(name: "KeyformCore", dependencies: ["KeyformJSON"], swiftSettings: swiftSettings),
        .target(name: "KeyformSystem", swiftSettings: swiftSettings),
        .target(name: "KeyformConsole", dependencies: ["KeyformCore", "KeyformJSON", "KeyformSystem"], swiftSettings: swiftSettings),
        .target(name: "KeyformState", dependencies: ["KeyformCore", "KeyformJSON", "KeyformSystem"], swiftSettings: swiftSettings),
        .target(name: "KeyformHTTPServer", dependencies: ["KeyformSystem"], swiftSettings: swiftSettings),
        .target(
            name: "KeyformHTTP",
            dependencies: ["KeyformCore", "KeyformJSON", "KeyformConsole", "KeyformHTTPServer"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "KeyformCLI",
            dependencies: [
                "KeyformCore", "KeyformJSON", "KeyformConsole", "KeyformState", "KeyformHTTPServer", "KeyformHTTP", "KeyformSystem",
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "keyform", dependencies: ["KeyformCLI"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "keyform-bench",
            dependencies: ["KeyformJSON", "KeyformCore", "KeyformConsole", "KeyformState", "KeyformHTTPServer", "KeyformHTTP", "KeyformCLI"],
            swiftSettings: swiftSettings
        ),
        .target(name: "KeyformTestSupport", path: "Tests/Support", swiftSettings: swiftSettings),
        .testTarget(name: "KeyformJSONTests", dependencies: ["KeyformTestSupport", "KeyformJSON"], swiftSettings: swiftSettings),
        .testTarget(name: "KeyformCoreTests", dependencies: ["KeyformTestSupport", "KeyformCore", "KeyformJSON"], swiftSettings: swiftSettings),
        .testTarget(name: "KeyformConsoleTests", dependencies: ["KeyformTestSupport", "KeyformConsole", "KeyformCore"], swiftSettings: swiftSettings),
        .testTarget(name: "KeyformStateTests", dependencies: ["KeyformTestSupport", "KeyformState", "KeyformCore"], swiftSettings: swiftSettings),
        .testTarget(name: "KeyformSystemTests", dependencies: ["KeyformTestSupport", "KeyformSystem"], swiftSettings: swiftSettings),
        .testTarget(name: "KeyformHTTPServerTests", dependencies: ["KeyformTestSupport", "KeyformHTTPServer"], swiftSettings: swiftSettings),
        .testTarget(
            name: "KeyformHTTPTests", dependencies: ["KeyformTestSupport", "KeyformHTTP", "KeyformHTTPServer", "KeyformCore", "KeyformConsole"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "KeyformCLITests",
            dependencies: [
                "KeyformTestSupport", "KeyformCLI", "KeyformCore", "KeyformJSON", "KeyformConsole", "KeyformState", "KeyformHTTPServer",
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
