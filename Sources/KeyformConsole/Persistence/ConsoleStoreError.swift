import KeyformSystem
import Foundation

/// Why a console's data files could not be read or written. Every case names the file;
/// damaged content names the place (line and column, or a JSON Pointer) and never quotes a
/// value, so a client secret cannot leak through an error.
public enum ConsoleStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file is not well-formed JSON; `line` and `column` are 1-based, `offset` in bytes.
    case syntax(path: String, line: Int, column: Int, offset: Int, message: String)
    /// Well-formed JSON that is not what a console file holds: at `pointer` (a JSON Pointer)
    /// of the snapshot, or of line `line` of the log.
    case invalidContent(path: String, line: Int?, pointer: String, message: String)
    /// A console file of another format or a newer version.
    case unsupportedFormat(path: String, found: String)
    /// The operation log exists and holds records, but the snapshot it continues is gone.
    case missingSnapshot(path: String, logPath: String)
    /// Another process (an apply, or `keyform console serve`) is writing this console.
    case inUse(path: String)
    /// A system call failed.
    case io(path: String, operation: String, errno: Int32)

    public var description: String {
        switch self {
        case .syntax(let path, let line, let column, _, let message):
            "\(path):\(line):\(column): the console file is damaged: \(message); restore it from a backup or move it away to start a fresh console"
        case .invalidContent(let path, let line, let pointer, let message):
            "\(path)\(line.map { ":\($0)" } ?? ""): the console file is damaged at \(pointer.isEmpty ? "the top level" : pointer): \(message)"
        case .unsupportedFormat(let path, let found):
            "\(path): not a console file this version of keyform can read (\(found))"
        case .missingSnapshot(let path, let logPath):
            "\(path) is missing but its operation log \(logPath) holds records; restore \(path), or remove both to start a fresh console"
        case .inUse(let path):
            "\(path) is in use by another process (an apply or `keyform console serve`); wait for it to finish or stop it"
        case .io(let path, let operation, let code):
            "\(path): \(operation) failed: \(SystemFile.reason(code, operation: operation))"
        }
    }
}
