import Foundation
import KeyformCore
import KeyformJSON

/// The snapshot file: the whole console as one JSON document — the header pretty, then
/// every entity in compact JSON on its own line (readable, greppable, and cheap to write: the
/// state keeps each entity's bytes from when it last changed).
///
///     {
///       "format": "keyform-console",
///       "version": 1,
///       "sequence": 42,                       the last logged operation it includes
///       "organization": {"id": "4719562", "code": "…@AdobeOrg", "name": "Keyform Local"},
///       "catalog": {"services": […], "eventProviders": […]},
///       "projects": [                         sorted by name
///         {"id":"5830…","name":"assetsync",…},
///         …
///       ],
///       "credentials": [… "clientSecret" …],  sorted by id; the only place secrets are kept
///       "registrations": […]                  sorted by id
///     }
enum ConsoleSnapshot {
    static let format = "keyform-console"
    static let version = 1

    static func encode(_ state: ConsoleState, sequence: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(state.encoded.values.reduce(0) { $0 + $1.count + 6 } + 4096)
        out += Array("{\n".utf8)
        let header: [(String, JSON)] = [
            ("format", .string(format)), ("version", .number(version)), ("sequence", .number(sequence)),
            ("organization", state.organization.json), ("catalog", state.catalog.json),
        ]
        for (key, value) in header {
            let text = value.canonicalText().dropLast().replacingOccurrences(of: "\n", with: "\n  ")
            out += Array("  \"\(key)\": \(text),\n".utf8)
        }
        let projects = state.projects.values.sorted { $0.name < $1.name }
        let credentials = state.credentials.values.sorted { $0.id < $1.id }
        let registrations = state.registrations.values.sorted { $0.id < $1.id }
        append("projects", projects.map { state.encoded[$0.id] ?? Array($0.json.compactText().utf8) }, to: &out, last: false)
        append("credentials", credentials.map {
            state.encoded[$0.id] ?? Array($0.json(secret: state.secrets[$0.id]).compactText().utf8)
        }, to: &out, last: false)
        append("registrations", registrations.map { state.encoded[$0.id] ?? Array($0.json.compactText().utf8) }, to: &out, last: true)
        out += Array("}\n".utf8)
        return out
    }

    /// `  "key": [` then one entity per line, then `  ]`.
    private static func append(_ key: String, _ items: [[UInt8]], to out: inout [UInt8], last: Bool) {
        out += Array("  \"\(key)\": [".utf8)
        for (index, item) in items.enumerated() {
            out += Array((index == 0 ? "\n    " : ",\n    ").utf8)
            out += item
        }
        out += Array((items.isEmpty ? "]" : "\n  ]").utf8)
        out += Array((last ? "\n" : ",\n").utf8)
    }

    /// - Returns: the state and the sequence number of the last operation it includes.
    static func decode(_ bytes: [UInt8], path: String) throws(ConsoleStoreError) -> (ConsoleState, sequence: Int) {
        let document = try parse(bytes, path: path)
        return try reportingContent(path) {
            let fields = try JSONFields(document, at: .root)
            var state = try header(fields, path: path)
            let projects = try fields.objects("projects")
            state.reserveCapacity(projects: projects.count)
            for project in projects {
                let value = try ConsoleProject(project)
                if state.projectIdsByName[value.name] != nil || state.isTaken(value.id) || state.isTaken(value.workspace.id) {
                    throw JSONFields.Failure(pointer: project.pointer, message: "a second project with the same name or id")
                }
                state.apply(.putProject(value), encode: false)
            }
            let credentials = try fields.objects("credentials")
            state.reserveCapacity(credentials: credentials.count)
            for credential in credentials {
                let (value, secret) = try ConsoleCredential.decode(credential)
                if state.isTaken(value.id) || state.credential(inWorkspace: value.workspaceId) != nil {
                    throw JSONFields.Failure(pointer: credential.pointer, message: "a second credential with the same id or workspace")
                }
                state.apply(.putCredential(value, secret: secret), encode: false)
            }
            let registrations = try fields.objects("registrations")
            state.reserveCapacity(registrations: registrations.count)
            for registration in registrations {
                let value = try ConsoleRegistration(registration)
                if state.isTaken(value.id) || state.registrationIdsByWorkspace[value.workspaceId]?[value.name] != nil {
                    throw JSONFields.Failure(pointer: registration.pointer, message: "a second registration with the same id, or name in its workspace")
                }
                state.apply(.putRegistration(value), encode: false)
            }
            return (state, try fields.int("sequence"))
        }
    }

    /// The catalog alone, for a reader that needs nothing else (a plan that does not refresh):
    /// the whole file is parsed, and the format, organization and catalog checked, as
    /// `decode` does, but no project, credential or registration is decoded.
    static func decodeCatalog(_ bytes: [UInt8], path: String) throws(ConsoleStoreError) -> Catalog {
        let document = try parse(bytes, path: path)
        return try reportingContent(path) { try header(try JSONFields(document, at: .root), path: path).catalog }
    }

    /// The catalog from the header alone, as `encode` lays it out (the header members, then
    /// `"projects"` on a line of its own): the bytes before `,\n  "projects": [` closed with
    /// `}` are parsed and decoded as `decodeCatalog` would. `nil` when `prefix` does not
    /// reach the projects or the header cannot be read that way (a hand-edited file, damage):
    /// the caller then reads the whole file, which names any problem. Problems after the
    /// header are not looked for here; they are reported when the console is loaded.
    static func catalogFromHeader(_ prefix: [UInt8], path: String) -> Catalog? {
        let marker = Array(",\n  \"projects\": [".utf8)
        guard let end = firstIndex(of: marker, in: prefix) else { return nil }
        var header = Array(prefix[..<end])
        header += Array("\n}".utf8)
        return try? decodeCatalog(header, path: path)
    }

    private static func firstIndex(of marker: [UInt8], in bytes: [UInt8]) -> Int? {
        guard let first = marker.first, bytes.count >= marker.count else { return nil }
        var index = 0
        while index <= bytes.count - marker.count {
            if bytes[index] == first, bytes[index..<index + marker.count].elementsEqual(marker) { return index }
            index += 1
        }
        return nil
    }

    /// A state with the snapshot's organization and catalog, once its format is checked.
    private static func header(_ fields: JSONFields, path: String) throws -> ConsoleState {
        let format = (try? fields.string("format")) ?? "no format member"
        let version = (try? fields.int("version")) ?? 0
        guard format == Self.format, version == Self.version else {
            throw ConsoleStoreError.unsupportedFormat(path: path, found: "format \(format), version \(version)")
        }
        return ConsoleState(
            organization: try ConsoleOrganization(try fields.object("organization")),
            catalog: try Catalog(try fields.object("catalog")))
    }

    /// Runs `body`, turning what it finds wrong into the `ConsoleStoreError` that names the place.
    private static func reportingContent<T>(_ path: String, _ body: () throws -> T) throws(ConsoleStoreError) -> T {
        do {
            return try body()
        } catch let failure as JSONFields.Failure {
            throw .invalidContent(path: path, line: nil, pointer: failure.pointer, message: failure.message)
        } catch let error as ConsoleStoreError {
            throw error
        } catch {
            throw .invalidContent(path: path, line: nil, pointer: "", message: "unreadable")
        }
    }

    /// Parses the snapshot into a document to read from (no intermediate tree).
    /// - Throws: `.syntax` with the place `JSON.parse` names.
    static func parse(_ bytes: [UInt8], path: String) throws(ConsoleStoreError) -> JSONValueRef {
        do throws(JSONDocumentError) {
            return try JSONDocument.parse(bytes, file: path).root
        } catch {
            throw syntaxError(bytes[...], path: path, line: nil, parsed: error)
        }
    }

    /// The parser's message, less the text it would quote from the file: the console file
    /// holds client secrets, and a secret that lost its quotes (`"clientSecret": p8e-…`) or
    /// stands where a key should is exactly the text such a message quotes.
    static func withoutQuotedText(_ error: JSONSyntaxError) -> String {
        switch error.code {
        case JSONSyntaxCode.expectedValue where error.message.hasPrefix("'"):
            "a bare word is not a JSON value (a string without its quotes?)"
        case JSONSyntaxCode.expectedColon:
            "expected ':' after a key"
        default:
            error.message
        }
    }

    /// The `.syntax` error for bytes (a whole file, or one log line when `line` is given)
    /// that `JSONDocument.parse` refused, at the byte offset `JSON.parse` reports.
    static func syntaxError(_ bytes: ArraySlice<UInt8>, path: String, line lineNumber: Int?, parsed: JSONDocumentError) -> ConsoleStoreError {
        do throws(JSONSyntaxError) {
            _ = try JSON.parse(Array(bytes))
        } catch {
            let (line, column) = position(of: error.offset, in: bytes)
            return .syntax(
                path: path, line: lineNumber ?? line, column: column, offset: bytes.startIndex + error.offset,
                message: withoutQuotedText(error))
        }
        // Not reached: both parsers share one scanner.
        let location = parsed.diagnostics.first?.location
        return .syntax(
            path: path, line: lineNumber ?? location?.line ?? 1, column: location?.column ?? 1, offset: location?.offset ?? 0,
            message: parsed.diagnostics.first?.message ?? "not JSON")
    }

    /// 1-based line and column (in Unicode scalars) of a byte offset.
    static func position(of offset: Int, in bytes: ArraySlice<UInt8>) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var index = bytes.startIndex
        let end = min(bytes.startIndex + offset, bytes.endIndex)
        while index < end {
            let byte = bytes[index]
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            index += 1
        }
        return (line, column)
    }
}
