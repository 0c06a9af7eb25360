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

    init(file: String, bytes: [UInt8]) {
        self.file = file
        self.bytes = bytes
        var starts = [0]
        bytes.withUnsafeBufferPointer { buffer in
            for i in 0..<buffer.count where buffer[i] == 0x0A { starts.append(i + 1) }
        }
        self.lineStarts = starts
    }

    /// The location of `length` bytes at `offset` (clamped to the file).
    func location(offset: Int, length: Int) -> SourceLocation {
        let offset = min(max(0, offset), bytes.count)
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        var column = 1
        for k in lineStarts[low]..<offset where bytes[k] & 0xC0 != 0x80 { column += 1 }
        return SourceLocation(
            file: file, line: low + 1, column: column, offset: offset, length: max(0, min(length, bytes.count - offset)))
    }

    func location(of range: Range<Int>) -> SourceLocation {
        location(offset: range.lowerBound, length: range.count)
    }
}
