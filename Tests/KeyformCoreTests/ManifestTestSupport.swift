import Foundation
import KeyformCore
import KeyformJSON
import KeyformTestSupport

/// Shared by the manifest tests: files from the repository as an in-memory file system,
/// diagnostics as compact golden lines, and small manifest builders.
enum ManifestFixtures {
    /// Every file under `relativeDirectory` of the package, keyed by its path relative to
    /// the package root (`examples/invalid/10-unknown-property.json`).
    static func repositoryFiles(under relativeDirectory: String) -> InMemoryFileSystem {
        var fileSystem = InMemoryFileSystem()
        let root = TestPaths.packageRoot.appendingPathComponent(relativeDirectory)
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return fileSystem
        }
        let prefix = TestPaths.packageRoot.standardizedFileURL.path + "/"
        for case let url as URL in enumerator {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
                let data = try? Data(contentsOf: url)
            else { continue }
            let path = url.standardizedFileURL.path
            fileSystem.addFile(path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path, [UInt8](data))
        }
        return fileSystem
    }

    /// The bytes of a repository file.
    static func repositoryFile(_ relativePath: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: TestPaths.packageRoot.appendingPathComponent(relativePath)))
    }

    /// One line per diagnostic (`file:line:col: severity[code]: message`), then its notes and
    /// help indented: what the gallery's `.expected` files hold.
    static func brief(_ diagnostics: [Diagnostic]) -> String {
        var text = ""
        for diagnostic in diagnostics {
            let place = diagnostic.location.map { "\($0.file):\($0.line):\($0.column): " } ?? ""
            text += "\(place)\(diagnostic.severity.rawValue)[\(diagnostic.code)]: \(diagnostic.message)\n"
            for note in diagnostic.notes {
                let notePlace = note.location.map { "\($0.file):\($0.line):\($0.column): " } ?? ""
                text += "  note: \(notePlace)\(note.message)\n"
            }
            if let suggestion = diagnostic.suggestion { text += "  help: \(suggestion)\n" }
        }
        return text
    }

    /// Loads in-memory manifest texts (path → JSON text) with the default catalog.
    static func load(
        _ files: [String: String], path: String = "m", environment: [String: String] = [:], catalog: Catalog? = .default
    ) -> ManifestLoadResult {
        ManifestLoader.load(
            path: path, fileSystem: InMemoryFileSystem(textFiles: files), environment: environment, catalog: catalog)
    }

    /// `"line:column code"` of each diagnostic, for compact assertions.
    static func places(_ result: ManifestLoadResult) -> [String] {
        result.diagnostics.map { d in
            d.location.map { "\($0.line):\($0.column) \(d.code)" } ?? d.code
        }
    }
}
