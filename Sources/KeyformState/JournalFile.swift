import KeyformCore
import KeyformJSON

/// The journal's bytes: a header line naming the stored state it extends, then one compact
/// JSON `StateChange` per line.
///
///     {"journal":1,"lineage":"0f4c…","serial":7}
///     {"op":"intent","name":"newapp"}
///     {"op":"upsert","name":"newapp","integration":{…}}
///     {"op":"upsert","name":"oth
///
/// The entries apply to the state whose lineage and serial the header names; once a newer state
/// is written the journal is stale and ignored (so a crash between writing the state and
/// clearing the journal never replays twice). Bytes after the last line feed are a torn write
/// from a crash (the last line above) and are ignored; a complete line that does not decode is
/// corruption and reported with its line number.
struct JournalFile {
    /// The state the entries extend.
    struct Header: Hashable {
        var lineage: String
        var serial: Int
    }

    static let format = 1

    /// `nil` when the file holds no complete header line (created, then killed).
    var header: Header?
    /// Byte offset of the first line after the header.
    var entriesStart: Int
    /// Bytes up to and including the last line feed.
    var validLength: Int

    /// The header line, with its line feed.
    static func headerLine(_ header: Header) -> [UInt8] {
        let json = JSON.object([
            JSONMember("journal", .number(format)),
            JSONMember("lineage", .string(header.lineage)),
            JSONMember("serial", .number(header.serial)),
        ])
        return Array((json.compactText() + "\n").utf8)
    }

    /// Reads the header and finds where the complete lines end.
    /// - Throws: `StateStoreError.corrupt` (KF423) for a bad header line,
    ///   `.unsupportedFormat` for a journal written by a newer build.
    static func open(_ bytes: [UInt8], path: String) throws(StateStoreError) -> JournalFile {
        let validLength = (bytes.lastIndex(of: 0x0A)).map { $0 + 1 } ?? 0
        guard let headerEnd = bytes.firstIndex(of: 0x0A) else {
            return JournalFile(header: nil, entriesStart: 0, validLength: 0)
        }
        let json = try parseLine(bytes, start: 0, end: headerEnd, lineNumber: 1, path: path)
        if case .number(let n)? = json["journal"], let version = n.int, version > format {
            throw .unsupportedFormat(path: path, found: version)
        }
        do throws(StateDecodingError) {
            guard case .object(let members) = json else {
                throw StateDecodingError.invalid(pointer: "", problem: "expected an object, found another value", suggestion: nil)
            }
            let keys = Set(members.map(\.key))
            guard keys == ["journal", "lineage", "serial"],
                case .number(let version)? = json["journal"], version.int == format,
                case .string(let lineage)? = json["lineage"],
                case .number(let serialNumber)? = json["serial"], let serial = serialNumber.int, serial >= 0
            else {
                throw StateDecodingError.invalid(
                    pointer: "", problem: "expected the header {\"journal\":1,\"lineage\":…,\"serial\":…}", suggestion: nil)
            }
            return JournalFile(header: Header(lineage: lineage, serial: serial), entriesStart: headerEnd + 1, validLength: validLength)
        } catch {
            throw corruptLine(1, column: 1, path: path, problem: error.message)
        }
    }

    /// Decodes every complete entry line, in order.
    func entries(_ bytes: [UInt8], path: String) throws(StateStoreError) -> [StateChange] {
        var changes: [StateChange] = []
        var lineNumber = 2
        var start = entriesStart
        while start < validLength {
            var end = start
            while bytes[end] != 0x0A { end += 1 }
            let json = try JournalFile.parseLine(bytes, start: start, end: end, lineNumber: lineNumber, path: path)
            do throws(StateDecodingError) {
                changes.append(try StateChange(json: json))
            } catch {
                throw JournalFile.corruptLine(lineNumber, column: 1, path: path, problem: error.message)
            }
            lineNumber += 1
            start = end + 1
        }
        return changes
    }

    private static func parseLine(_ bytes: [UInt8], start: Int, end: Int, lineNumber: Int, path: String) throws(StateStoreError) -> JSON {
        let line = Array(bytes[start..<end])
        do throws(JSONSyntaxError) {
            return try JSON.parse(line)
        } catch {
            let column = line.prefix(error.offset).reduce(1) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
            throw corruptLine(lineNumber, column: column, path: path, problem: "\(error.message) [\(error.code)]")
        }
    }

    private static func corruptLine(_ line: Int, column: Int, path: String, problem: String) -> StateStoreError {
        .corrupt(path: path, diagnostic: .error(
            "KF423", "journal line \(line) is not a valid entry: \(problem)",
            at: SourceLocation(file: path, line: line, column: column),
            notes: [Diagnostic.Note("only a torn last line (no line feed) is ignored; a damaged line before it means the journal cannot be trusted")],
            suggestion: "move \(path) aside to use the stored state without the journal's changes, then run `keyform plan` to see what differs"))
    }
}
