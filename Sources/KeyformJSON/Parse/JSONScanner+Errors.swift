/// The scanner's failures: each says what is wrong, points at the offending bytes, and where
/// it can, how to fix it. Cold paths, kept out of the scanning loop.
extension JSONScanner {
    func checkEncoding() throws(ScanFailure) {
        if end >= 3, base[0] == 0xEF, base[1] == 0xBB, base[2] == 0xBF {
            throw ScanFailure(
                code: JSONSyntaxCode.byteOrderMark, message: "the file starts with a byte order mark (U+FEFF)",
                offset: 0, length: 3, help: "save the file as UTF-8 without a byte order mark")
        }
        // A UTF-16 byte order mark, or the zero bytes of ASCII in UTF-16 (`\0[` or `[\0"\0`).
        let utf16 =
            end >= 2 && ((base[0] == 0xFE && base[1] == 0xFF) || (base[0] == 0xFF && base[1] == 0xFE) || (base[0] == 0 && base[1] != 0))
            || (end >= 4 && base[0] != 0 && base[1] == 0 && base[2] != 0 && base[3] == 0)
        if utf16 {
            throw ScanFailure(
                code: JSONSyntaxCode.invalidUTF8, message: "the input is not UTF-8 (it looks like UTF-16 or UTF-32)",
                offset: 0, length: 2, help: "save the file as UTF-8")
        }
    }

    /// How to show the character at `i` in a message: `'x'`, `'é'`, `U+0009` or `byte 0xFF`.
    func describe(at i: Int) -> String {
        let b = base[i]
        if b >= 0x21, b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        if b < 0x80 { return "U+" + hex(UInt32(b), digits: 4) }
        let length = utf8SequenceLength(at: i)
        guard length > 0 else { return "byte 0x" + hex(UInt32(b), digits: 2) }
        return "'" + String(decoding: UnsafeBufferPointer(start: base + i, count: length), as: UTF8.self) + "'"
    }

    private func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    private func openerNote(_ frame: Frame) -> (message: String, offset: Int) {
        (frame.isObject ? "the object starts here" : "the array starts here", TapeNode.offset(nodes[frame.opener]))
    }

    func unexpectedEnd(expecting what: String, at i: Int) -> ScanFailure {
        var failure = ScanFailure(
            code: JSONSyntaxCode.unexpectedEnd, message: "unexpected end of input: expected \(what)", offset: i, length: 0)
        if let top = stack.last {
            failure.note = openerNote(top)
            failure.help = top.isObject ? "complete the member and close the object with '}'" : "complete the array and close it with ']'"
        }
        return failure
    }

    func unclosed(_ top: Frame, at i: Int) -> ScanFailure {
        ScanFailure(
            code: JSONSyntaxCode.unexpectedEnd,
            message: "unexpected end of input: expected ',' or '\(top.isObject ? "}" : "]")'",
            offset: i, length: 0,
            help: top.isObject ? "close the object with '}'" : "close the array with ']'",
            note: openerNote(top))
    }

    func trailingData(at i: Int) -> ScanFailure {
        if base[i] == UInt8(ascii: "/") { return comment(at: i) }
        if base[i] >= 0x80, utf8SequenceLength(at: i) == 0 { return invalidUTF8(at: i) }
        if base[i] == UInt8(ascii: "}") || base[i] == UInt8(ascii: "]") {
            return ScanFailure(
                code: JSONSyntaxCode.trailingData, message: "unexpected \(describe(at: i)): nothing is open to close",
                offset: i, help: "remove it, or the extra bracket before it")
        }
        return ScanFailure(
            code: JSONSyntaxCode.trailingData, message: "unexpected \(describe(at: i)) after the JSON value",
            offset: i, help: "a JSON document holds exactly one value; wrap several values in an array")
    }

    func trailingComma(at comma: Int, closer: UInt8) -> ScanFailure {
        ScanFailure(
            code: JSONSyntaxCode.trailingComma, message: "trailing comma before '\(Character(Unicode.Scalar(closer)))'",
            offset: comma, help: "remove the ','")
    }

    func missingComma(at i: Int, in top: Frame) -> ScanFailure {
        let c = base[i]
        if c == UInt8(ascii: "/") { return comment(at: i) }
        if c >= 0x80, utf8SequenceLength(at: i) == 0 { return invalidUTF8(at: i) }
        var failure = ScanFailure(
            code: JSONSyntaxCode.missingComma,
            message: top.isObject ? "expected ',' or '}' after an object member" : "expected ',' or ']' after an array element",
            offset: i)
        if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
            failure.help = top.isObject ? "close the object with '}'" : "close the array with ']'"
            failure.note = openerNote(top)
        } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "{") || c == UInt8(ascii: "[") || c == UInt8(ascii: "-")
            || isDigit(c) || c == UInt8(ascii: "t") || c == UInt8(ascii: "f") || c == UInt8(ascii: "n")
        {
            failure.help = top.isObject ? "add ',' between the members" : "add ',' between the elements"
        } else if c == UInt8(ascii: ":") {
            failure.help = top.isObject ? "a member is a single key and value" : "arrays hold values, not members; use an object for key: value pairs"
        }
        return failure
    }

    func expectedKey(at i: Int) -> ScanFailure {
        let c = base[i]
        if c == UInt8(ascii: "/") { return comment(at: i) }
        if c >= 0x80, utf8SequenceLength(at: i) == 0 { return invalidUTF8(at: i) }
        var failure = ScanFailure(
            code: JSONSyntaxCode.expectedKey, message: "expected a string key, found \(describe(at: i))", offset: i)
        if c == UInt8(ascii: ",") {
            failure.help = "remove the extra ','"
        } else if c == UInt8(ascii: "]") {
            failure.help = "close the object with '}'"
        } else if c == UInt8(ascii: "'") {
            failure.message = "object keys must be in double quotes"
            failure.help = "write \"…\" instead of '…'"
        } else if let word = word(at: i) {
            failure.message = "object keys must be in double quotes"
            failure.length = word.utf8.count
            failure.help = "write \"\(word)\""
        }
        return failure
    }

    func expectedColon(at j: Int, key: Int) -> ScanFailure {
        let name = String(decoding: TapeNode.stringBytes(nodes[count - 1], in: UnsafeBufferPointer(start: base, count: end)), as: UTF8.self)
        let shown = name.count > 40 ? String(name.prefix(40)) + "…" : name
        if j == end { return unexpectedEnd(expecting: "':' after the key \"\(shown)\"", at: j) }
        if base[j] == UInt8(ascii: "/") { return comment(at: j) }
        if base[j] >= 0x80, utf8SequenceLength(at: j) == 0 { return invalidUTF8(at: j) }
        return ScanFailure(
            code: JSONSyntaxCode.expectedColon, message: "expected ':' after the key \"\(shown)\"", offset: j,
            help: base[j] == UInt8(ascii: "=") ? "write ':' instead of '='" : "add ':' and the member's value")
    }

    func tooDeep(at i: Int) -> ScanFailure {
        ScanFailure(
            code: JSONSyntaxCode.tooDeep, message: "nesting deeper than \(Self.maximumDepth) levels", offset: i,
            help: "Keyform reads at most \(Self.maximumDepth) nested arrays and objects; flatten the document")
    }

    func tooManyValues(at i: Int) -> ScanFailure {
        ScanFailure(
            code: JSONSyntaxCode.tooLarge,
            message: "the document exceeds the parser's limits (2^28 − 1 values, or bytes in one string or number)",
            offset: i)
    }

    func numberMissingDigit(at j: Int, after sign: String, start: Int) -> ScanFailure {
        if sign == "-", j < end, let word = word(at: j), word == "Infinity" {
            return ScanFailure(
                code: JSONSyntaxCode.expectedValue, message: "'-Infinity' is not a JSON value", offset: start,
                length: 9, help: "JSON has no infinities; use null or a string")
        }
        let what = sign == "e" ? "in the exponent" : "after '\(sign)'"
        return ScanFailure(code: JSONSyntaxCode.invalidNumber, message: "invalid number: expected a digit \(what)", offset: j, length: 0)
    }

    func leadingZero(at start: Int, digitsEnd: Int) -> ScanFailure {
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: digitsEnd - start), as: UTF8.self)
        let negative = text.hasPrefix("-")
        let digits = text.drop(while: { $0 == "-" || $0 == "0" })
        let fixed = (negative ? "-" : "") + (digits.isEmpty ? "0" : String(digits))
        return ScanFailure(
            code: JSONSyntaxCode.invalidNumber, message: "invalid number: leading zeros are not allowed", offset: start,
            length: digitsEnd - start, help: "write \(fixed)")
    }

    func unterminatedString(at start: Int) -> ScanFailure {
        ScanFailure(
            code: JSONSyntaxCode.unterminatedString, message: "unterminated string: no closing '\"' before the end of the input",
            offset: start, help: "close the string with '\"'")
    }

    func controlCharacter(at j: Int, stringStart: Int) -> ScanFailure {
        let b = base[j]
        var failure = ScanFailure(
            code: JSONSyntaxCode.controlCharacter,
            message: "unescaped control character \(describe(at: j)) in a string", offset: j)
        switch b {
        case 0x0A, 0x0D:
            failure.message = "unescaped line break in a string"
            failure.help = "close the string with '\"' before the line ends, or write \\n"
        case 0x09: failure.help = "write \\t"
        default: failure.help = "write \\u" + hex(UInt32(b), digits: 4).lowercased()
        }
        return failure
    }

    func invalidEscape(at i: Int) -> ScanFailure {
        let shown = base[i + 1] >= 0x20 && base[i + 1] < 0x7F ? "'\\\(Character(Unicode.Scalar(base[i + 1])))'" : "'\\' followed by \(describe(at: i + 1))"
        return ScanFailure(
            code: JSONSyntaxCode.invalidEscape, message: "invalid escape \(shown) in a string", offset: i, length: 2,
            help: "the escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX; write \\\\ for a backslash")
    }

    func invalidUnicodeEscape(at i: Int) -> ScanFailure {
        ScanFailure(
            code: JSONSyntaxCode.invalidEscape, message: "invalid escape: '\\u' must be followed by four hex digits",
            offset: i, length: min(6, end - i), help: "write the character as \\uXXXX, for example \\u00e9 for é")
    }

    func loneSurrogate(at i: Int, _ unit: UInt32) -> ScanFailure {
        let half = unit < 0xDC00 ? "a high surrogate without the low one after it" : "a low surrogate without a high one before it"
        return ScanFailure(
            code: JSONSyntaxCode.loneSurrogate, message: "lone surrogate escape '\\u\(hex(unit, digits: 4).lowercased())': \(half)",
            offset: i, length: 6,
            help: "escape a character beyond U+FFFF as a pair (\\ud83d\\ude00 for U+1F600) or write the character itself")
    }

    func invalidUTF8(at i: Int) -> ScanFailure {
        let b0 = base[i]
        let detail: String
        switch b0 {
        case 0x80...0xBF: detail = "unexpected continuation byte 0x\(hex(UInt32(b0), digits: 2))"
        case 0xC0, 0xC1: detail = "overlong encoding (byte 0x\(hex(UInt32(b0), digits: 2)))"
        case 0xE0 where i + 1 < end && base[i + 1] < 0xA0, 0xF0 where i + 1 < end && base[i + 1] < 0x90:
            detail = "overlong encoding (byte 0x\(hex(UInt32(b0), digits: 2)))"
        case 0xED where i + 1 < end && base[i + 1] >= 0xA0: detail = "encoded surrogate (U+D800–U+DFFF)"
        case 0xF4 where i + 1 < end && base[i + 1] >= 0x90: detail = "beyond U+10FFFF (byte 0xF4)"
        case 0xF5...0xFF: detail = "byte 0x\(hex(UInt32(b0), digits: 2)) cannot start a character"
        default: detail = "incomplete sequence starting with byte 0x\(hex(UInt32(b0), digits: 2))"
        }
        return ScanFailure(code: JSONSyntaxCode.invalidUTF8, message: "invalid UTF-8: \(detail)", offset: i, help: "save the file as UTF-8")
    }

    func comment(at i: Int) -> ScanFailure {
        ScanFailure(code: JSONSyntaxCode.comment, message: "comments are not allowed in JSON", offset: i, help: "remove the comment")
    }

    func unexpectedValueStart(at i: Int) -> ScanFailure {
        let c = base[i]
        switch c {
        case UInt8(ascii: "/"): return comment(at: i)
        case UInt8(ascii: "'"):
            return ScanFailure(
                code: JSONSyntaxCode.expectedValue, message: "strings must be in double quotes", offset: i,
                help: "write \"…\" instead of '…'")
        case UInt8(ascii: "+"):
            return ScanFailure(
                code: JSONSyntaxCode.invalidNumber, message: "invalid number: a number cannot start with '+'", offset: i,
                help: "remove the '+'")
        case UInt8(ascii: "."):
            return ScanFailure(
                code: JSONSyntaxCode.invalidNumber, message: "invalid number: a number cannot start with '.'", offset: i,
                help: "write a digit before the '.', as in 0.5")
        case 0x80...0xFF where utf8SequenceLength(at: i) == 0:
            return invalidUTF8(at: i)
        default: break
        }
        guard let word = word(at: i) else {
            var failure = ScanFailure(code: JSONSyntaxCode.expectedValue, message: "expected a value, found \(describe(at: i))", offset: i)
            if c == UInt8(ascii: ",") {
                failure.help = "remove the extra ','"
            } else if c == UInt8(ascii: "\\") {
                failure.help = "escapes belong inside a string: \"\\u0020…\""
            }
            return failure
        }
        var failure = ScanFailure(
            code: JSONSyntaxCode.expectedValue, message: "'\(word)' is not a JSON value", offset: i, length: word.utf8.count)
        let lower = word.lowercased()
        if ["true", "false", "null"].contains(lower) {
            failure.help = "JSON literals are lowercase: write \(lower)"
        } else if ["nan", "infinity", "inf"].contains(lower) {
            failure.help = "JSON has no NaN or infinities; use null or a string"
        } else if let literal = Suggestion.closest(to: word, among: ["true", "false", "null"]) {
            failure.help = "did you mean \(literal)?"
        } else {
            failure.help = "strings must be in double quotes: write \"\(word)\""
        }
        return failure
    }

    /// The identifier-like word at `i` (letters, digits, '_', '$'; at most 40 bytes), if any.
    func word(at i: Int) -> String? {
        var j = i
        while j < end, j - i < 40 {
            let b = base[j]
            let isWordByte = (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "z")) || isDigit(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: "$")
            guard isWordByte else { break }
            j += 1
        }
        guard j > i, !isDigit(base[i]) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: base + i, count: j - i), as: UTF8.self)
    }
}
