import KeyformJSON

/// Reads a JSON value with its JSON Pointer, throwing `PlanFileError`s that name the place.
struct PlanFileReader {
    let value: JSON
    let pointer: String

    init(_ value: JSON, pointer: String = "") {
        self.value = value
        self.pointer = pointer
    }

    /// The member `key`; throws when absent.
    func member(_ key: String) throws(PlanFileError) -> PlanFileReader {
        guard case .object(let members) = value else { throw .wrongType(pointer: displayPointer, expected: "an object") }
        guard let found = members.first(where: { $0.key == key }) else { throw .missing(pointer: child(key)) }
        return PlanFileReader(found.value, pointer: child(key))
    }

    /// The member `key`, or `nil` when it is absent or `null`.
    func optionalMember(_ key: String) throws(PlanFileError) -> PlanFileReader? {
        guard case .object(let members) = value else { throw .wrongType(pointer: displayPointer, expected: "an object") }
        guard let found = members.first(where: { $0.key == key }), found.value != .null else { return nil }
        return PlanFileReader(found.value, pointer: child(key))
    }

    /// Throws for the first member not in `allowed`: the format has no other, and a member
    /// added by hand (`"allowDelete": true`) must not look as if it did something.
    /// - Parameter orNull: whether `null` is accepted instead of an object.
    func onlyMembers(_ allowed: Set<String>, orNull: Bool = false) throws(PlanFileError) {
        if orNull, value == .null { return }
        guard case .object(let members) = value else {
            throw .wrongType(pointer: displayPointer, expected: orNull ? "an object or null" : "an object")
        }
        for member in members where !allowed.contains(member.key) {
            throw .invalidValue(pointer: child(member.key), problem: "unknown member: a Keyform plan has no \(JSON.string(member.key).compactText()) here")
        }
    }

    func string() throws(PlanFileError) -> String {
        guard case .string(let s) = value else { throw .wrongType(pointer: displayPointer, expected: "a string") }
        return s
    }

    func bool() throws(PlanFileError) -> Bool {
        guard case .bool(let b) = value else { throw .wrongType(pointer: displayPointer, expected: "true or false") }
        return b
    }

    func int() throws(PlanFileError) -> Int {
        guard case .number(let n) = value, let i = n.int else { throw .wrongType(pointer: displayPointer, expected: "an integer") }
        return i
    }

    func array() throws(PlanFileError) -> [PlanFileReader] {
        guard case .array(let items) = value else { throw .wrongType(pointer: displayPointer, expected: "an array") }
        return items.enumerated().map { PlanFileReader($0.element, pointer: pointer + "/\($0.offset)") }
    }

    func strings() throws(PlanFileError) -> [String] {
        var out: [String] = []
        for item in try array() { out.append(try item.string()) }
        return out
    }

    /// A string that must be one of `T`'s raw values; the error suggests the closest.
    func enumeration<T: RawRepresentable & CaseIterable>(_ type: T.Type) throws(PlanFileError) -> T where T.RawValue == String {
        let raw = try string()
        if let value = T(rawValue: raw) { return value }
        let names = T.allCases.map(\.rawValue)
        var problem = "'\(raw)' is not one of \(names.map { "'\($0)'" }.joined(separator: ", "))"
        if let closest = Suggestion.closest(to: raw, among: names) { problem += "; did you mean '\(closest)'?" }
        throw .invalidValue(pointer: displayPointer, problem: problem)
    }

    /// The pointer as shown in messages (`/` for the whole document).
    var displayPointer: String { pointer.isEmpty ? "/" : pointer }

    private func child(_ key: String) -> String {
        var escaped = ""
        for character in key {
            switch character {
            case "~": escaped += "~0"
            case "/": escaped += "~1"
            default: escaped.append(character)
            }
        }
        return pointer + "/" + escaped
    }
}
