@testable import KeyformJSON
import Testing

/// `TapeNode.kind` reads a node's kind by a bit cast, which relies on the kinds being laid
/// out as their declaration order (one byte, 0…8, equal to their raw values).
@Suite struct TapeNodeTests {
    @Test func everyKindSurvivesTheNodeRoundTrip() {
        #expect(MemoryLayout<JSONTape.Kind>.size == 1)
        for (position, kind) in JSONTape.Kind.allCases.enumerated() {
            #expect(kind.rawValue == UInt64(position))
            let node = TapeNode.make(kind, offset: 12_345, payload: 678)
            #expect(TapeNode.kind(node) == kind)
            #expect(TapeNode.offset(node) == 12_345)
            #expect(TapeNode.payload(node) == 678)
        }
    }

    @Test func numbersNoKindHasReadAsNull() {
        for raw in UInt64(9)...15 {
            #expect(TapeNode.kind(raw << 32) == .null)
        }
    }
}
