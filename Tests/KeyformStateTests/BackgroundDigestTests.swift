import KeyformCore
@testable import KeyformState
import Testing

/// The state's digest is hashed on another thread for big files: it must be the same hash.
@Suite struct BackgroundDigestTests {
    @Test(arguments: [0, 1, 1000, BackgroundDigest.backgroundThreshold - 1, BackgroundDigest.backgroundThreshold, 700_000])
    func matchesTheDigestComputedInPlace(_ count: Int) {
        let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let digest = BackgroundDigest(bytes)
        #expect(digest.value() == SHA256.hex(bytes))
        #expect(digest.value() == SHA256.hex(bytes))
    }
}
