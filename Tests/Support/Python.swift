import Foundation

/// The Python side of the conformance checks (`.ci/run` installs the modules they use).
public enum Python {
    /// Whether `python3` can import `module`; tests that need it are disabled otherwise, with
    /// a reason that says what to install.
    public static func hasModule(_ module: String) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import \(module)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus == 0
        } catch {
            return false
        }
    }
}
