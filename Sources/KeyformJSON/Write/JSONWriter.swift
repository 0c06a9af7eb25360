// PLACEHOLDER (phase 0): the canonical writer's entry points; the JSON issue owns this file.

extension JSON {
    /// Canonical text: 2-space indentation, members in their order, number literals as given,
    /// minimal string escaping, and a final newline.
    public func canonicalText() -> String {
        var out = ""
        write(to: &out, indent: 0, pretty: true)
        out.append("\n")
        return out
    }

    /// The same value on one line, with no insignificant white space.
    public func compactText() -> String {
        var out = ""
        write(to: &out, indent: 0, pretty: false)
        return out
    }

    private func write(to out: inout String, indent: Int, pretty: Bool) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n.literal
        case .string(let s): JSON.writeString(s, to: &out)
        case .array(let a):
            if a.isEmpty { out += "[]"; return }
            out += "["
            for (k, e) in a.enumerated() {
                if k > 0 { out += "," }
                if pretty { out += "\n" + String(repeating: " ", count: indent + 2) }
                e.write(to: &out, indent: indent + 2, pretty: pretty)
            }
            if pretty { out += "\n" + String(repeating: " ", count: indent) }
            out += "]"
        case .object(let o):
            if o.isEmpty { out += "{}"; return }
            out += "{"
            for (k, m) in o.enumerated() {
                if k > 0 { out += "," }
                if pretty { out += "\n" + String(repeating: " ", count: indent + 2) }
                JSON.writeString(m.key, to: &out)
                out += pretty ? ": " : ":"
                m.value.write(to: &out, indent: indent + 2, pretty: pretty)
            }
            if pretty { out += "\n" + String(repeating: " ", count: indent) }
            out += "}"
        }
    }

    static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where u.value < 0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        out += "\""
    }
}
