import KeyformJSON

/// Which of Keyform's own files a JSON document looks like, by its top-level members: for
/// messages when a command is handed the wrong one (a plan to `state push`, a state file to
/// `show`), so that the error says what the file is and which command takes it.
enum KeyformFileKind {
    case plan
    case state
    case manifest
    case configuration

    /// The kind `bytes` look like, or nil when they are not JSON or not like any of them.
    init?(guessing bytes: [UInt8]) {
        guard let root = try? JSONDocument.parse(bytes, file: "", allowDuplicateKeys: true).root, root.kind == .object else {
            return nil
        }
        if root["formatVersion"] != nil, root["actions"] != nil {
            self = .plan
        } else if root["lineage"] != nil, root["serial"] != nil {
            self = .state
        } else if root["integrations"]?.kind == .array {
            self = .manifest
        } else if root["manifests"] != nil || root["console"]?.kind == .object || root["state"]?.kind == .object {
            self = .configuration
        } else {
            return nil
        }
    }

    /// What the file is and which command takes it: `a saved plan (apply it with ...)`.
    func described(_ file: String) -> String {
        switch self {
        case .plan: "a saved plan (`keyform show \(file)` shows it, `keyform apply \(file)` applies it)"
        case .state: "a state file (`keyform show --state \(file)` shows it)"
        case .manifest: "a manifest (`keyform plan` reads it from the manifest directory)"
        case .configuration: "a configuration file (keyform.json)"
        }
    }
}
