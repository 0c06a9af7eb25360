extension JSONDocument {
    /// The document in canonical form (as `JSON.canonicalText()` would write it), straight
    /// from the tape: strings without escapes and numbers are copied from the input.
    /// `keyform fmt` compares this with `bytes`.
    public func canonicalBytes() -> [UInt8] {
        var writer = CanonicalWriter(pretty: true, capacity: bytes.count + bytes.count / 4 + 16)
        tape.write(root.index, to: &writer)
        writer.out.append(0x0A)
        return writer.out
    }
}

extension JSONValueRef {
    /// This value in canonical form, with a final newline.
    public func canonicalText() -> String {
        var writer = CanonicalWriter(pretty: true)
        tape.write(index, to: &writer)
        writer.out.append(0x0A)
        return String(decoding: writer.out, as: UTF8.self)
    }

    /// This value on one line, with no insignificant white space.
    public func compactText() -> String {
        var writer = CanonicalWriter(pretty: false)
        tape.write(index, to: &writer)
        return String(decoding: writer.out, as: UTF8.self)
    }
}

extension JSONTape {
    /// Writes the value at `start` in one pass over its nodes, which are in document order:
    /// for each open container the writer only needs to know whether it is an object and
    /// how many nodes it has written into it (in an object, even counts are keys).
    func write(_ start: Int, to writer: inout CanonicalWriter) {
        var open: [(isObject: Bool, written: Int)] = []
        bytes.withUnsafeBufferPointer { input in
            for k in start..<after(start) {
                let kind = kind(k)
                if kind == .end {
                    let closed = open.removeLast()
                    if closed.written > 0, writer.pretty { writer.newline(depth: open.count) }
                    writer.out.append(closed.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
                    continue
                }
                if let top = open.last {
                    open[open.count - 1].written += 1
                    if top.isObject {
                        if top.written % 2 == 0 {
                            writer.separator(first: top.written == 0, depth: open.count)
                            writeString(k, input, to: &writer)
                            writer.colon()
                            continue
                        }
                    } else {
                        writer.separator(first: top.written == 0, depth: open.count)
                    }
                }
                switch kind {
                case .null: writer.write("null")
                case .true: writer.write("true")
                case .false: writer.write("false")
                case .number: writer.out.append(contentsOf: UnsafeBufferPointer(rebasing: input[byteRange(k)]))
                case .string, .escapedString: writeString(k, input, to: &writer)
                case .array, .object:
                    writer.out.append(kind == .object ? UInt8(ascii: "{") : UInt8(ascii: "["))
                    open.append((kind == .object, 0))
                case .end: break
                }
            }
        }
    }

    private func writeString(_ k: Int, _ input: UnsafeBufferPointer<UInt8>, to writer: inout CanonicalWriter) {
        if kind(k) == .string {
            // No escapes in the input, hence no '"', '\' or control characters: already canonical.
            writer.out.append(contentsOf: UnsafeBufferPointer(rebasing: input[byteRange(k)]))
        } else {
            TapeNode.stringBytes(nodes[k], in: input).withUnsafeBufferPointer { writer.writeString($0) }
        }
    }
}
