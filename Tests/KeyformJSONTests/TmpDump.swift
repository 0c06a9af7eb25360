import Foundation
import KeyformJSON
import Testing
@Test func tmpDump() {
    let dir = URL(fileURLWithPath: "/work/shared/testdata/json-parsing")
    var out = ""
    for name in ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted() where !name.hasPrefix("y_") && name.hasSuffix(".json") {
        let bytes = (try? [UInt8](Data(contentsOf: dir.appendingPathComponent(name)))) ?? []
        do { _ = try JSONDocument.parse(bytes, file: name) ; out += "\(name): ACCEPTED\n" } catch {
            out += DiagnosticRenderer(sources: [name: bytes]).render(error.diagnostics)
        }
    }
    try? out.write(toFile: "/tmp/kf-dump.txt", atomically: true, encoding: .utf8)
}
