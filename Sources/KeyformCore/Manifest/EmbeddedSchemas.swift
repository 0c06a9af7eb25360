/// The JSON Schemas compiled into the binary, as text: what `keyform validate` checks
/// against, byte for byte the files under `schemas/`.
public enum EmbeddedSchemas {
    /// `schemas/manifest.schema.json`.
    public static var manifest: String { ManifestSchema.text }
    /// `schemas/config.schema.json`.
    public static var configuration: String { ConfigurationSchema.text }
}
