import Dispatch
import Foundation

/// Runs independent pieces of work on every core and keeps their results in order.
///
///     let lengths = ParallelMap.map(count: files.count) { i in files[i].count }
///
/// The work must not depend on which thread runs it or in what order; each result is written
/// once, to its own slot, and read only after every piece is done.
enum ParallelMap {
    /// `body(i)` for every `i` in `0..<count`, several at a time; results in index order.
    static func map<T>(count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        guard count > 1 else { return (0..<count).map(body) }
        let slots = Slots<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            slots.set(index, body(index))
        }
        return slots.taken()
    }

    /// `body(range)` for consecutive ranges that together cover `0..<count`, several at a
    /// time when `count` reaches `threshold` (below it, one call with the whole range); results
    /// in range order. There are a few ranges per core, so that an uneven one does not leave
    /// the other cores idle.
    static func mapChunks<T>(count: Int, threshold: Int, _ body: @Sendable (Range<Int>) -> T) -> [T] {
        let chunks = count >= threshold ? min(count, 4 * ProcessInfo.processInfo.activeProcessorCount) : 1
        guard chunks > 1 else { return [body(0..<count)] }
        return map(count: chunks) { chunk in
            body(chunk * count / chunks..<(chunk + 1) * count / chunks)
        }
    }

    /// One slot per piece of work. Each is written once, by the thread that ran that piece,
    /// and all are read once every piece has finished (`concurrentPerform` returns only then),
    /// so no two threads ever touch the same slot at the same time.
    private final class Slots<T>: @unchecked Sendable {
        private let base: UnsafeMutablePointer<T?>
        private let count: Int

        init(count: Int) {
            self.count = count
            base = .allocate(capacity: count)
            base.initialize(repeating: nil, count: count)
        }

        deinit {
            base.deinitialize(count: count)
            base.deallocate()
        }

        func set(_ index: Int, _ value: T) {
            base[index] = value
        }

        func taken() -> [T] {
            (0..<count).map { index in
                guard let value = base[index].take() else { preconditionFailure("piece \(index) produced nothing") }
                return value
            }
        }
    }
}

extension ParallelMap {
    /// `[body(0), body(1), …]`: the elements made on every core when `count` reaches
    /// `threshold`, each written straight into its place in the new array.
    static func array<T>(count: Int, threshold: Int, _ body: @Sendable (Int) -> T) -> [T] {
        guard count >= threshold else { return (0..<count).map(body) }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let target = Target(base: buffer.baseAddress!)
            _ = mapChunks(count: count, threshold: threshold) { range in
                for i in range { (target.base + i).initialize(to: body(i)) }
            }
            initialized = count
        }
    }

    /// The new array's storage, shared by the threads that fill it: each initializes only the
    /// elements of its own range, and the array is used only after all of them are done.
    private struct Target<T>: @unchecked Sendable {
        let base: UnsafeMutablePointer<T>
    }
}
