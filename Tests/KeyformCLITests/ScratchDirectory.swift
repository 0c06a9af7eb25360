import Foundation
import KeyformTestSupport

/// A temporary directory removed when the test's suite value that holds it goes away.
final class ScratchDirectory: Sendable {
    let url: URL
    var path: String { url.path }

    init(_ label: String) {
        url = TestPaths.temporaryDirectory(label)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}
