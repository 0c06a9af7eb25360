import KeyformJSON

/// What `keyform.json` says: where the manifests are, where the state is kept, which
/// console to talk to. Every member is optional; the defaults are those of DESIGN.md:
///
/// ```json
/// {
///   "manifests": "integrations",
///   "state": { "backend": "file", "path": "keyform.state.json" },
///   "console": { "provider": "local", "path": ".keyform/console.json" }
/// }
/// ```
///
/// Relative paths are relative to `directory` (the directory holding `keyform.json`);
/// `resolve(_:)` joins them.
public struct Configuration: Hashable, Sendable {
    /// The file name Keyform looks for in the current directory and its parents.
    public static let fileName = "keyform.json"

    public enum StateBackend: String, Hashable, Sendable, CaseIterable {
        case file, postgres, http
    }

    public enum ConsoleProviderKind: String, Hashable, Sendable, CaseIterable {
        case local, http
    }

    public struct State: Hashable, Sendable {
        public var backend: StateBackend = .file
        /// The state file (file backend), or the URL of the postgres or http backend.
        public var path = "keyform.state.json"

        public init(backend: StateBackend = .file, path: String = "keyform.state.json") {
            self.backend = backend
            self.path = path
        }
    }

    public struct Console: Hashable, Sendable {
        public var provider: ConsoleProviderKind = .local
        /// The local console engine's file.
        public var path = ".keyform/console.json"
        /// The Console API's base URL (http provider).
        public var consoleUrl = "https://developers.adobe.io"
        /// The I/O Events API's base URL (http provider).
        public var eventsUrl = "https://api.adobe.io"
        /// The organization (http provider): numeric console id or IMS org code.
        public var org: String?

        public init(
            provider: ConsoleProviderKind = .local, path: String = ".keyform/console.json",
            consoleUrl: String = "https://developers.adobe.io", eventsUrl: String = "https://api.adobe.io",
            org: String? = nil
        ) {
            self.provider = provider
            self.path = path
            self.consoleUrl = consoleUrl
            self.eventsUrl = eventsUrl
            self.org = org
        }
    }

    /// The manifest directory (or file).
    public var manifests = "integrations"
    public var state = State()
    public var console = Console()
    /// Whether plans may delete integrations missing from the manifests.
    public var allowDelete = false
    /// The `keyform.json` this was read from; `nil` when none was found (all defaults).
    public var file: String?
    /// The directory relative paths are relative to.
    public var directory: String

    /// The defaults, for `directory`.
    public init(directory: String) {
        self.directory = directory
    }

    /// `path` resolved against `directory` (absolute paths are kept).
    public func resolve(_ path: String) -> String {
        PathSyntax.normalize(PathSyntax.join(directory, path))
    }
}
