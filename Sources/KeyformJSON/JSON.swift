/// An owned JSON value: what the parser's tree materializes into, and what Keyform builds
/// when it writes state, plans and configuration.
///
/// Objects keep their members in document order (and so may hold the same key twice: the
/// parser reports duplicates separately, and the writer reproduces what it was given).
/// Numbers keep their literal text, so nothing loses precision on a round trip.
public enum JSON: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSON])
    case object([JSONMember])
}

/// One member of a JSON object, in document order.
public struct JSONMember: Hashable, Sendable {
    public var key: String
    public var value: JSON

    public init(_ key: String, _ value: JSON) {
        self.key = key
        self.value = value
    }
}

/// A JSON number as written: the literal text is the value; `double` and `int` read it.
public struct JSONNumber: Hashable, Sendable, CustomStringConvertible {
    /// The number's literal text, e.g. `-1.50e3`. Always a valid RFC 8259 number.
    public let literal: String

    /// Wraps a literal the caller guarantees to be a valid RFC 8259 number.
    public init(literal: String) {
        self.literal = literal
    }

    public init(_ value: Int) {
        self.literal = String(value)
    }

    /// A finite double written in its shortest round-tripping form (`1.0` is written `1`).
    public init(_ value: Double) {
        precondition(value.isFinite, "JSON has no literal for \(value)")
        if value == value.rounded(), abs(value) < 1e15 {
            self.literal = String(Int64(value))
        } else {
            self.literal = "\(value)"
        }
    }

    public var double: Double { Double(literal) ?? .nan }

    /// The value as an `Int` when the literal is an integer that fits (no fraction, no exponent).
    public var int: Int? { Int(literal) }

    public var description: String { literal }
}

extension JSON {
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var numberValue: JSONNumber? {
        if case .number(let n) = self { return n }
        return nil
    }

    public var arrayValue: [JSON]? {
        if case .array(let a) = self { return a }
        return nil
    }

    public var objectValue: [JSONMember]? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The first member named `key`, when this is an object.
    public subscript(key: String) -> JSON? {
        guard case .object(let members) = self else { return nil }
        return members.first(where: { $0.key == key })?.value
    }

    public static func number(_ value: Int) -> JSON { .number(JSONNumber(value)) }
}

extension JSON: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByArrayLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }
    public init(nilLiteral: ()) { self = .null }
}
