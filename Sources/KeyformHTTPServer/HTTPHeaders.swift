/// Header fields in the order they arrived (or were added), looked up by name without regard
/// to ASCII case, as RFC 9110 §5.1 requires.
///
///     var headers: HTTPHeaders = ["Content-Type": "application/json"]
///     headers["content-type"]          // "application/json"
///     headers.add("Vary", "Accept")    // keeps earlier "Vary" fields
///     headers.set("Vary", "Origin")    // replaces every "Vary" field
public struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    /// One header field: its name as written, and its value without surrounding whitespace.
    public struct Field: Sendable, Equatable {
        /// The field name, with the case it was written in.
        public var name: String
        /// The field value.
        public var value: String

        /// Creates a field.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Every field, in order.
    public private(set) var fields: [Field]

    /// Creates headers from fields, in order.
    public init(_ fields: [Field] = []) {
        self.fields = fields
    }

    /// Creates headers from `(name, value)` pairs, in order.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.fields = elements.map { Field(name: $0.0, value: $0.1) }
    }

    /// The value of the first field named `name` (any case), or `nil`.
    public subscript(name: String) -> String? {
        fields.first { Self.namesMatch($0.name, name) }?.value
    }

    /// The values of every field named `name` (any case), in order.
    public func values(for name: String) -> [String] {
        fields.filter { Self.namesMatch($0.name, name) }.map(\.value)
    }

    /// Whether a field named `name` (any case) is present.
    public func contains(_ name: String) -> Bool {
        fields.contains { Self.namesMatch($0.name, name) }
    }

    /// The number of fields.
    public var count: Int { fields.count }

    /// Appends a field, keeping any earlier field of the same name.
    public mutating func add(_ name: String, _ value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Replaces every field named `name` (any case) by one field with `value`, at the position
    /// of the first one (or at the end).
    public mutating func set(_ name: String, _ value: String) {
        if let first = fields.firstIndex(where: { Self.namesMatch($0.name, name) }) {
            fields[first] = Field(name: name, value: value)
            var index = fields.count - 1
            while index > first {
                if Self.namesMatch(fields[index].name, name) { fields.remove(at: index) }
                index -= 1
            }
        } else {
            add(name, value)
        }
    }

    /// Removes every field named `name` (any case).
    public mutating func remove(_ name: String) {
        fields.removeAll { Self.namesMatch($0.name, name) }
    }

    /// Iterates the fields in order.
    public func makeIterator() -> IndexingIterator<[Field]> {
        fields.makeIterator()
    }

    /// Whether two field names are equal ignoring ASCII case (field names are ASCII tokens).
    static func namesMatch(_ left: String, _ right: String) -> Bool {
        var l = left.utf8.makeIterator()
        var r = right.utf8.makeIterator()
        while true {
            switch (l.next(), r.next()) {
            case (nil, nil):
                return true
            case let (a?, b?):
                if a != b && ASCII.lowercased(a) != ASCII.lowercased(b) { return false }
            default:
                return false
            }
        }
    }
}
