import Dispatch
import Foundation
import KeyformCore

/// The SHA-256 (hex) of some bytes, worked out on a global queue from the moment it is made;
/// `value()` waits for it. Small inputs are hashed on the spot (a thread hop would cost more).
final class BackgroundDigest: @unchecked Sendable {
    // @unchecked Sendable: `digest` is written once by the worker before `done` is signalled,
    // and read only after waiting on `done`.
    private var digest = ""
    private let done = DispatchGroup()

    /// Below this many bytes the digest is computed in `init`.
    static let backgroundThreshold = 256 * 1024

    init(_ bytes: [UInt8]) {
        if bytes.count < Self.backgroundThreshold {
            digest = SHA256.hex(bytes)
            return
        }
        done.enter()
        DispatchQueue.global().async { [self] in
            digest = SHA256.hex(bytes)
            done.leave()
        }
    }

    /// The digest, once computed.
    func value() -> String {
        done.wait()
        return digest
    }
}
