import KeyformJSON

/// One line of the operation log: `{"sequence":N,"changes":[…]}` in compact JSON, then a
/// newline. A record is one operation; its changes are replayed together or not at all.
///
///     {"sequence":7,"changes":[{"op":"putProject","project":{"id":"5830…","name":"stocksearch",…}}]}
///     {"sequence":8,"changes":[{"op":"deleteRegistration","id":"0b6f…"}]}
enum ConsoleLogRecord {
    /// What replaying a log found.
    struct Replay {
        /// Sequence number of the last record applied (the snapshot's when none was).
        var sequence: Int
        /// Bytes up to the end of the last complete line; a torn tail follows when this is
        /// less than the log's length.
        var validLength: Int
    }

    /// Why a log could not be replayed onto its snapshot.
    enum Problem: Error {
        case damaged(ConsoleStoreError)
        /// Records between the snapshot and the log are missing: a reader caught a
        /// compaction half-way (and should read again), or the files do not belong together.
        case gap(expected: Int, found: Int, line: Int)
    }

    static func encode(sequence: Int, changes: [ConsoleChange]) -> [UInt8] {
        let record = JSON.object([
            JSONMember("sequence", .number(sequence)),
            JSONMember("changes", .array(changes.map(json))),
        ])
        return Array((record.compactText() + "\n").utf8)
    }

    /// Applies the records after `sequence` onto `state`. A last line without its newline
    /// is a write cut off by a crash — never acknowledged — and is left out.
    static func replay(_ log: [UInt8], path: String, onto state: inout ConsoleState, after sequence: Int) throws(Problem) -> Replay {
        var current = sequence
        var lineStart = 0
        var lineNumber = 0
        while let newline = log[lineStart...].firstIndex(of: 0x0A) {
            lineNumber += 1
            let line = log[lineStart..<newline]
            defer { lineStart = newline + 1 }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
            let (recordSequence, changes) = try decode(line, path: path, lineNumber: lineNumber)
            if recordSequence <= current { continue }
            if recordSequence != current + 1 {
                throw .gap(expected: current + 1, found: recordSequence, line: lineNumber)
            }
            for change in changes { state.apply(change, encode: false) }
            current = recordSequence
        }
        return Replay(sequence: current, validLength: lineStart)
    }

    private static func decode(_ line: ArraySlice<UInt8>, path: String, lineNumber: Int) throws(Problem) -> (Int, [ConsoleChange]) {
        let record: JSONValueRef
        do throws(JSONDocumentError) {
            record = try JSONDocument.parse(Array(line), file: path).root
        } catch {
            throw .damaged(ConsoleSnapshot.syntaxError(line, path: path, line: lineNumber, parsed: error))
        }
        do throws(JSONFields.Failure) {
            let fields = try JSONFields(record, at: .root)
            var changes: [ConsoleChange] = []
            for change in try fields.objects("changes") {
                changes.append(try self.change(change))
            }
            return (try fields.int("sequence"), changes)
        } catch {
            throw .damaged(.invalidContent(path: path, line: lineNumber, pointer: error.pointer, message: error.message))
        }
    }

    private static func json(_ change: ConsoleChange) -> JSON {
        switch change {
        case .putProject(let project):
            .object([JSONMember("op", "putProject"), JSONMember("project", project.json)])
        case .deleteProject(let id):
            .object([JSONMember("op", "deleteProject"), JSONMember("id", .string(id))])
        case .putCredential(let credential, let secret):
            .object([JSONMember("op", "putCredential"), JSONMember("credential", credential.json(secret: secret))])
        case .deleteCredential(let id):
            .object([JSONMember("op", "deleteCredential"), JSONMember("id", .string(id))])
        case .putRegistration(let registration):
            .object([JSONMember("op", "putRegistration"), JSONMember("registration", registration.json)])
        case .deleteRegistration(let id):
            .object([JSONMember("op", "deleteRegistration"), JSONMember("id", .string(id))])
        }
    }

    private static func change(_ fields: JSONFields) throws(JSONFields.Failure) -> ConsoleChange {
        let op = try fields.string("op")
        switch op {
        case "putProject": return .putProject(try ConsoleProject(try fields.object("project")))
        case "deleteProject": return .deleteProject(id: try fields.string("id"))
        case "putCredential":
            let (credential, secret) = try ConsoleCredential.decode(try fields.object("credential"))
            return .putCredential(credential, secret: secret)
        case "deleteCredential": return .deleteCredential(id: try fields.string("id"))
        case "putRegistration": return .putRegistration(try ConsoleRegistration(try fields.object("registration")))
        case "deleteRegistration": return .deleteRegistration(id: try fields.string("id"))
        default: throw JSONFields.Failure(pointer: "\(fields.pointer)/op", message: "unknown operation")
        }
    }
}
