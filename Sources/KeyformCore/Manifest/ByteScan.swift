#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Word-at-a-time tests on UTF-8 bytes, for the loader's scans over whole manifests.
///
/// `hasByte` is the classic zero-byte test: XOR-ing with the byte repeated turns a match
/// into a zero byte, and `(x - 0x01…01) & ~x & 0x80…80` is non-zero exactly when some byte of
/// `x` is zero. For "ab$cdefg" and `$` it is non-zero; for "abcdefgh" zero.
enum ByteScan {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Whether any of the 8 bytes of `word` is `byte`.
    @inline(__always)
    static func hasByte(_ word: UInt64, _ byte: UInt8) -> Bool {
        let x = word ^ (ones &* UInt64(byte))
        return (x &- ones) & ~x & highBits != 0
    }

    /// 8 bytes at `offset`, little-endian (the caller makes sure they are there).
    @inline(__always)
    static func word(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int) -> UInt64 {
        UnsafeRawBufferPointer(bytes).loadUnaligned(fromByteOffset: offset, as: UInt64.self)
    }

    /// Whether every byte is ASCII.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        var any: UInt64 = 0
        while i + 8 <= bytes.count {
            any |= word(bytes, i)
            i += 8
        }
        while i < bytes.count {
            any |= UInt64(bytes[i])
            i += 1
        }
        return any & highBits == 0
    }

    /// Offsets of every `byte` in `bytes`, in order (with the C library's vectorized `memchr`).
    static func offsets(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
        var found: [Int] = []
        guard let base = bytes.baseAddress else { return found }
        var i = 0
        while i < bytes.count, let hit = memchr(base + i, Int32(byte), bytes.count - i) {
            let offset = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            found.append(offset)
            i = offset + 1
        }
        return found
    }

    /// A 64-bit hash of `bytes` (never 0), mixing 8 bytes at a time.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var i = 0
        while i + 8 <= bytes.count {
            h = (h ^ word(bytes, i)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < bytes.count {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
        h ^= h >> 29
        return h | 1
    }
}
