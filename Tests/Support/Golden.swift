import Foundation

/// Golden files for everything a person reads: baselines live in `Tests/Golden/…` under the
/// package root, are compared as text, and are re-recorded only when `RECORD_GOLDEN=1`
/// (the comparison then fails once, so a recording is never mistaken for a pass).
public enum Golden {
    /// Compares `actual` with the golden file at `Tests/Golden/<name>`.
    /// - Returns: `nil` when they match; otherwise a message with a line diff.
    public static func check(_ actual: String, against name: String) -> String? {
        let url = TestPaths.packageRoot.appendingPathComponent("Tests/Golden").appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            return "recorded \(name); run again without RECORD_GOLDEN=1"
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            return "no golden file \(name); run with RECORD_GOLDEN=1 to record it"
        }
        if expected == actual { return nil }
        return "\(name) differs from its golden file:\n" + lineDiff(expected: expected, actual: actual)
    }

    /// A minimal line diff: `-` expected, `+` actual, for lines that differ by position.
    public static func lineDiff(expected: String, actual: String) -> String {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var out = ""
        for i in 0..<max(e.count, a.count) {
            let l = i < e.count ? String(e[i]) : nil
            let r = i < a.count ? String(a[i]) : nil
            if l != r {
                if let l { out += "-\(i + 1): \(l)\n" }
                if let r { out += "+\(i + 1): \(r)\n" }
            }
        }
        return out
    }
}

/// Where things are, found from this file's path so tests run from any directory.
public enum TestPaths {
    /// The package root (the folder holding Package.swift).
    public static let packageRoot: URL = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }()

    /// `../shared/testdata` beside the package root.
    public static let sharedTestdata: URL = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/testdata")

    /// The built `keyform` binary of the current build (debug or release), for end-to-end tests.
    public static var keyformBinary: URL {
        // The test bundle sits in .build/<triple>/<config>/; the binary beside it.
        let bundle = Bundle.main.bundleURL
        var dir = bundle
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("keyform")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug/keyform")
    }

    /// A fresh temporary directory.
    public static func temporaryDirectory(_ label: String = "keyform") -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
