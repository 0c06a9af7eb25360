/// A parsed JSON file that knows where every value and key came from.
///
/// Parsing builds a flat tape (see `JSONTape`) over the input bytes; values are read through
/// cheap `JSONValueRef` handles, strings decoded only when asked, and line and column
/// computed only when a location is asked for (by rescanning the input up to the offset).
///
///     let document = try JSONDocument.parse(bytes, file: "integrations/web.json")
///     if let name = document.root["integrations"]?.elements.first?["name"] {
///         let place = document.location(of: name)   // place.line, place.column: 5, 15
///     }
///
/// Strict RFC 8259, with these choices (codes in `JSONSyntaxCode`): a byte order mark is an
/// error (KF116); a `\u` escape of a lone surrogate is an error (KF115); numbers keep their
/// literal text whatever their size; nesting is limited to `maximumDepth` levels (KF110);
/// lines end at LF (a CR before it belongs to the line and counts as a column).
public struct JSONDocument: Sendable {
    /// The most arrays and objects that may be nested inside one another.
    public static let maximumDepth = JSONScanner.maximumDepth

    /// The path as the user named it (relative paths stay relative).
    public let file: String
    /// The input, exactly as given.
    public let bytes: [UInt8]
    let tape: JSONTape
    /// Keys found twice in one object, in document order of the later key. Filled only when
    /// parsing with `allowDuplicateKeys: true` (otherwise they are errors).
    public let duplicateKeys: [JSONDuplicateKey]

    /// Parses strict RFC 8259 JSON from UTF-8 bytes.
    /// - Parameters:
    ///   - file: the name diagnostics and locations carry.
    ///   - allowDuplicateKeys: RFC 8259 allows an object to repeat a key; everything Keyform
    ///     reads does not, so by default each repeated key is an error (KF109) naming both places.
    /// - Throws: `JSONDocumentError` holding the syntax error (one diagnostic, at line:column),
    ///   or one diagnostic per duplicate key.
    public static func parse(_ bytes: [UInt8], file: String, allowDuplicateKeys: Bool = false) throws(JSONDocumentError) -> JSONDocument {
        let tape: JSONTape
        let pairs: [(Int, Int)]
        switch scan(bytes) {
        case .success(let result): (tape, pairs) = result
        case .failure(let failure):
            throw JSONDocumentError(diagnostics: [diagnostic(for: failure, in: bytes, file: file)])
        }
        let duplicates = pairs.sorted { $0.1 < $1.1 }.map { first, later in
            JSONDuplicateKey(first: JSONMemberRef(tape: tape, keyIndex: first), second: JSONMemberRef(tape: tape, keyIndex: later))
        }
        let document = JSONDocument(file: file, bytes: bytes, tape: tape, duplicateKeys: allowDuplicateKeys ? duplicates : [])
        if !allowDuplicateKeys, !duplicates.isEmpty {
            throw JSONDocumentError(diagnostics: duplicates.map { document.diagnostic(for: $0) })
        }
        return document
    }

    /// Parses the UTF-8 of `text`; see `parse(_:file:allowDuplicateKeys:)`.
    public static func parse(_ text: String, file: String, allowDuplicateKeys: Bool = false) throws(JSONDocumentError) -> JSONDocument {
        try parse(Array(text.utf8), file: file, allowDuplicateKeys: allowDuplicateKeys)
    }

    /// Runs the scanner; on success the tape owns the node buffer, on failure it is freed.
    static func scan(_ bytes: [UInt8]) -> Result<(JSONTape, [(Int, Int)]), ScanFailure> {
        let result: Result<(UnsafeMutablePointer<UInt64>, Int, [(Int, Int)]), ScanFailure> = bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, !buffer.isEmpty else {
                return .failure(ScanFailure(
                    code: JSONSyntaxCode.unexpectedEnd, message: "the document is empty: expected a JSON value",
                    offset: 0, length: 0, help: "write a value, for example {}"))
            }
            var scanner = JSONScanner(base: base, count: buffer.count)
            do throws(ScanFailure) {
                try scanner.scan()
                return .success((scanner.nodes, scanner.count, scanner.duplicates))
            } catch {
                scanner.discard()
                return .failure(error)
            }
        }
        return result.map { nodes, count, duplicates in (JSONTape(bytes: bytes, nodes: nodes, count: count), duplicates) }
    }

    static func diagnostic(for failure: ScanFailure, in bytes: [UInt8], file: String) -> Diagnostic {
        var notes: [Diagnostic.Note] = []
        if let note = failure.note {
            notes.append(.init(note.message, location: SourceLocator.location(in: bytes, file: file, offset: note.offset, length: 1)))
        }
        return .error(
            failure.code, failure.message,
            at: SourceLocator.location(in: bytes, file: file, offset: failure.offset, length: failure.length),
            notes: notes, suggestion: failure.help)
    }

    /// The document's single top-level value.
    public var root: JSONValueRef { JSONValueRef(tape: tape, index: 0) }

    /// Where `value` is: its first byte, with the byte length of the whole value.
    public func location(of value: JSONValueRef) -> SourceLocation {
        let range = value.byteRange
        return location(atOffset: range.lowerBound, length: range.count)
    }

    /// Where a member's key is: its string token, quotes included.
    public func location(ofKey member: JSONMemberRef) -> SourceLocation {
        let range = member.keyRange
        return location(atOffset: range.lowerBound, length: range.count)
    }

    /// The location of a byte offset (clamped to the input), with line and column computed now.
    public func location(atOffset offset: Int, length: Int = 0) -> SourceLocation {
        SourceLocator.location(in: bytes, file: file, offset: offset, length: length)
    }

    /// The value a JSON Pointer names, or nil when there is none.
    public func resolve(_ pointer: JSONPointer) -> JSONValueRef? {
        var value = root
        for token in pointer.tokens {
            guard let next = value.child(token) else { return nil }
            value = next
        }
        return value
    }

    /// Where the value a JSON Pointer names is. When the pointer names nothing (a missing
    /// member, an index past the end), the location of the nearest existing ancestor: a
    /// diagnostic about a missing member then points at the object that should hold it.
    /// Use `resolve` to tell the two apart. Never nil for a parsed document (the root exists).
    public func location(of pointer: JSONPointer) -> SourceLocation? {
        var value = root
        for token in pointer.tokens {
            guard let next = value.child(token) else { break }
            value = next
        }
        return location(of: value)
    }

    /// The KF109 diagnostic for a duplicate key: at the later key, with a note at the first.
    public func diagnostic(for duplicate: JSONDuplicateKey, severity: Diagnostic.Severity = .error) -> Diagnostic {
        let key = duplicate.second.key
        let shown = key.count > 40 ? String(key.prefix(40)) + "…" : key
        return Diagnostic(
            severity, code: JSONSyntaxCode.duplicateKey, "duplicate key '\(shown)'",
            at: location(ofKey: duplicate.second),
            notes: [.init("the first '\(shown)' is here", location: location(ofKey: duplicate.first))],
            suggestion: "remove one of the two members, or rename one")
    }
}

/// A key that an object repeats: its first occurrence and a later one.
public struct JSONDuplicateKey: Sendable, Hashable {
    /// The first member with the key.
    public var first: JSONMemberRef
    /// A later member of the same object with the same key.
    public var second: JSONMemberRef
}

/// Why a document could not be parsed: one diagnostic for a syntax error, or one per
/// duplicate key. Each has a location with line and column.
public struct JSONDocumentError: Error, Sendable {
    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }
}
