import Foundation
import KeyformCore
import KeyformTestSupport
import Testing
@testable import KeyformState

/// The snapshot's digest is computed on first use, and is the SHA-256 of the stored bytes.
@Suite struct LazyDigestTests {
    @Test func theDigestIsTheHashOfTheStoredBytes() throws {
        let dir = TestPaths.temporaryDirectory("lazy-digest")
        let store = FileStateStore(path: dir.appendingPathComponent("keyform.state.json").path)
        try store.write(StateDocument(lineage: "lineage-1", keyformVersion: "test"), expectedSerial: nil)
        let bytes = [UInt8](try Data(contentsOf: dir.appendingPathComponent("keyform.state.json")))
        let snapshot = try #require(try store.read())
        #expect(snapshot.digest == SHA256.hex(bytes))
        #expect(snapshot.digest == snapshot.digest)
        #expect(snapshot == StateSnapshot(state: snapshot.state, digest: SHA256.hex(bytes)))
    }
}
