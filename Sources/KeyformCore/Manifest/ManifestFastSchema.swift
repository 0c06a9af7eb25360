import KeyformJSON

/// The manifest schema (`schemas/manifest.schema.json`) read into the plain checks
/// `ManifestFastCheck` makes while it reads a file once: for each of the three object shapes
/// (the file, an integration, an event registration) its properties, required members and
/// conditionals, and for each property the constraints on its value.
///
/// It is made from the same schema file as the full validator, so that file stays the single
/// source of truth. It understands only the keywords the manifest schema uses, in the places
/// it uses them: a schema with anything else (a new keyword, a `oneOf`, a nested object where
/// there was none) compiles to `nil`, and every file then takes the full path, which gives the
/// same findings more slowly. A test holds the embedded schema to compiling.
final class ManifestFastSchema: @unchecked Sendable {
    /// Constraints on a string. Lengths count Unicode scalars, as JSON Schema does.
    struct StringRule {
        var minLength = 0
        var maxLength = Int.max
        /// Index into `patterns`, or -1.
        var pattern = -1
        /// From `enum` or `const`: the values allowed, in `allowed`; nil when any is.
        var allowed: Range<Int>?
    }

    /// A pattern as plain values, for ASCII strings: a class run (`^[…]{m,n}$`) or an
    /// automaton (see `ECMAPattern.asciiClassRun` and `asciiAutomaton`). Anything else, and
    /// every non-ASCII string, is matched by the `ECMAPattern` itself.
    struct Pattern {
        /// For a class run: 1 for each ASCII byte in the class, else 0.
        var members: UnsafeMutablePointer<UInt8>?
        var minimum = 0, maximum = -1
        var transitions: UnsafeMutablePointer<UInt16>?
        var matchesAtEnd: UnsafeMutablePointer<Bool>?
        var matched = 0, dead = -1

        init(_ pattern: ECMAPattern) {
            if let run = pattern.asciiClassRun {
                (minimum, maximum) = (run.minimum, run.maximum)
                members = .allocate(capacity: 128)
                for byte in 0..<128 {
                    members![byte] = (byte < 64 ? run.low >> UInt64(byte) : run.high >> UInt64(byte - 64)) & 1 == 1 ? 1 : 0
                }
            } else if let automaton = pattern.asciiAutomaton {
                transitions = .allocate(capacity: automaton.transitions.count)
                transitions!.initialize(from: automaton.transitions, count: automaton.transitions.count)
                matchesAtEnd = .allocate(capacity: automaton.matchesAtEnd.count)
                matchesAtEnd!.initialize(from: automaton.matchesAtEnd, count: automaton.matchesAtEnd.count)
                (matched, dead) = (automaton.matched, automaton.dead)
            }
        }

        /// Whether the pattern matches the ASCII `text`; nil when it must be asked of the `ECMAPattern`.
        @inline(__always)
        func matches(ascii text: UnsafeBufferPointer<UInt8>) -> Bool? {
            if let members {
                guard text.count >= minimum, maximum < 0 || text.count <= maximum else { return false }
                var inClass: UInt8 = 1
                for byte in text { inClass &= members[Int(byte)] }
                return inClass != 0
            }
            guard let transitions, let matchesAtEnd else { return nil }
            if matched == 0 { return true }
            var state = 0
            for byte in text {
                state = Int(transitions[state &<< 7 | Int(byte)])
                if state == matched { return true }
                if state == dead { return false }
            }
            return matchesAtEnd[state]
        }
    }

    /// A string of at most 16 bytes as its length and two words (bytes 0–7 and 8–15,
    /// zero-padded), so that names compare as integers. (KeyformJSON's `PackedName` is the
    /// same idea for the tape validator, but its calls are not inlined across the module
    /// boundary, which cost this checker 6% of its time.)
    struct ShortName: Equatable {
        var count: Int
        var low: UInt64
        var high: UInt64

        /// Nil for more than 16 bytes.
        @inline(__always)
        init?(_ utf8: UnsafeBufferPointer<UInt8>) {
            guard utf8.count <= 16 else { return nil }
            count = utf8.count
            low = 0
            high = 0
            for k in 0..<utf8.count {
                if k < 8 { low |= UInt64(utf8[k]) << UInt64(8 * k) } else { high |= UInt64(utf8[k]) << UInt64(8 * (k - 8)) }
            }
        }

        /// From the 16 bytes that start with the string's `count` (at most 16): the bytes
        /// after it are masked off.
        @inline(__always)
        init(count: Int, wordsMasked low: UInt64, _ high: UInt64) {
            let lowMask: UInt64 = count >= 8 ? ~0 : (1 << UInt64(8 * count)) - 1
            let highMask: UInt64 = count <= 8 ? 0 : count >= 16 ? ~0 : (1 << UInt64(8 * (count - 8))) - 1
            (self.count, self.low, self.high) = (count, low & lowMask, high & highMask)
        }
    }

    struct ArrayRule {
        var minItems = 0
        var maxItems = Int.max
        var uniqueItems = false
    }

    /// A property's value; string rules are indices into `rules`.
    enum Value {
        case string(Int)
        case boolean
        case strings(ArrayRule, Int)
        /// An array of the object shape `objects[index]`.
        case objects(ArrayRule, Int)
    }

    struct Property {
        var name: ShortName
        var value: Value
        /// Index into `keys`.
        var key: Int
    }

    /// `if` one property's value is one of `values` (and present), `then` these members are
    /// required and these are forbidden (`"name": false`). Masks are over property numbers.
    struct Conditional {
        var property: Int
        var values: Range<Int>
        var requires: UInt32
        var forbids: UInt32
    }

    /// An object shape: its properties (numbered from 0 in this range of `properties`).
    struct Object {
        var properties: Range<Int>
        var required: UInt32
        var conditionals: Range<Int>
        /// Where this shape's 64 slots start in `slots`.
        var slots = 0
    }

    /// Per shape, 64 slots of property numbers (-1: empty) by `slot(of:)` of the name, with
    /// linear probing: a key is found with one comparison, not one per property.
    let slots: UnsafeMutableBufferPointer<Int8>

    @inline(__always)
    static func slot(of name: ShortName, mask: Int = 63) -> Int {
        let mixed = (name.low ^ (name.high &* 31) ^ UInt64(truncatingIfNeeded: name.count)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed >> 40) & mask
    }

    // Plain values in buffers made once (the schema lives as long as the program), so that
    // reading them costs no reference counting.
    /// The file's shape is `objects[0]`; the others are reached through `Value.objects`.
    let objects: UnsafeMutableBufferPointer<Object>
    let properties: UnsafeMutableBufferPointer<Property>
    let rules: UnsafeMutableBufferPointer<StringRule>
    let allowed: UnsafeMutableBufferPointer<ShortName>
    let conditionals: UnsafeMutableBufferPointer<Conditional>
    let patterns: UnsafeMutableBufferPointer<ECMAPattern>
    /// `patterns` as plain values (their buffers are never freed: the schema is made once).
    let fastPatterns: UnsafeMutableBufferPointer<Pattern>
    /// Each property's name, for the secret check's field.
    let keys: [String]

    /// The fast checks of the embedded manifest schema, or nil when it uses anything they
    /// do not cover.
    static let embedded: ManifestFastSchema? = {
        guard let schema = try? JSON.parse(EmbeddedSchemas.manifest) else { return nil }
        return ManifestFastSchema(schema)
    }()

    /// Reads `schema`; nil when it uses a keyword, or a shape, the fast checks do not cover.
    init?(_ schema: JSON) {
        var builder = Builder(root: schema)
        guard builder.object(schema) == 0, !builder.failed else { return nil }
        func buffer<T>(_ array: [T]) -> UnsafeMutableBufferPointer<T> {
            let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: max(array.count, 1))
            _ = buffer.initialize(from: array)
            return buffer
        }
        objects = buffer(builder.objects)
        properties = buffer(builder.properties)
        rules = buffer(builder.rules)
        allowed = buffer(builder.allowed)
        conditionals = buffer(builder.conditionals)
        patterns = buffer(builder.patterns)
        fastPatterns = buffer(builder.patterns.map(Pattern.init))
        keys = builder.keys
        var table = [Int8](repeating: -1, count: 64 * builder.objects.count)
        for (number, object) in builder.objects.enumerated() {
            objects[number].slots = 64 * number
            for index in object.properties {
                var slot = Self.slot(of: builder.properties[index].name)
                while table[64 * number + slot] >= 0 { slot = (slot + 1) & 63 }
                table[64 * number + slot] = Int8(index - object.properties.lowerBound)
            }
        }
        slots = buffer(table)
        counts = (builder.objects.count, builder.properties.count, builder.rules.count, builder.allowed.count,
            builder.conditionals.count, builder.patterns.count)
    }

    private let counts: (Int, Int, Int, Int, Int, Int)

    deinit {
        objects.baseAddress!.deinitialize(count: counts.0)
        properties.baseAddress!.deinitialize(count: counts.1)
        rules.baseAddress!.deinitialize(count: counts.2)
        allowed.baseAddress!.deinitialize(count: counts.3)
        conditionals.baseAddress!.deinitialize(count: counts.4)
        patterns.baseAddress!.deinitialize(count: counts.5)
        objects.deallocate()
        properties.deallocate()
        rules.deallocate()
        allowed.deallocate()
        conditionals.deallocate()
        patterns.deallocate()
        fastPatterns.deallocate()
        slots.deallocate()
    }

    /// The property `number` of `shape`.
    @inline(__always)
    func property(_ number: Int, of shape: Object) -> Property { properties[shape.properties.lowerBound + number] }

    /// The number of the property of `shape` named `key` (for setting up), or nil.
    func number(of key: String, in shape: Object) -> Int? {
        shape.properties.firstIndex { keys[properties[$0].key] == key }.map { $0 - shape.properties.lowerBound }
    }
}
