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
        let document: JSON
        do throws(JSONSyntaxError) {
            document = try JSON.parse(bytes)
        } catch {
            let (line, column) = position(of: error.offset, in: bytes[...])
            throw .syntax(path: path, line: line, column: column, offset: error.offset, message: error.message)
        }
        do {
            let fields = try JSONFields(document, at: "")
            let format = (try? fields.string("format")) ?? "no format member"
            let version = (try? fields.int("version")) ?? 0
            guard format == Self.format, version == Self.version else {
                throw ConsoleStoreError.unsupportedFormat(path: path, found: "format \(format), version \(version)")
            }
            var state = ConsoleState(
                organization: try ConsoleOrganization(try fields.object("organization")),
                catalog: try Catalog(try fields.object("catalog")))
            for project in try fields.objects("projects") {
                let value = try ConsoleProject(project)
                if state.projectIdsByName[value.name] != nil || state.isTaken(value.id) || state.isTaken(value.workspace.id) {
                    throw JSONFields.Failure(pointer: project.pointer, message: "a second project with the same name or id")
                }
                state.apply(.putProject(value), encode: false)
            }
            for credential in try fields.objects("credentials") {
                let (value, secret) = try ConsoleCredential.decode(credential)
                if state.isTaken(value.id) || state.credential(inWorkspace: value.workspaceId) != nil {
                    throw JSONFields.Failure(pointer: credential.pointer, message: "a second credential with the same id or workspace")
                }
                state.apply(.putCredential(value, secret: secret), encode: false)
            }
            for registration in try fields.objects("registrations") {
                let value = try ConsoleRegistration(registration)
                if state.isTaken(value.id) || state.registrationIdsByWorkspace[value.workspaceId]?[value.name] != nil {
                    throw JSONFields.Failure(pointer: registration.pointer, message: "a second registration with the same id, or name in its workspace")
                }
                state.apply(.putRegistration(value), encode: false)
            }
            return (state, try fields.int("sequence"))
        } catch let failure as JSONFields.Failure {
            throw .invalidContent(path: path, line: nil, pointer: failure.pointer, message: failure.message)
        } catch let error as ConsoleStoreError {
            throw error
        } catch {
            throw .invalidContent(path: path, line: nil, pointer: "", message: "unreadable")
        }
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
