extension JSON {
    /// Canonical text: 2-space indentation, members in their order, number literals as given,
    /// minimal string escaping (see `CanonicalWriter`), and a final newline.
    public func canonicalText() -> String {
        String(decoding: canonicalBytes(), as: UTF8.self)
    }

    /// The UTF-8 of `canonicalText()`.
    public func canonicalBytes() -> [UInt8] {
        var writer = CanonicalWriter(pretty: true)
        write(to: &writer, depth: 0)
        writer.out.append(0x0A)
        return writer.out
    }

    /// The same value on one line, with no insignificant white space and no final newline.
    public func compactText() -> String {
        var writer = CanonicalWriter(pretty: false)
        write(to: &writer, depth: 0)
        return String(decoding: writer.out, as: UTF8.self)
    }

    private func write(to writer: inout CanonicalWriter, depth: Int) {
        switch self {
        case .null: writer.write("null")
        case .bool(let b): writer.write(b ? "true" : "false")
        case .number(let n): writer.out.append(contentsOf: n.literal.utf8)
        case .string(let s): writer.writeString(s)
        case .array(let elements):
            writer.out.append(UInt8(ascii: "["))
            for (k, element) in elements.enumerated() {
                writer.separator(first: k == 0, depth: depth + 1)
                element.write(to: &writer, depth: depth + 1)
            }
            if !elements.isEmpty, writer.pretty { writer.newline(depth: depth) }
            writer.out.append(UInt8(ascii: "]"))
        case .object(let members):
            writer.out.append(UInt8(ascii: "{"))
            for (k, member) in members.enumerated() {
                writer.separator(first: k == 0, depth: depth + 1)
                writer.writeString(member.key)
                writer.colon()
                member.value.write(to: &writer, depth: depth + 1)
            }
            if !members.isEmpty, writer.pretty { writer.newline(depth: depth) }
            writer.out.append(UInt8(ascii: "}"))
        }
    }
}
