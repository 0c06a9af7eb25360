import KeyformJSON

/// One decoded integration as the cross-file rules see it: where its parts are in its file's
/// tape (indices, see `JSONTapeView`), not copies of them. The strings are read again only
/// for a diagnostic; the model (`ManifestLoadResult.model`) is decoded from the files when
/// it is asked for.
struct IntegrationEntry {
    /// Position of the file in the loader's list.
    var file: Int
    /// Its `name` string.
    var name: Int
    /// `ByteScan.hash` of the name, when `ScannedIntegrations.namesAreASCII` (else 0).
    var nameHash: UInt64
    /// `formerNames` strings, in document order: a range of the file's `formerNames`.
    var formerNames: Range<Int>
    /// The `events` array, or -1.
    var events: Int
    /// The number of event registrations decoded (objects with a string `name`).
    var eventCount: Int
    /// This integration's findings from the rules that need no other integration: a range of
    /// the file's `diagnostics`; the organization quota goes in before `lintStart`.
    var diagnostics: Range<Int>
    var lintStart: Int
}

/// What scanning one file's integrations produced.
struct ScannedIntegrations {
    var entries: [IntegrationEntry] = []
    /// Tape indices of every integration's former names (see `IntegrationEntry.formerNames`).
    var formerNames: [Int] = []
    /// `ByteScan.hash` of each former name, when `namesAreASCII` (else 0).
    var formerHashes: [UInt64] = []
    var diagnostics: [Diagnostic] = []
    /// Whether every name and former name is a plain ASCII string, so that comparing bytes
    /// is comparing `String`s (otherwise the name rules compare `String`s).
    var namesAreASCII = true
}
