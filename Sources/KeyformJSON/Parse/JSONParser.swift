/// A JSON syntax error at a byte offset of the input, for callers that want an owned `JSON`
/// tree and no locations (use `JSONDocument` for line, column and diagnostics).
public struct JSONSyntaxError: Error, Hashable, Sendable {
    /// Stable diagnostic code (`KF1xx`, listed in `JSONSyntaxCode`).
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
    /// Parses strict RFC 8259 JSON from UTF-8 bytes into an owned tree (see `JSONDocument`
    /// for the rules and choices).
    /// - Parameter allowDuplicateKeys: RFC 8259 allows duplicates; Keyform's own files do not.
    /// - Throws: `JSONSyntaxError` at the first problem (for duplicate keys: the first later key).
    public static func parse(_ bytes: [UInt8], allowDuplicateKeys: Bool = false) throws(JSONSyntaxError) -> JSON {
        switch JSONDocument.scan(bytes) {
        case .failure(let failure):
            throw JSONSyntaxError(code: failure.code, message: failure.message, offset: failure.offset)
        case .success(let (tape, duplicates)):
            if !allowDuplicateKeys, let later = duplicates.map(\.1).min() {
                throw JSONSyntaxError(
                    code: JSONSyntaxCode.duplicateKey, message: "duplicate key '\(tape.string(later))'", offset: tape.offset(later))
            }
            return tape.materialize(0)
        }
    }

    /// Parses the UTF-8 of `text`; see `parse(_:allowDuplicateKeys:)`.
    public static func parse(_ text: String, allowDuplicateKeys: Bool = false) throws(JSONSyntaxError) -> JSON {
        try parse(Array(text.utf8), allowDuplicateKeys: allowDuplicateKeys)
    }
}
