/// Every URI a schema document gives its parts, found before compiling so that a `$ref` can
/// name a schema that appears later in the document.
///
/// For `{"$id": "http://x.test/root", "$defs": {"a": {"$id": "a.json", "$anchor": "top"}}}` it
/// records the resources `http://x.test/root` → `[]` and `http://x.test/a.json` →
/// `["$defs", "a"]`, the anchor `http://x.test/a.json#top` → `["$defs", "a"]`, and the base URI
/// of every subschema location (which a `$ref` found there is resolved against).
struct SchemaResourceIndex {
    /// Resource URI (no fragment) → location of its root.
    private(set) var resources: [String: [String]] = [:]
    /// `resource#anchor` → location.
    private(set) var anchors: [String: [String]] = [:]
    /// JSON Pointer of a subschema → its base URI.
    private(set) var bases: [String: SchemaURI] = [:]

    /// Keywords whose value is one subschema.
    static let singleSubschema: Set<String> = [
        "additionalProperties", "propertyNames", "items", "contains", "not", "if", "then", "else",
        "unevaluatedProperties", "unevaluatedItems", "additionalItems", "contentSchema",
    ]
    /// Keywords whose value is an array of subschemas.
    static let subschemaArrays: Set<String> = ["allOf", "anyOf", "oneOf", "prefixItems"]
    /// Keywords whose value is an object of subschemas.
    static let subschemaMaps: Set<String> = ["$defs", "definitions", "properties", "patternProperties", "dependentSchemas"]

    init(root: JSON) {
        let base = SchemaURI(parsing: "")
        resources[base.description] = []
        scan(root, at: [], base: base)
    }

    private mutating func scan(_ schema: JSON, at location: [String], base: SchemaURI) {
        guard case .object(let members) = schema else {
            bases[SchemaViolation.pointer(location)] = base
            return
        }
        var base = base
        if case .string(let id)? = schema["$id"] {
            base = base.resolving(SchemaURI(parsing: id)).withoutFragment
            resources[base.description] = location
        }
        bases[SchemaViolation.pointer(location)] = base
        if case .string(let anchor)? = schema["$anchor"] {
            anchors[base.description + "#" + anchor] = location
        }
        for member in members {
            if Self.singleSubschema.contains(member.key) {
                scan(member.value, at: location + [member.key], base: base)
            } else if Self.subschemaArrays.contains(member.key), case .array(let elements) = member.value {
                for (index, element) in elements.enumerated() {
                    scan(element, at: location + [member.key, String(index)], base: base)
                }
            } else if Self.subschemaMaps.contains(member.key), case .object(let entries) = member.value {
                for entry in entries {
                    scan(entry.value, at: location + [member.key, entry.key], base: base)
                }
            }
        }
    }

    /// The location a reference found at `base` points to, or `nil` when nothing in the
    /// document has that URI.
    func resolve(_ reference: String, against base: SchemaURI) -> [String]? {
        let target = base.resolving(SchemaURI(parsing: reference))
        guard let resource = resources[target.withoutFragment.description] else { return nil }
        guard let fragment = target.fragment, !fragment.isEmpty else { return resource }
        if fragment.hasPrefix("/") {
            guard let decoded = Self.percentDecoded(fragment) else { return nil }
            let tokens = decoded.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
            return resource + tokens.map(Self.unescapedToken)
        }
        return anchors[target.withoutFragment.description + "#" + fragment]
    }

    /// The base URI in effect at a location (the nearest enclosing `$id`).
    func base(at location: [String]) -> SchemaURI? {
        bases[SchemaViolation.pointer(location)]
    }

    /// Undoes RFC 6901 escaping: `~1` is `/`, `~0` is `~`.
    static func unescapedToken(_ token: Substring) -> String {
        guard token.contains("~") else { return String(token) }
        var result = ""
        var escaping = false
        for character in token {
            if escaping {
                result.append(character == "1" ? "/" : character == "0" ? "~" : character)
                escaping = false
            } else if character == "~" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// Decodes `%XX` escapes (a URI fragment carries its JSON Pointer percent-encoded).
    static func percentDecoded(_ text: String) -> String? {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
