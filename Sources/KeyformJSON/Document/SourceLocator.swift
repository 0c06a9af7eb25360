/// Turns a byte offset into a line and column by rescanning the input up to it, so that
/// parsing never pays for positions nobody asks about.
///
/// Lines end at LF (a CR before it is part of its line); columns count Unicode scalars, so
/// in `{"é": x}` the `x` is at column 8 although it is the 9th byte. Both are 1-based.
enum SourceLocator {
    static func location(in bytes: [UInt8], file: String, offset: Int, length: Int) -> SourceLocation {
        let offset = min(max(0, offset), bytes.count)
        let (line, column) = lineAndColumn(in: bytes, offset: offset)
        return SourceLocation(file: file, line: line, column: column, offset: offset, length: max(0, min(length, bytes.count - offset)))
    }

    /// 1-based line and column (in Unicode scalars) of the byte at `offset`.
    static func lineAndColumn(in bytes: [UInt8], offset: Int) -> (line: Int, column: Int) {
        bytes.withUnsafeBufferPointer { buffer in
            var line = 1
            var lineStart = 0
            var i = 0
            while i < offset {
                if buffer[i] == 0x0A {
                    line += 1
                    lineStart = i + 1
                }
                i += 1
            }
            var column = 1
            for k in lineStart..<offset where buffer[k] & 0xC0 != 0x80 {
                column += 1
            }
            return (line, column)
        }
    }

    /// The byte range of the line holding `offset`, without its LF (nor a CR before it).
    static func lineRange(in bytes: [UInt8], containing offset: Int) -> Range<Int> {
        let offset = min(max(0, offset), bytes.count)
        var start = offset
        while start > 0, bytes[start - 1] != 0x0A { start -= 1 }
        var end = offset
        while end < bytes.count, bytes[end] != 0x0A { end += 1 }
        if end > start, bytes[end - 1] == 0x0D { end -= 1 }
        return start..<end
    }
}
