/// The six kinds of JSON value.
public enum JSONKind: String, Sendable, Hashable, CaseIterable {
    case null, bool, number, string, array, object
}

/// A cheap handle to one value of a parsed `JSONDocument`: a reference to the document's
/// immutable tape and an index into it. Reading it decodes only what is asked for.
public struct JSONValueRef: Sendable, Hashable {
    let tape: JSONTape
    let index: Int

    public static func == (lhs: JSONValueRef, rhs: JSONValueRef) -> Bool {
        lhs.tape === rhs.tape && lhs.index == rhs.index
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(tape))
        hasher.combine(index)
    }

    /// Which of the six kinds of value this is.
    public var kind: JSONKind {
        switch tape.kind(index) {
        case .null, .end: .null
        case .true, .false: .bool
        case .number: .number
        case .string, .escapedString: .string
        case .array: .array
        case .object: .object
        }
    }

    /// Whether this is `null`.
    public var isNull: Bool { tape.kind(index) == .null }

    /// The boolean, when this is `true` or `false`.
    public var boolValue: Bool? {
        switch tape.kind(index) {
        case .true: true
        case .false: false
        default: nil
        }
    }

    /// The decoded string, when this is a string.
    public var stringValue: String? {
        kind == .string ? tape.string(index) : nil
    }

    /// The number with its literal text, when this is a number.
    public var numberValue: JSONNumber? {
        guard tape.kind(index) == .number else { return nil }
        let range = tape.byteRange(index)
        return JSONNumber(literal: String(decoding: tape.bytes[range], as: UTF8.self))
    }

    /// The elements, in order; empty when this is not an array.
    public var elements: [JSONValueRef] {
        guard tape.kind(index) == .array else { return [] }
        var result: [JSONValueRef] = []
        var k = index + 1
        let end = tape.payload(index) - 1
        while k < end {
            result.append(JSONValueRef(tape: tape, index: k))
            k = tape.after(k)
        }
        return result
    }

    /// The members, in document order (repeated keys included); empty when this is not an object.
    public var members: [JSONMemberRef] {
        guard tape.kind(index) == .object else { return [] }
        var result: [JSONMemberRef] = []
        var k = index + 1
        let end = tape.payload(index) - 1
        while k < end {
            result.append(JSONMemberRef(tape: tape, keyIndex: k))
            k = tape.after(k + 1)
        }
        return result
    }

    /// The number of elements or members; 0 for other kinds.
    public var count: Int {
        let kind = tape.kind(index)
        return kind == .array || kind == .object ? tape.childCount(index) : 0
    }

    /// The value of the first member named `key` (compared scalar by scalar), when this is an object.
    public subscript(key: String) -> JSONValueRef? {
        guard tape.kind(index) == .object else { return nil }
        let utf8 = Array(key.utf8)
        var k = index + 1
        let end = tape.payload(index) - 1
        while k < end {
            if tape.stringEquals(k, utf8) { return JSONValueRef(tape: tape, index: k + 1) }
            k = tape.after(k + 1)
        }
        return nil
    }

    /// The element at `position`, when this is an array that long.
    public subscript(position: Int) -> JSONValueRef? {
        guard tape.kind(index) == .array, position >= 0, let element = tape.element(position, ofArray: index) else { return nil }
        return JSONValueRef(tape: tape, index: element)
    }

    /// The child a JSON Pointer reference token names: a member by key, or an element by
    /// decimal index (no leading zeros, no '-').
    func child(_ token: String) -> JSONValueRef? {
        switch tape.kind(index) {
        case .object:
            return self[token]
        case .array:
            let utf8 = token.utf8
            guard let first = utf8.first, utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), first != 0x30 || utf8.count == 1,
                let position = Int(token)
            else { return nil }
            return self[position]
        default:
            return nil
        }
    }

    /// The bytes of the value in the input, from its first byte to its last.
    public var byteRange: Range<Int> { tape.byteRange(index) }

    /// The value as an owned `JSON` tree.
    public var json: JSON { tape.materialize(index) }
}

/// One member of an object in a parsed document: its key and value.
public struct JSONMemberRef: Sendable, Hashable {
    let tape: JSONTape
    let keyIndex: Int

    public static func == (lhs: JSONMemberRef, rhs: JSONMemberRef) -> Bool {
        lhs.tape === rhs.tape && lhs.keyIndex == rhs.keyIndex
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(tape))
        hasher.combine(keyIndex)
    }

    /// The decoded key.
    public var key: String { tape.string(keyIndex) }

    /// The member's value.
    public var value: JSONValueRef { JSONValueRef(tape: tape, index: keyIndex + 1) }

    /// The bytes of the key's string token, quotes included.
    public var keyRange: Range<Int> { tape.byteRange(keyIndex) }
}

extension JSONTape {
    /// The number of elements (or members) of the container at `index`.
    func childCount(_ index: Int) -> Int {
        let isObject = kind(index) == .object
        var n = 0
        var k = index + 1
        let end = payload(index) - 1
        while k < end {
            n += 1
            k = after(isObject ? k + 1 : k)
        }
        return n
    }

    /// The owned `JSON` tree of the value at `index` (recursion is bounded by the depth limit).
    func materialize(_ index: Int) -> JSON {
        switch kind(index) {
        case .null, .end: return .null
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .number: return .number(JSONNumber(literal: String(decoding: bytes[byteRange(index)], as: UTF8.self)))
        case .string, .escapedString: return .string(string(index))
        case .array:
            var elements: [JSON] = []
            elements.reserveCapacity(childCount(index))
            var k = index + 1
            let end = payload(index) - 1
            while k < end {
                elements.append(materialize(k))
                k = after(k)
            }
            return .array(elements)
        case .object:
            var members: [JSONMember] = []
            members.reserveCapacity(childCount(index))
            var k = index + 1
            let end = payload(index) - 1
            while k < end {
                members.append(JSONMember(string(k), materialize(k + 1)))
                k = after(k + 1)
            }
            return .object(members)
        }
    }
}
