import KeyformJSON

/// Reads the members of one JSON object of a console file, naming the place of anything
/// missing or mistyped by a JSON Pointer — without ever quoting a value.
struct JSONFields {
    /// What was wrong, and where.
    struct Failure: Error {
        var pointer: String
        var message: String
    }

    let members: [JSONMember]
    let pointer: String

    init(_ value: JSON, at pointer: String) throws(Failure) {
        guard case .object(let members) = value else { throw Failure(pointer: pointer, message: "expected an object") }
        self.members = members
        self.pointer = pointer
    }

    func value(_ key: String) throws(Failure) -> JSON {
        guard let member = members.first(where: { $0.key == key }) else {
            throw Failure(pointer: pointer, message: "missing member '\(key)'")
        }
        return member.value
    }

    func string(_ key: String) throws(Failure) -> String {
        guard case .string(let text) = try value(key) else { throw mistyped(key, "a string") }
        return text
    }

    func bool(_ key: String) throws(Failure) -> Bool {
        guard case .bool(let flag) = try value(key) else { throw mistyped(key, "true or false") }
        return flag
    }

    func int(_ key: String) throws(Failure) -> Int {
        guard case .number(let number) = try value(key), let int = number.int else { throw mistyped(key, "an integer") }
        return int
    }

    func strings(_ key: String) throws(Failure) -> [String] {
        guard case .array(let items) = try value(key) else { throw mistyped(key, "an array of strings") }
        var result: [String] = []
        result.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            guard case .string(let text) = item else {
                throw Failure(pointer: "\(pointer)/\(key)/\(index)", message: "expected a string")
            }
            result.append(text)
        }
        return result
    }

    func object(_ key: String) throws(Failure) -> JSONFields {
        try JSONFields(try value(key), at: "\(pointer)/\(key)")
    }

    func objects(_ key: String) throws(Failure) -> [JSONFields] {
        guard case .array(let items) = try value(key) else { throw mistyped(key, "an array of objects") }
        var result: [JSONFields] = []
        result.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            result.append(try JSONFields(item, at: "\(pointer)/\(key)/\(index)"))
        }
        return result
    }

    private func mistyped(_ key: String, _ expected: String) -> Failure {
        Failure(pointer: "\(pointer)/\(key)", message: "expected \(expected)")
    }
}
