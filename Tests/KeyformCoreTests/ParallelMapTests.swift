@testable import KeyformCore
import Testing

@Suite struct ParallelMapTests {
    @Test(arguments: [0, 1, 2, 7, 100, 5_000])
    func mapKeepsIndexOrder(count: Int) {
        #expect(ParallelMap.map(count: count) { $0 * 3 } == (0..<count).map { $0 * 3 })
    }

    @Test(arguments: [0, 1, 3, 63, 64, 65, 10_001])
    func chunksCoverTheRangeOnceInOrder(count: Int) {
        let ranges = ParallelMap.mapChunks(count: count, threshold: 64) { $0 }
        #expect(ranges.flatMap { Array($0) } == Array(0..<count))
        #expect(ranges.count == 1 || count >= 64)
        #expect(ranges.allSatisfy { !$0.isEmpty || count == 0 })
    }

    @Test(arguments: [0, 1, 100, 4_096, 20_000])
    func arrayIsTheSameAsAMap(count: Int) {
        let made = ParallelMap.array(count: count, threshold: 1_000) { "item \($0)" }
        #expect(made == (0..<count).map { "item \($0)" })
    }
}
