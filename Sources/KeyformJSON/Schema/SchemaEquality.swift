/// JSON Schema's notion of equal values, used by `enum`, `const` and `uniqueItems`.
///
/// It differs from `JSON`'s own `==` in two ways: numbers are equal by value (`1`, `1.0` and
/// `1e0` are the same number) and objects are unordered (`{"a":1,"b":2}` equals
/// `{"b":2,"a":1}`). `true` is never equal to `1`.
enum SchemaEquality {
    static func equal(_ a: JSON, _ b: JSON) -> Bool {
        switch (a, b) {
        case (.null, .null):
            return true
        case (.bool(let x), .bool(let y)):
            return x == y
        case (.string(let x), .string(let y)):
            return sameText(x, y)
        case (.number(let x), .number(let y)):
            return x.literal == y.literal || SchemaDecimal(x) == SchemaDecimal(y)
        case (.array(let x), .array(let y)):
            guard x.count == y.count else { return false }
            for (u, v) in zip(x, y) where !equal(u, v) { return false }
            return true
        case (.object(let x), .object(let y)):
            return objectsEqual(x, y)
        default:
            return false
        }
    }

    private static func objectsEqual(_ x: [JSONMember], _ y: [JSONMember]) -> Bool {
        guard x.count == y.count else { return false }
        // Same order is the common case; otherwise look each key up.
        var sameOrder = true
        for (u, v) in zip(x, y) where !sameText(u.key, v.key) {
            sameOrder = false
            break
        }
        if sameOrder {
            for (u, v) in zip(x, y) where !equal(u.value, v.value) { return false }
            return true
        }
        for member in x {
            guard let other = y.first(where: { sameText($0.key, member.key) }), equal(member.value, other.value) else {
                return false
            }
        }
        return true
    }

    /// Strings are equal when their code points are: unlike Swift's `==`, "é" (U+00E9) and
    /// "e\u{301}" are different strings in JSON.
    @inline(__always)
    static func sameText(_ a: String, _ b: String) -> Bool {
        // `==` rejects quickly (most comparisons are of different names); canonically
        // equivalent strings then still need the same bytes.
        guard a == b else { return false }
        return sameBytes(a, b)
    }

    private static func sameBytes(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        let compared = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in
                for position in 0..<x.count where x[position] != y[position] { return false }
                return true
            }
        }
        if let compared, let compared { return compared }
        return a.utf8.elementsEqual(b.utf8)
    }

    /// A hash consistent with `equal`: equal values hash alike.
    static func hash(_ value: JSON, into hasher: inout Hasher) {
        switch value {
        case .null:
            hasher.combine(0 as UInt8)
        case .bool(let b):
            hasher.combine(1 as UInt8)
            hasher.combine(b)
        case .number(let n):
            hasher.combine(2 as UInt8)
            hasher.combine(SchemaDecimal(n))
        case .string(let s):
            hasher.combine(3 as UInt8)
            hasher.combine(s)
        case .array(let elements):
            hasher.combine(4 as UInt8)
            hasher.combine(elements.count)
            for element in elements { hash(element, into: &hasher) }
        case .object(let members):
            hasher.combine(5 as UInt8)
            hasher.combine(members.count)
            // Order-independent: add up each member's own hash.
            var sum = 0
            for member in members {
                var inner = Hasher()
                inner.combine(member.key)
                hash(member.value, into: &inner)
                sum = sum &+ inner.finalize()
            }
            hasher.combine(sum)
        }
    }
}
