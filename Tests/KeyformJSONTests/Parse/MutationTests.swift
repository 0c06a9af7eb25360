import KeyformJSON
import Testing

/// Damaged documents (bytes flipped, inserted, deleted, truncated; seeded) are either
/// accepted — and then round-trip through the canonical writer — or rejected with one
/// diagnostic inside the input. Never a crash, never a hang.
@Suite struct MutationTests {
    static let seedDocument = Array("""
        {
          "$schema": "../schemas/manifest.schema.json",
          "integrations": [
            {"name": "stocksearchweb", "title": "Caf\\u00e9 \\"web\\" 日本 😀", "n": [-0.5e+3, 0, 12],
             "services": ["StockSDK"], "protected": true, "x": null, "f": false, "e": {}, "a": []}
          ]
        }
        """.utf8)

    static let interesting: [UInt8] = Array("{}[]\",:\\/ \n\t0123456789-+.eEtrufalsn".utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xF0, 0xF4, 0xF5, 0xFF]

    @Test(arguments: 0..<4)
    func mutationsNeverCrash(_ seed: UInt64) {
        var state = seed &+ 0x1234_5678
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        for _ in 0..<500 {
            var bytes = Self.seedDocument
            for _ in 0...next(3) {
                let position = next(bytes.count + 1)
                switch next(4) {
                case 0 where position < bytes.count: bytes[position] = Self.interesting[next(Self.interesting.count)]
                case 1: bytes.insert(Self.interesting[next(Self.interesting.count)], at: position)
                case 2 where position < bytes.count: bytes.remove(at: position)
                default: bytes = Array(bytes.prefix(position))
                }
            }
            do {
                let document = try JSONDocument.parse(bytes, file: "m.json", allowDuplicateKeys: true)
                let canonical = document.canonicalBytes()
                let again = try JSONDocument.parse(canonical, file: "m.json", allowDuplicateKeys: true)
                #expect(again.canonicalBytes() == canonical)
                #expect(again.root.json == document.root.json)
            } catch {
                #expect(error.diagnostics.count == 1)
                let location = error.diagnostics.first?.location
                #expect((location?.offset ?? -1) >= 0 && (location?.offset ?? Int.max) <= bytes.count)
                #expect((location?.line ?? 0) >= 1 && (location?.column ?? 0) >= 1)
                _ = DiagnosticRenderer(sources: ["m.json": bytes]).render(error.diagnostics)
            }
        }
    }
}
