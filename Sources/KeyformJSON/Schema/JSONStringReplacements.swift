/// Strings to read in place of some string values of one parsed document, so that a
/// document can be validated as it will be used without building a changed copy (Keyform
/// validates manifests after `${env:NAME}` substitution).
///
///     var replacements = JSONStringReplacements()
///     replacements.replace(webhookURL, with: "https://hooks.example.com/adobe")
///     schema.isValid(document.root, replacing: replacements)
///
/// Keyed by tape index: use it only with values of the document it was filled from. A lookup
/// for a value with no replacement costs one bit test.
public struct JSONStringReplacements: Sendable {
    /// One bit per tape index: whether there is a replacement.
    @usableFromInline var marked: [UInt64] = []
    @usableFromInline var texts: [Int: String] = [:]

    public init() {}

    /// Whether nothing is replaced.
    @inlinable public var isEmpty: Bool { texts.isEmpty }

    /// Reads `text` in place of the string `value`.
    public mutating func replace(_ value: JSONValueRef, with text: String) {
        replace(tapeIndex: value.index, with: text)
    }

    /// Reads `text` in place of the string at a tape index (see `JSONTapeView`).
    public mutating func replace(tapeIndex index: Int, with text: String) {
        guard index >= 0 else { return }
        let word = index >> 6
        if word >= marked.count { marked += [UInt64](repeating: 0, count: word + 1 - marked.count) }
        marked[word] |= 1 << UInt64(index & 63)
        texts[index] = text
    }

    /// The replacement for the string at a tape index, if there is one.
    @inlinable @inline(__always)
    public func replacement(tapeIndex index: Int) -> String? {
        let word = index >> 6
        guard word < marked.count, marked[word] & (1 << UInt64(index & 63)) != 0 else { return nil }
        return texts[index]
    }

    /// The replacement for `value`, if there is one.
    public func replacement(for value: JSONValueRef) -> String? {
        replacement(tapeIndex: value.index)
    }
}
