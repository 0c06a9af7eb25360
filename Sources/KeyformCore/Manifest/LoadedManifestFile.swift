import KeyformJSON

/// What the loader keeps of a manifest file after checking it: the parsed document and its
/// substitutions, from which the model is decoded when it is asked for.
final class LoadedManifestFile: Sendable {
    let path: String
    let document: JSONDocument
    let replacements: JSONStringReplacements

    init(_ source: SourceFile) {
        self.path = source.path
        self.document = source.document
        self.replacements = source.replacements
    }
}
