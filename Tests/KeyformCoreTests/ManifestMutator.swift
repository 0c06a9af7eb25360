import Foundation
import KeyformCore
import KeyformJSON
import KeyformTestSupport

/// Makes mutants of manifests: edits of the tree (values, keys, members, integrations) and of
/// the bytes written from it, each written down in `log`.
struct ManifestMutator {
    var random: SeededGenerator
    var log: [String] = []

    /// The variables the mutants may name: values that change a string's length, words,
    /// scheme, script or secrecy once substituted.
    static let environment = [
        "HOOKS_HOST": "hooks.example.com", "EMPTY": "", "SPACE": "two words", "SECRET": "p8e-Ab3dEf6hIj9kLm2nOp5qRs8t",
        "ZURICH": "Z\u{fc}rich", "HALF": String(repeating: "a ", count: 250), "QUOTE": "say \"hi\" \\ now", "NESTED": "${env:HOOKS_HOST}",
    ]

    /// A valid manifest written by hand, with simple escapes, substitutions and non-ASCII text,
    /// mutated as bytes only.
    static let escapedManifest = #"""
        {"integrations": [
          {"name": "escapedsync", "title": "Escaped Sync", "description": "Text with \"quotes\", a tab\tand a slash \/ in it.",
           "type": "oauth", "redirectUris": ["https://${env:HOOKS_HOST}/cb", "http:\/\/localhost:8080/cb"], "services": ["StockSDK"],
           "events": [{"name": "hooks", "provider": "aem", "eventCodes": ["asset_published", "asset_processing_completed"],
                       "webhookUrl": "https://${env:HOOKS_HOST}/adobe/hooks"}]},
          {"name": "unicodedesk", "title": "Unicode Desk", "description": "Café crème reports for the Zürich office, ${env:SPACE}.",
           "type": "apiKey", "allowedDomains": ["localhost:3000", "*.example.com"], "protected": false}
        ]}
        """#

    static let bytes: [UInt8] = Array(#""\${}[],: "#.utf8) + [0x0A] + Array("0aZ-.".utf8) + [0x00, 0x1F, 0x7F, 0xC3, 0xE9, 0xFF]
        + [0x09, 0x0B, 0x0C, 0x0D, 0x80, 0xA0, 0xC0, 0xED, 0xF4, 0xF5] + Array("tfn/ub8eJ".utf8)

    /// UTF-8 sequences to put inside strings: valid ones (white space by Unicode or not) and
    /// ill-formed ones (overlong, surrogates, above U+10FFFF, truncated, stray continuation).
    static let sequences: [[UInt8]] = [
        [0xC3, 0xA9], [0xC2, 0xA0], [0xC2, 0x85], [0xE2, 0x80, 0xA8], [0xE3, 0x80, 0x80], [0xE2, 0x80, 0x8B], [0xEF, 0xBB, 0xBF],
        [0xEF, 0xBF, 0xBF], [0xF0, 0x9F, 0x98, 0x80], [0xF4, 0x8F, 0xBF, 0xBF], [0xC0, 0xAF], [0xC1, 0xBF], [0xE0, 0x80, 0xAF],
        [0xED, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xF0, 0x80, 0x80, 0xAF], [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80],
        [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0x80], [0xBF, 0xBF],
    ]

    static let strings: [String] = [
        "test", "My Test App", "demo", "x", "", "http://insecure.example.com/hook", "https://localhost/hook",
        "p8e-Ab3dEf6hIj9kLm2nOp5qRs8t", "Bearer abcdefghijklmnopqrstuvwxyz", "aZ3kQ9xW2mT7vB4nR8pL1sD6fG0hJ5cY3eU9iO2q",
        "${env:UNDEFINED_VAR}", "${env:HOOKS_HOST}", "${env:", "caf\u{e9}", "\\u0041", "StockSDKK", "PDFServices", "ccstorage2",
        "asset_vanished", String(repeating: "abcdefghij", count: 30), "Untitled Project", "0123456789abcdef0123456789abcdef",
        "$${env:HOOKS_HOST} literal text", "Caf\u{e9} cr\u{e8}me for the Z\u{fc}rich team", "a\tb", "line\nbreak",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc", "-----BEGIN RSA PRIVATE KEY-----\nMIIE-----END",
        "token 9f8e7d6c5b4a39281706f5e4d3c2b1a0ffeeddcc here", "Authorization: bearer abcdefghijklmnop.qrst/uv",
        "${env:EMPTY}", "https://${env:EMPTY}/x", "Reports for ${env:ZURICH} office", "${env:SECRET}", "${env:SPACE}",
        "${env:HALF}${env:HALF}", "${env:HALF}${env:HALF}x", "${env:NESTED}", "https://${env:NESTED}/x", "${env:QUOTE} twice",
        "https://${env:HOOKS_HOST}", "HTTPS://HOOKS.EXAMPLE.COM/A", "http://LOCALHOST:9/x", "http://127.0.0.1/x", "http://[::1]:80/x",
        "http://[::1]evil.example.com/", "https://user:pass@hooks.example.com/x", "https:///x", "ftp://x.example.com",
        "word\u{3000}word", "word\u{a0}word", "word\u{200b}word", " ", "two  words ", "\u{1F600} two words",
        // Values that keep a manifest valid, so that many mutants stay clean.
        "shop99catalog", "renamedapp", "Catalog sync for the web team", "Quarterly Report", "StockSDK", "ViewSDK", "TypekitSDK",
        "CampaignSDK", "PhotoshopSDK", "ccstorage", "aem", "analytics-triggers", "asset_created", "asset_published",
        "trigger_fired", "https://hooks.example.com/adobe/x", "https://${env:HOOKS_HOST}/adobe/y", "www.example.com",
        "*.example.com", "localhost:3000", "apiKey", "oauth", "serviceAccount", "two words",
    ]

    /// Strings at and just past the schema's bounds, by field.
    static let boundaries: [(field: String, values: [String])] = [
        ("name", ["abc", "ab", String(repeating: "n", count: 45), String(repeating: "n", count: 46), "shop_1", "shop-1", "Shop1\u{e9}"]),
        ("title", ["Abc", "Ab", String(repeating: "T", count: 45), String(repeating: "T", count: 46), "Good Title ", "Good\tTitle"]),
        ("description", [
            String(repeating: "a ", count: 500), String(repeating: "a ", count: 500) + "b", String(repeating: "\u{e9} ", count: 500),
            String(repeating: "\u{e9} ", count: 500) + "b", String(repeating: "\u{1F600} ", count: 500), "oneword", "\n\t",
        ]),
        ("allowedDomains", [
            String(repeating: "a", count: 249) + ".com", String(repeating: "a", count: 250) + ".com", "*.a", "a:99999", "a:123456",
            "-a.com", "a-.com",
        ]),
    ]
    static let eventBoundaries: [(field: String, values: [String])] = [
        ("name", ["abc", "ab", String(repeating: "e", count: 255), String(repeating: "e", count: 256), "\u{e9}\u{e9}\u{e9}", "\u{e9}\u{e9}"]),
        ("webhookUrl", [
            "https://h.example.com/" + String(repeating: "p", count: 3978), "https://h.example.com/" + String(repeating: "p", count: 3979),
            "https://h",
        ]),
    ]

    /// String tokens as written in JSON text: escapes the writer never makes.
    static let literals: [String] = [
        #""\u0041BCdef""#, #""caf\u00e9 au lait""#, #""line\nbreak here""#, #""quote \" and slash \/ here""#,
        #""tab\tseparated words""#, #""\ud83d\ude00 smile""#, #""\ud800 lone""#, #""caf\u0065\u0301""#, #""\u212Aelvin""#,
        #""bad \x escape""#, #""\u00""#, #""shop\u0031catalog""#, #""https:\/\/hooks.example.com\/a""#, #""\\ two words""#,
        #""\/shop\/""#, #""oauth\u0000""#, "\"Caf\u{e9} \u{1F600} two words\"", #""o\/auth""#, #""\b\f\r words""#,
        #""https://h.example.com/\\x""#, #""https://h.example.com/\tx""#, #""http:\/\/localhost\/x""#, #""Abc\n""#, #""one\/word""#,
        #""\n\n""#, #""\"""#, #""\\""#, #""$\{env:HOOKS_HOST}""#, #""\${env:HOOKS_HOST}""#, #""p8e\-Ab3dEf6hIj9kLm2nOp5qRs8t""#,
        #""p8e-Ab3dEf6hIj9kLm2nOp5qRs8\/t""#, #""Bearer\/abcdefghijklmnopqrstuvwxyz""#, #""Bearer abcdefghijklmnop\/qrstuvwxyz""#,
        #""a\"b\\c\/d\be\ff\ng\rh\ti two""#,
        "\"" + String(repeating: #"a\n"#, count: 500) + "\"", "\"" + String(repeating: #"a\n"#, count: 500) + "b\"",
        "\"" + String(repeating: #"\/"#, count: 45) + "\"",
    ]

    static let keys = [
        "name", "title", "description", "type", "allowedDomains", "redirectUris", "services", "events", "protected",
        "formerNames", "provider", "eventCodes", "webhookUrl", "integrations", "$schema", "nmae", "Type", "extra", "",
        "clientSecret", "redirectURIs", "descriptionXXXXXXXXX", "allowedDomains ", "name\u{e9}",
    ]

    static let services = [
        "StockSDK", "ViewSDK", "TypekitSDK", "CCStorageSdk", "PhotoshopSDK", "LightroomSDK", "AdobeAnalyticsSDK", "UserMgmtSDK",
        "CampaignSDK", "McDataServicesSdk", "StockSDKK", "PDFServices", "stocksdk",
    ]

    static let eventCodes = ["asset_created", "asset_updated", "asset_deleted", "asset_published", "trigger_fired", "asset_gone"]

    mutating func below(_ count: Int) -> Int { Int(random.next() % UInt64(count)) }

    /// `text` for the log, long ones cut (the failure message shows the whole mutant).
    static func brief(_ text: String) -> String {
        text.count <= 80 ? text : "\(text.prefix(60))…(\(text.count) characters)"
    }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// One mutant: files under `m/` and the catalog to load them with.
    mutating func mutant(trees: [JSON], texts: [[UInt8]], offline: Bool) -> (files: [String: [UInt8]], catalog: Catalog?) {
        var bytes: [UInt8]
        var names: [String] = []
        if below(4) == 0 {
            let seed = below(texts.count)
            log.append("text seed \(seed)")
            bytes = texts[seed]
            for _ in 0...below(2) { bytes = mutate(bytes) }
        } else {
            let seed = below(trees.count)
            log.append("tree seed \(seed)")
            var tree = trees[seed]
            let edits = below(4)
            for _ in 0..<edits { tree = mutate(tree) }
            let compact = below(2) == 0
            log.append(compact ? "compact" : "canonical")
            bytes = compact ? Array(tree.compactText().utf8) : tree.canonicalBytes()
            for _ in 0..<(edits == 0 ? 1 : below(3) / 2) { bytes = mutate(bytes) }
            names = integrationPaths(tree).compactMap { tree.value(at: $0[...])?["name"]?.stringValue }
        }
        var files = ["m/a.json": bytes]
        if below(5) == 0 {
            // A second file: its own names, the same file again, or one of the first file's
            // names as a name or a former name.
            let start = 500 + below(100) * 3
            var other = ManifestFastPathAgreementTests.generatedManifest(start..<(start + 3))
            let mode = below(4)
            log.append("second file, mode \(mode)")
            if mode == 1 {
                files["m/sub/b.json"] = bytes
            } else {
                if let name = names.isEmpty ? nil : pick(names), mode >= 2 {
                    let path = integrationPaths(other)[0]
                    other = other.updating(at: path[...]) { mode == 2 ? $0.with("name", .string(name)) : $0.with("formerNames", [.string(name)]) }
                }
                files["m/sub/b.json"] = other.canonicalBytes()
            }
        }
        return (files, offline ? nil : .default)
    }

    /// One edit of the tree.
    mutating func mutate(_ tree: JSON) -> JSON {
        var paths: [[Step]] = []
        tree.allPaths(into: &paths)
        let integrations = integrationPaths(tree)
        func matching(_ test: (JSON) -> Bool) -> [[Step]] { paths.filter { tree.value(at: $0[...]).map(test) ?? false } }
        let operation = below(15)
        switch operation {
        case 0, 1:
            let strings = matching { $0.stringValue != nil }
            guard !strings.isEmpty else { break }
            let (path, value) = (pick(strings), pick(Self.strings))
            log.append("\(tree.pointer(path)) = \(Self.brief(value.debugDescription))")
            return tree.updating(at: path[...]) { _ in .string(value) }
        case 2, 3:
            let objects = matching { !($0.objectValue ?? []).isEmpty }
            guard !objects.isEmpty else { break }
            let path = pick(objects)
            let count = tree.value(at: path[...])?.objectValue?.count ?? 1
            let (member, key, delete) = (below(count), pick(Self.keys), operation == 3)
            log.append(
                delete ? "delete member \(member) of \(tree.pointer(path))" : "rename member \(member) of \(tree.pointer(path)) to \(key)"
            )
            return tree.updating(at: path[...]) { value in
                guard var members = value.objectValue else { return value }
                if delete { members.remove(at: member) } else { members[member].key = key }
                return .object(members)
            }
        case 4:
            let values = paths.filter { !$0.isEmpty }
            guard !values.isEmpty else { break }
            let value = pick([JSON.number(7), .bool(true), .bool(false), .null, [], .object([]), ["x"], .number(JSONNumber(literal: "-1e3"))])
            let path = pick(values)
            log.append("\(tree.pointer(path)) = \(value.compactText())")
            return tree.updating(at: path[...]) { _ in value }
        case 12:
            // A field of an event registration at its bounds.
            let events = matching { $0["provider"] != nil || $0["webhookUrl"] != nil }
            guard !events.isEmpty else { break }
            let (path, bound) = (pick(events), pick(Self.eventBoundaries))
            let value = pick(bound.values)
            log.append("\(tree.pointer(path))/\(bound.field) = \(Self.brief(value.debugDescription))")
            return tree.updating(at: path[...]) { $0.with(bound.field, .string(value)) }
        default:
            guard !integrations.isEmpty else { break }
            let (path, other) = (pick(integrations), pick(integrations))
            let (member, value) = integrationEdit(operation, other: tree.value(at: other[...]))
            if member.isEmpty {
                // Another copy of the integration, so that its names repeat.
                log.append("duplicate \(tree.pointer(path))")
                let copy = tree.value(at: path[...]) ?? .null
                return tree.updating(at: Array(path.dropLast())[...]) { list in .array((list.arrayValue ?? []) + [copy]) }
            }
            log.append("\(tree.pointer(path))/\(member) = \(Self.brief(value.compactText()))")
            return tree.updating(at: path[...]) { $0.with(member, value) }
        }
        log.append("no edit")
        return tree
    }

    /// A member to set on an integration for `operation` (5 to 14, not 12), another
    /// integration at hand; an empty key to duplicate the integration instead.
    mutating func integrationEdit(_ operation: Int, other: JSON?) -> (String, JSON) {
        func event(_ name: String) -> JSON {
            .object([
                JSONMember("name", .string(name)),
                JSONMember("provider", .string(pick(["ccstorage", "aem", "analytics-triggers", "nope", "CCStorage"]))),
                JSONMember("eventCodes", .array((0...below(2)).map { _ in .string(pick(Self.eventCodes)) })),
                JSONMember("webhookUrl", .string(pick(["https://hooks.example.com/a", "https://${env:HOOKS_HOST}/b", "http://h.example.com/"]))),
            ])
        }
        switch operation {
        case 5: return ("type", .string(pick(["apiKey", "oauth", "serviceAccount"])))
        case 6:
            let name = other?["name"] ?? "shop0catalog"
            return ("formerNames", below(2) == 0 ? [name] : [name, "retiredname"])
        case 7: return ("", .null)
        case 8: return ("services", .array((0...below(3)).map { _ in .string(pick(Self.services)) }))
        case 9: return ("events", .array((0...below(2)).map { _ in event(pick(["asset-sync", "hooks", "asset-sync"])) }))
        case 10:
            let members: [(String, JSON)] = [
                ("allowedDomains", ["www.example.com", "*.example.com"]), ("redirectUris", ["https://app.example.com/callback"]),
                ("redirectUris", ["http://localhost:3000/cb"]), ("redirectUris", []), ("protected", true), ("title", "Another Fine Title"),
                ("formerNames", ["retiredname1"]), ("description", "Two words"), ("services", ["StockSDK", "ViewSDK"]),
            ]
            return pick(members)
        case 11:
            let bound = pick(Self.boundaries)
            let value = JSON.string(pick(bound.values))
            return (bound.field, bound.field == "allowedDomains" ? [value] : value)
        case 13:
            // Around the quota of registrations on one credential.
            let count = 28 + below(5)
            return ("events", .array((0..<count).map { event("registration\($0)") }))
        default:
            return (pick(["allowedDomains", "redirectUris", "formerNames", "services"]), .array([.string(pick(Self.strings))]))
        }
    }

    /// One edit of the bytes: delete, duplicate, replace or insert a byte, put a UTF-8
    /// sequence or white space in, or replace a string token (any, or a given member's value).
    mutating func mutate(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        guard !bytes.isEmpty else { return bytes }
        let at = below(bytes.count)
        switch below(10) {
        case 0:
            log.append("delete byte \(at)")
            bytes.remove(at: at)
        case 1:
            log.append("duplicate byte \(at)")
            bytes.insert(bytes[at], at: at)
        case 2, 3:
            let byte = pick(Self.bytes)
            log.append("byte \(at) = 0x\(String(byte, radix: 16))")
            bytes[at] = byte
        case 4:
            let byte = pick(Self.bytes)
            log.append("insert 0x\(String(byte, radix: 16)) at \(at)")
            bytes.insert(byte, at: at)
        case 5:
            // Inside a string, so that it still ends where it did.
            let tokens = Self.stringTokens(bytes)
            guard !tokens.isEmpty else { break }
            let token = pick(tokens)
            let (offset, sequence) = (token.lowerBound + 1 + below(token.count - 1), pick(Self.sequences))
            log.append("insert \(sequence.map { String($0, radix: 16) }) at \(offset)")
            bytes.insert(contentsOf: sequence, at: offset)
        case 6:
            let space = pick([" ", "        ", "         \t", "\r\n", "\t", "                \n"])
            // After a separator, where white space is allowed.
            let separators = bytes.indices.filter { Array(",:[".utf8).contains(bytes[$0]) }
            let offset = separators.isEmpty ? at : pick(separators) + 1
            log.append("insert \(space.debugDescription) at \(offset)")
            bytes.insert(contentsOf: Array(space.utf8), at: offset)
        case 7:
            // The value of a member with a bounded string or a role.
            let field = pick(["description", "title", "webhookUrl", "name", "$schema"])
            let values = Self.memberValues(bytes, key: field)
            guard !values.isEmpty else { break }
            let (token, literal) = (pick(values), pick(Self.literals))
            log.append("value at \(token.lowerBound) = \(Self.brief(literal))")
            bytes.replaceSubrange(token, with: Array(literal.utf8))
        default:
            let tokens = Self.stringTokens(bytes)
            guard !tokens.isEmpty else { break }
            let token = pick(tokens)
            let literal = below(2) == 0 ? pick(Self.literals) : JSON.string(pick(Self.strings)).compactText()
            log.append("token at \(token.lowerBound) = \(Self.brief(literal))")
            bytes.replaceSubrange(token, with: Array(literal.utf8))
        }
        return bytes
    }

    /// The byte ranges of the string tokens in JSON text, quotes included (keys too).
    static func stringTokens(_ bytes: [UInt8]) -> [Range<Int>] {
        var tokens: [Range<Int>] = []
        var i = 0
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "\"") else {
                i += 1
                continue
            }
            var j = i + 1
            while j < bytes.count, bytes[j] != UInt8(ascii: "\"") { j += bytes[j] == UInt8(ascii: "\\") ? 2 : 1 }
            guard j < bytes.count else { break }
            tokens.append(i..<(j + 1))
            i = j + 1
        }
        return tokens
    }

    /// The string tokens that are the values of members named `key`.
    static func memberValues(_ bytes: [UInt8], key: String) -> [Range<Int>] {
        let tokens = stringTokens(bytes)
        let quoted = Array(JSON.string(key).compactText().utf8)
        return tokens.indices.dropLast().compactMap { k in
            guard bytes[tokens[k]].elementsEqual(quoted) else { return nil }
            let between = bytes[tokens[k].upperBound..<tokens[k + 1].lowerBound]
            return between.filter { $0 > 0x20 } == [UInt8(ascii: ":")] ? tokens[k + 1] : nil
        }
    }

    /// The paths of the objects in the root's `integrations`.
    func integrationPaths(_ tree: JSON) -> [[Step]] {
        guard let members = tree.objectValue, let list = members.firstIndex(where: { $0.key == "integrations" }),
            let elements = members[list].value.arrayValue
        else { return [] }
        return elements.indices.filter { elements[$0].objectValue != nil }.map { [.member(list), .element($0)] }
    }
}

/// A step down a JSON tree: the member at a position, or the element at an index.
enum Step: Equatable {
    case member(Int), element(Int)
}

extension JSON {
    /// Every value's path, the root's (`[]`) first.
    func allPaths(_ prefix: [Step] = [], into paths: inout [[Step]]) {
        paths.append(prefix)
        switch self {
        case .array(let elements): for k in elements.indices { elements[k].allPaths(prefix + [.element(k)], into: &paths) }
        case .object(let members): for k in members.indices { members[k].value.allPaths(prefix + [.member(k)], into: &paths) }
        default: break
        }
    }

    func value(at path: ArraySlice<Step>) -> JSON? {
        guard let step = path.first else { return self }
        switch (self, step) {
        case (.array(let elements), .element(let k)) where elements.indices.contains(k): return elements[k].value(at: path.dropFirst())
        case (.object(let members), .member(let k)) where members.indices.contains(k): return members[k].value.value(at: path.dropFirst())
        default: return nil
        }
    }

    /// The tree with the value at `path` transformed.
    func updating(at path: ArraySlice<Step>, _ transform: (JSON) -> JSON) -> JSON {
        guard let step = path.first else { return transform(self) }
        switch (self, step) {
        case (.array(var elements), .element(let k)) where elements.indices.contains(k):
            elements[k] = elements[k].updating(at: path.dropFirst(), transform)
            return .array(elements)
        case (.object(var members), .member(let k)) where members.indices.contains(k):
            members[k].value = members[k].value.updating(at: path.dropFirst(), transform)
            return .object(members)
        default: return self
        }
    }

    /// The object with its first member `key` set to `value` (appended if there is none).
    func with(_ key: String, _ value: JSON) -> JSON {
        guard var members = objectValue else { return self }
        if let k = members.firstIndex(where: { $0.key == key }) { members[k].value = value } else { members.append(JSONMember(key, value)) }
        return .object(members)
    }

    /// `path` as a JSON Pointer-like text (`/integrations/0/name`), for the mutation log.
    func pointer(_ path: [Step]) -> String {
        var text = "", node: JSON? = self
        for step in path {
            switch (node, step) {
            case (.object(let members)?, .member(let k)):
                text += "/" + members[k].key
                node = members[k].value
            case (.array(let elements)?, .element(let k)):
                text += "/\(k)"
                node = elements[k]
            default: return text + "/?"
            }
        }
        return text.isEmpty ? "/" : text
    }
}

