/// Percent-decoding of RFC 3986 §2.1: `%41` is the byte 0x41. A `+` stays a `+` (it means a
/// space only in HTML form bodies, and URLSession does not escape it in query items).
enum PercentDecoding {
    /// The decoded UTF-8 text of `bytes`, or `nil` if a `%` is not followed by two hex digits or
    /// the decoded bytes are not valid UTF-8.
    static func decode(_ bytes: ArraySlice<UInt8>) -> String? {
        guard bytes.contains(ASCII.percent) else {
            return String(validating: bytes, as: UTF8.self)
        }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == ASCII.percent {
                guard index + 2 < bytes.endIndex,
                      let high = ASCII.hexValue(bytes[index + 1]),
                      let low = ASCII.hexValue(bytes[index + 2])
                else { return nil }
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(byte)
                index += 1
            }
        }
        return String(validating: output, as: UTF8.self)
    }
}
