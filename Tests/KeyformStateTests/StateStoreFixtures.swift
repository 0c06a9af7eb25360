import Foundation
import KeyformCore
import KeyformJSON
import KeyformTestSupport

/// Records, documents and directories for the state store tests.
enum StateStoreFixtures {
    static let lineage = "0f4c2a8e-5b1d-4c3e-9a77-2d5e8b1f6c90"

    static func record(_ name: String, apiKey: String = "k") -> IntegrationRecord {
        IntegrationRecord(
            id: IntegrationID(projectId: "p-\(name)", workspaceId: "w-\(name)", credentialId: "c-\(name)"),
            apiKey: apiKey,
            attributes: IntegrationAttributes(name: name, title: "Title \(name)", description: "About \(name).", type: .apiKey),
            services: ["StockSDK"])
    }

    static func document(_ names: [String] = ["alpha", "beta"], lineage: String = lineage) -> StateDocument {
        var document = StateDocument(lineage: lineage, keyformVersion: "0.1.0")
        for name in names { document.integrations[name] = record(name) }
        return document
    }

    /// A store on `keyform.state.json` in a fresh directory.
    static func store() -> (FileStateStoreBox, String) {
        let directory = TestPaths.temporaryDirectory("state").path
        return (FileStateStoreBox(path: directory + "/keyform.state.json"), directory)
    }

    /// The directory's entries, sorted.
    static func listing(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    static func mode(_ path: String) -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else { return -1 }
        return Int(info.st_mode & 0o777)
    }

    static func bytes(_ path: String) -> [UInt8] {
        (try? Data(contentsOf: URL(fileURLWithPath: path))).map { Array($0) } ?? []
    }

    static func text(_ path: String) -> String {
        String(decoding: bytes(path), as: UTF8.self)
    }

    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, 255)
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

import KeyformState

/// Names the store type once so fixtures read naturally.
typealias FileStateStoreBox = FileStateStore

/// The parser's own words for the first error in `text` (`message [KFnnn]`), so that tests of
/// how the store reports syntax errors do not depend on the parser's wording.
func syntaxError(_ text: String) -> String {
    do {
        _ = try JSON.parse(text)
        return "no error"
    } catch {
        return "\(error.message) [\(error.code)]"
    }
}

/// Runs `body` on `count` real threads at once (released together) and waits for all.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let start = DispatchSemaphore(value: 0)
    let done = DispatchGroup()
    for index in 0..<count {
        done.enter()
        let thread = Thread {
            start.wait()
            body(index)
            done.leave()
        }
        thread.start()
    }
    for _ in 0..<count { start.signal() }
    done.wait()
}

/// A value several threads append to.
final class Collector<T: Sendable>: @unchecked Sendable {
    // @unchecked: `items` is only touched while `lock` is held.
    private let lock = NSLock()
    private var items: [T] = []

    func add(_ item: T) { lock.withLock { items.append(item) } }
    var all: [T] { lock.withLock { items } }
}
