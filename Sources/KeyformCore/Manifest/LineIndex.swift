import KeyformJSON

/// Line starts of one file, so that many locations cost a binary search each instead of a
/// rescan from the start of the file (the loader records a location for every part of every
/// integration).
///
/// Same conventions as the parser's locations: lines end at LF (a CR before it belongs to
/// its line), columns count Unicode scalars, both 1-based. For `"a\n  é: b"` the `b` is at
/// line 2, column 6.
struct LineIndex: Sendable {
    let file: String
    let bytes: [UInt8]
    /// Byte offset of the first byte of each line.
    private let lineStarts: [Int]
    /// The number of Unicode scalars before each `stride`-byte block: a column is worked out
    /// from the nearest block start, so a location costs at most `stride` bytes of counting
    /// even on a minified file of one long line (counting from the line's start made 10,000
    /// locations on one line quadratic).
    private let scalarsBefore: [Int]
    private static let stride = 1024

    init(file: String, bytes: [UInt8]) {
        self.file = file
        self.bytes = bytes
        var starts = [0]
        var blocks: [Int] = []
        blocks.reserveCapacity(bytes.count / Self.stride + 1)
        var scalars = 0
        bytes.withUnsafeBufferPointer { buffer in
            for i in 0..<buffer.count {
                if i % Self.stride == 0 { blocks.append(scalars) }
                let byte = buffer[i]
                if byte & 0xC0 != 0x80 { scalars += 1 }
                if byte == 0x0A { starts.append(i + 1) }
            }
        }
        blocks.append(scalars)
        self.lineStarts = starts
        self.scalarsBefore = blocks
    }

    /// The number of Unicode scalars in `bytes[0..<offset]`.
    private func scalars(before offset: Int) -> Int {
        let block = offset / Self.stride
        var count = scalarsBefore[min(block, scalarsBefore.count - 1)]
        for k in (block * Self.stride)..<offset where bytes[k] & 0xC0 != 0x80 { count += 1 }
        return count
    }

    /// The location of `length` bytes at `offset` (clamped to the file).
    func location(offset: Int, length: Int) -> SourceLocation {
        let offset = min(max(0, offset), bytes.count)
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        let column = scalars(before: offset) - scalars(before: lineStarts[low]) + 1
        return SourceLocation(
            file: file, line: low + 1, column: column, offset: offset, length: max(0, min(length, bytes.count - offset)))
    }

    /// The column of `offset` counted the plain way, from the start of its line (what the
    /// blocks must agree with).
    func columnCountedFromLineStart(_ offset: Int) -> Int {
        let lineStart = lineStarts[lineStarts.lastIndex { $0 <= offset } ?? 0]
        var column = 1
        for k in lineStart..<offset where bytes[k] & 0xC0 != 0x80 { column += 1 }
        return column
    }

    func location(of range: Range<Int>) -> SourceLocation {
        location(offset: range.lowerBound, length: range.count)
    }
}
