import KeyformJSON

/// Reads the members of one JSON object of a console file, naming the place of anything
/// missing or mistyped by a JSON Pointer — without ever quoting a value.
///
/// Reads straight from a parsed document (`JSONValueRef`), so loading a console builds no
/// intermediate tree, and the pointer of an object is spelled out only when a failure names it.
struct JSONFields {
    /// What was wrong, and where.
    struct Failure: Error {
        var pointer: String
        var message: String
    }

    /// Where an object is: turned into a JSON Pointer only when a failure is reported.
    indirect enum Place {
        case root
        case member(Place, String)
        case element(Place, String, Int)

        var pointer: String {
            switch self {
            case .root: ""
            case .member(let parent, let key): "\(parent.pointer)/\(key)"
            case .element(let parent, let key, let index): "\(parent.pointer)/\(key)/\(index)"
            }
        }
    }

    /// The members, keys decoded once, in document order.
    private let members: [(key: String, value: JSONValueRef)]
    let place: Place

    var pointer: String { place.pointer }

    init(_ value: JSONValueRef, at place: Place) throws(Failure) {
        guard value.kind == .object else { throw Failure(pointer: place.pointer, message: "expected an object") }
        let refs = value.members
        var members: [(key: String, value: JSONValueRef)] = []
        members.reserveCapacity(refs.count)
        for member in refs { members.append((member.key, member.value)) }
        self.members = members
        self.place = place
    }

    /// Whether the object has a member named `key`.
    func has(_ key: String) -> Bool {
        members.contains { $0.key == key }
    }

    func value(_ key: String) throws(Failure) -> JSONValueRef {
        for member in members where member.key == key { return member.value }
        throw Failure(pointer: pointer, message: "missing member '\(key)'")
    }

    func string(_ key: String) throws(Failure) -> String {
        guard let text = try value(key).stringValue else { throw mistyped(key, "a string") }
        return text
    }

    func bool(_ key: String) throws(Failure) -> Bool {
        guard let flag = try value(key).boolValue else { throw mistyped(key, "true or false") }
        return flag
    }

    func int(_ key: String) throws(Failure) -> Int {
        guard let number = try value(key).numberValue, let int = number.int else { throw mistyped(key, "an integer") }
        return int
    }

    func strings(_ key: String) throws(Failure) -> [String] {
        let array = try value(key)
        guard array.kind == .array else { throw mistyped(key, "an array of strings") }
        let items = array.elements
        var result: [String] = []
        result.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            guard let text = item.stringValue else {
                throw Failure(pointer: "\(pointer)/\(key)/\(index)", message: "expected a string")
            }
            result.append(text)
        }
        return result
    }

    func object(_ key: String) throws(Failure) -> JSONFields {
        try JSONFields(try value(key), at: .member(place, key))
    }

    func objects(_ key: String) throws(Failure) -> [JSONFields] {
        let array = try value(key)
        guard array.kind == .array else { throw mistyped(key, "an array of objects") }
        let items = array.elements
        var result: [JSONFields] = []
        result.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            result.append(try JSONFields(item, at: .element(place, key, index)))
        }
        return result
    }

    private func mistyped(_ key: String, _ expected: String) -> Failure {
        Failure(pointer: "\(pointer)/\(key)", message: "expected \(expected)")
    }
}
