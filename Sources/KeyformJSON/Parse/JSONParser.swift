// PLACEHOLDER (phase 0): a simple, strict recursive-descent parser so that every part can read
// JSON from the start. The located, fast parser replaces the body of this file; the entry
// points below (`JSON.parse`, `JSONSyntaxError`) stay.

/// A JSON syntax error at a byte offset of the input.
public struct JSONSyntaxError: Error, Hashable, Sendable {
    /// Stable diagnostic code (`KF1xx`).
    public var code: String
    public var message: String
    /// Byte offset of the offending byte in the input.
    public var offset: Int

    public init(code: String, message: String, offset: Int) {
        self.code = code
        self.message = message
        self.offset = offset
    }
}

extension JSON {
    /// Parses strict RFC 8259 JSON from UTF-8 bytes.
    /// - Parameter allowDuplicateKeys: RFC 8259 allows duplicates; Keyform's own files do not.
    /// - Throws: `JSONSyntaxError` at the first problem.
    public static func parse(_ bytes: [UInt8], allowDuplicateKeys: Bool = false) throws(JSONSyntaxError) -> JSON {
        var parser = SimpleParser(bytes: bytes, allowDuplicateKeys: allowDuplicateKeys)
        return try parser.parseDocument()
    }

    public static func parse(_ text: String, allowDuplicateKeys: Bool = false) throws(JSONSyntaxError) -> JSON {
        try parse(Array(text.utf8), allowDuplicateKeys: allowDuplicateKeys)
    }
}

private struct SimpleParser {
    let bytes: [UInt8]
    let allowDuplicateKeys: Bool
    var i = 0
    var depth = 0

    init(bytes: [UInt8], allowDuplicateKeys: Bool) {
        self.bytes = bytes
        self.allowDuplicateKeys = allowDuplicateKeys
    }

    func fail(_ code: String, _ message: String, at offset: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(code: code, message: message, offset: offset ?? i)
    }

    mutating func skipWhitespace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    mutating func parseDocument() throws(JSONSyntaxError) -> JSON {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if i < bytes.count { throw fail("KF102", "unexpected data after the JSON value") }
        return value
    }

    mutating func parseValue() throws(JSONSyntaxError) -> JSON {
        guard i < bytes.count else { throw fail("KF101", "unexpected end of input: expected a value") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw fail("KF104", "expected a value")
        }
    }

    mutating func literal(_ word: String) throws(JSONSyntaxError) {
        for b in word.utf8 {
            guard i < bytes.count, bytes[i] == b else { throw fail("KF104", "expected '\(word)'") }
            i += 1
        }
    }

    mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        if depth > 512 { throw fail("KF110", "nesting deeper than 512 levels") }
    }

    mutating func parseObject() throws(JSONSyntaxError) -> JSON {
        try enter()
        i += 1
        var members: [JSONMember] = []
        var seen = Set<String>()
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; depth -= 1; return .object(members) }
        while true {
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("KF105", "expected a string key") }
            let keyOffset = i
            let key = try parseString()
            if !allowDuplicateKeys, !seen.insert(key).inserted {
                throw fail("KF109", "duplicate key '\(key)'", at: keyOffset)
            }
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("KF106", "expected ':' after an object key") }
            i += 1
            skipWhitespace()
            members.append(JSONMember(key, try parseValue()))
            skipWhitespace()
            guard i < bytes.count else { throw fail("KF101", "unexpected end of input: expected ',' or '}'") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; depth -= 1; return .object(members) }
            throw fail("KF103", "expected ',' or '}' after an object member")
        }
    }

    mutating func parseArray() throws(JSONSyntaxError) -> JSON {
        try enter()
        i += 1
        var elements: [JSON] = []
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; depth -= 1; return .array(elements) }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            guard i < bytes.count else { throw fail("KF101", "unexpected end of input: expected ',' or ']'") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; depth -= 1; return .array(elements) }
            throw fail("KF103", "expected ',' or ']' after an array element")
        }
    }

    mutating func parseNumber() throws(JSONSyntaxError) -> JSONNumber {
        let start = i
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        func digit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        guard i < bytes.count, digit(bytes[i]) else { throw fail("KF107", "invalid number") }
        if bytes[i] == 0x30 {
            i += 1
            if i < bytes.count, digit(bytes[i]) { throw fail("KF107", "leading zeros are not allowed") }
        } else {
            while i < bytes.count, digit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard i < bytes.count, digit(bytes[i]) else { throw fail("KF107", "expected a digit after '.'") }
            while i < bytes.count, digit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count, digit(bytes[i]) else { throw fail("KF107", "expected a digit in the exponent") }
            while i < bytes.count, digit(bytes[i]) { i += 1 }
        }
        return JSONNumber(literal: String(decoding: bytes[start..<i], as: UTF8.self))
    }

    mutating func parseString() throws(JSONSyntaxError) -> String {
        i += 1
        var out: [UInt8] = []
        while true {
            guard i < bytes.count else { throw fail("KF108", "unterminated string") }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { i += 1; break }
            if b < 0x20 { throw fail("KF111", "control character in a string: escape it") }
            if b == UInt8(ascii: "\\") {
                i += 1
                guard i < bytes.count else { throw fail("KF108", "unterminated string") }
                switch bytes[i] {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var unit = try hex4()
                    if (0xD800..<0xDC00).contains(unit), i + 2 < bytes.count, bytes[i + 1] == 0x5C, bytes[i + 2] == UInt8(ascii: "u") {
                        let save = i
                        i += 2
                        let low = try hex4()
                        if (0xDC00..<0xE000).contains(low) {
                            unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            i = save
                        }
                    }
                    let scalar = Unicode.Scalar(unit) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: throw fail("KF112", "invalid escape sequence")
                }
                i += 1
            } else {
                out.append(b)
                i += 1
            }
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw fail("KF113", "invalid UTF-8 in a string") }
        return s
    }

    mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            i += 1
            guard i < bytes.count else { throw fail("KF112", "invalid \\u escape") }
            let b = bytes[i]
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b - 0x30)
            case 0x41...0x46: d = UInt32(b - 0x41 + 10)
            case 0x61...0x66: d = UInt32(b - 0x61 + 10)
            default: throw fail("KF112", "invalid \\u escape")
            }
            v = v * 16 + d
        }
        return v
    }
}
