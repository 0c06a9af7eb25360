import Foundation
@testable import KeyformCore
import KeyformJSON
import KeyformTestSupport
import Testing

/// Inputs written to catch the fast path of `keyform validate` certifying too much: keys and
/// strings at the end of the file (its 16-byte loads), `${env:…}` corner cases, escapes,
/// lengths in scalars, each rule it must not forget, what files share. Each is loaded both
/// ways (with the default catalog, offline, and a catalog of odd codes): the findings,
/// redactions, files and sources must be the same, and a certified load must be one the full
/// pipeline has nothing to say about.
@Suite struct ManifestFastPathAdversarialTests {
    static let environment = [
        "HOST": "hooks.example.com", "EMPTY": "", "SECRET": "p8e-Ab3dEf6hIj9kLm2nOp5qRs8t", "GENERIC": "My Test App", "ZURICH": "Z\u{fc}rich",
        "QUOTE": "say \"hi\"", "DOLLAR": "${env:HOST}", "OAUTH": "oauth", "LF": "two\nwords", "LONG": String(repeating: "a ", count: 300),
    ]

    /// Services and providers with codes of 16 and 17 bytes, repeated codes, and a code that
    /// is a prefix of another: the fast path's packed tables against the full pipeline's.
    static let oddCatalog = Catalog(
        services: [
            .init(code: "SixteenByteCodes", name: "A", credentialTypes: [.apiKey], isEntitled: true),
            .init(code: "SixteenByteCodesX", name: "B", credentialTypes: [.apiKey], isEntitled: false),
            .init(code: "StockSDK", name: "C", credentialTypes: [.oauth], isEntitled: true),
            .init(code: "StockSDK", name: "D", credentialTypes: [.apiKey], isEntitled: true),
        ],
        eventProviders: [.init(id: "ccstorage", label: "E", eventCodes: ["asset_updated"]), .init(id: "ccstorage", label: "F", eventCodes: ["asset_created"])])

    /// The problems with loading `files` both ways (none when sound), and whether the fast path certified.
    static func compare(_ files: [String: [UInt8]], catalog: Catalog?, environment: [String: String]) -> (Bool, [String]) {
        let comparison = ManifestFastPathAgreementTests.compare(
            InMemoryFileSystem(files: files), path: "m", catalog: catalog, environment: environment)
        return (comparison.certified, comparison.problems)
    }

    static func describe(_ files: [String: [UInt8]]) -> String {
        files.sorted { $0.key < $1.key }.map { "--- \($0.key)\n" + String(decoding: $0.value, as: UTF8.self) }.joined(separator: "\n")
    }

    // MARK: - Written cases

    static let apiKey = #"{"name":"stocksearchweb","title":"Stock Search Web","description":"Stock search for the marketing site.","type":"apiKey","#
        + #""allowedDomains":["www.example.com"],"services":["StockSDK"]}"#
    static let oauth = #"{"name":"assetsync","description":"Asset sync for the web team.","type":"oauth","redirectUris":["https://app.example.com/cb"],"#
        + #""services":["CCStorageSdk"],"events":[{"name":"hooks","provider":"ccstorage","eventCodes":["asset_created"],"webhookUrl":"https://hooks.example.com/a"}]}"#
    static let service = #"{"name":"reportjob","description":"Nightly reports for finance.","type":"serviceAccount","#
        + #""services":["AdobeIOManagementAPISDK","LightroomSDK"],"events":[{"name":"trig","provider":"analytics-triggers","eventCodes":["trigger_fired"],"#
        + #""webhookUrl":"https://h.example.com/t"},{"name":"pub","provider":"aem","eventCodes":["asset_processing_completed"],"#
        + #""webhookUrl":"http://localhost:8/x"}],"formerNames":["oldreportjob"],"protected":true}"#
    static let description = "Stock search for the marketing site."

    static func manifest(_ integrations: String...) -> String { #"{"integrations":["# + integrations.joined(separator: ",") + "]}" }
    static func apiKey(_ old: String, _ new: String) -> String { manifest(apiKey.replacingOccurrences(of: old, with: new)) }
    static func oauth(_ old: String, _ new: String) -> String { manifest(oauth.replacingOccurrences(of: old, with: new)) }
    static func service(_ old: String, _ new: String) -> String { manifest(service.replacingOccurrences(of: old, with: new)) }
    static let clean = manifest(apiKey, oauth, service)
    static let prefix = #"{"integrations":[{"name":"stocksearchweb","description":"Two words","type":"apiKey","protected":"#

    /// (label, files): one file `m/a.json` unless the label says otherwise.
    static let cases: [(String, [String])] = {
        var cases: [(String, [String])] = [
            ("clean", [clean]), ("empty list", [#"{"integrations":[]}"#]), ("$schema last", [#"{"integrations":[],"$schema":"x"}"#]),
            ("value cut at EOF", [#"{"integrations":[],"$schema":"x"#]), ("backslash at EOF", [#"{"integrations":[],"$schema":"x\"#]),
            ("key cut at EOF", [#"{"integrations":[],"$sch"#]), ("key at EOF", [#"{"integrations":[],"$schema""#]),
            ("true at EOF", [prefix + "true}]}"]), ("true cut", [prefix + "tru"]), ("truex", [prefix + "truex}]}"]),
            ("null", [prefix + "null}]}"]), ("1", [prefix + "1}]}"]), ("empty file", [""]), ("white space", [" \n\t\r "]),
            ("top array", ["[]"]), ("top null", ["null"]), ("{}", ["{}"]), ("manifest in array", ["[" + clean + "]"]),
            ("BOM", ["\u{FEFF}" + clean]), ("CR only", [clean.replacingOccurrences(of: ",", with: ",\r")]),
            ("CRLF, tabs", [clean.replacingOccurrences(of: "\",\"", with: "\"\r\n\t,\t\"")]), ("VT", [clean.replacingOccurrences(of: ",\"type", with: ",\u{0B}\"type")]),
            ("FF at end", [clean + "\u{0C}"]), ("NBSP at end", [clean + "\u{A0}"]), ("NUL at end", [clean + "\u{0}"]), ("extra }", [clean + "}"]),
            ("comma before ]", [#"{"integrations":["# + apiKey + ",]}"]), ("comma before }", [apiKey(#"["StockSDK"]"#, #"["StockSDK"],"#)]),
            ("n\\u0061me", [apiKey(#""name""#, #""n\u0061me""#)]), ("na\\/me", [apiKey(#""name""#, #""na\/me""#)]),
            ("key + \\u0000", [apiKey(#""title""#, #""title\u0000""#)]), ("16-byte key", [apiKey(#""title""#, #""descriptionXXXXX""#)]),
            ("17-byte key", [apiKey(#""title""#, #""descriptionXXXXXX""#)]), ("titl", [apiKey(#""title""#, #""titl""#)]),
            ("titles", [apiKey(#""title""#, #""titles""#)]), ("non-ASCII key", [apiKey(#""title""#, "\"titl\u{e9}\"")]),
            ("secret key", [apiKey(#""title""#, #""p8e-Ab3dEf6hIj9kLm2nOp5qRs8t""#)]), ("title twice", [apiKey(#""type""#, #""title":"Other","type""#)]),
            ("integrations twice", [#"{"integrations":[],"integrations":[]}"#]), ("event name twice", [oauth(#""provider""#, #""name":"h2","provider""#)]),
            ("title true", [apiKey(#""Stock Search Web""#, "true")]), ("title null", [apiKey(#""Stock Search Web""#, "null")]),
            ("title 12", [apiKey(#""Stock Search Web""#, "12")]), ("services string", [apiKey(#"["StockSDK"]"#, #""StockSDK""#)]),
            ("nested $schema", [#"{"$schema":"# + String(repeating: "[", count: 600) + String(repeating: "]", count: 600) + #","integrations":[]}"#]),
            ("1 MB $schema", [#"{"$schema":""# + String(repeating: "ab cd ", count: 200_000) + #"","integrations":[]}"#]),
            ("100 kB description", [apiKey(description, String(repeating: "a ", count: 50_000))]),
            ("DEL in title", [apiKey("Stock Search", "Stock\u{7F}Search")]), ("DEL in description", [apiKey("Stock search", "Stock\u{7F} search")]),
            ("NBSP words", [apiKey(description, "Stock\u{A0}search")]), ("U+3000", [apiKey(description, "Stock\u{3000}")]),
            ("\\n words", [apiKey(description, #"Stock\nsearch"#)]), ("\\t\\n", [apiKey(description, #"\t\n"#)]),
            ("python-style \\u00e9 (slow, not wrong)", [apiKey(description, #"Caf\u00e9 search"#)]), ("one word", [apiKey(description, "Stock")]),
            ("generic title", [apiKey("Stock Search Web", "My Test App")]), ("Demo 2", [apiKey("Stock Search Web", "Demo 2")]),
            ("generic name", [apiKey("stocksearchweb", "mytestapp")]), ("test123", [apiKey("stocksearchweb", "test123")]),
            ("title 123", [apiKey("Stock Search Web", "123")]), ("title of spaces", [apiKey("Stock Search Web", "   ")]),
            ("name 45", [apiKey("stocksearchweb", String(repeating: "n", count: 45))]), ("name 46", [apiKey("stocksearchweb", String(repeating: "n", count: 46))]),
            ("1000 é", [apiKey(description, String(repeating: "\u{e9} ", count: 500))]), ("1001 é", [apiKey(description, String(repeating: "\u{e9} ", count: 500) + "x")]),
            ("1000 emoji", [apiKey(description, String(repeating: "\u{1F600} ", count: 500))]),
            ("1001 emoji", [apiKey(description, String(repeating: "\u{1F600} ", count: 500) + "\u{1F600}")]),
            ("1000 combining", [apiKey(description, String(repeating: "e\u{301}", count: 499) + " x")]),
            ("1001 combining", [apiKey(description, String(repeating: "e\u{301}", count: 500) + " ")]),
            ("1000 escapes", [apiKey(description, String(repeating: #"\""#, count: 998) + " x")]),
            ("1001 escapes", [apiKey(description, String(repeating: #"\""#, count: 999) + " x")]),
            ("unknown service", [apiKey("StockSDK", "StockSDKK")]), ("service case", [apiKey("StockSDK", "stocksdk")]),
            ("not entitled", [apiKey("StockSDK", "TypekitSDK")]), ("long, wrong type", [apiKey("StockSDK", "AdobeIOManagementAPISDK")]),
            ("long, not entitled", [service("LightroomSDK", "AdobeAnalyticsSDK")]), ("wrong type", [oauth("CCStorageSdk", "ViewSDK")]),
            ("16-byte code", [apiKey("StockSDK", "SixteenByteCodes")]), ("17-byte code", [apiKey("StockSDK", "SixteenByteCodesX")]),
            ("service twice", [apiKey(#"["StockSDK"]"#, #"["StockSDK","StockSDK"]"#)]),
            ("33 services", [apiKey(#"["StockSDK"]"#, "[" + Array(repeating: #""StockSDK""#, count: 33).joined(separator: ",") + "]")]),
            ("unknown provider", [oauth(#""ccstorage""#, #""ccstorage2""#)]), ("other's code", [oauth("asset_created", "asset_published")]),
            ("other's long code", [oauth("asset_created", "asset_processing_completed")]), ("long provider, bad code", [service("trigger_fired", "trigger_fire")]),
            ("long provider misspelt", [service("analytics-triggers", "analytics-trigger5")]), ("code prefix", [oauth("asset_created", "asset_create")]),
            ("asset_updated", [oauth("asset_created", "asset_updated")]), ("no codes", [oauth(#"["asset_created"]"#, "[]")]),
            ("event name of 2", [oauth(#""hooks""#, #""ho""#)]), ("non-ASCII event", [oauth(#""hooks""#, "\"h\u{e9}oks\"")]),
            ("secret event name", [oauth(#""hooks""#, #""Bearer abcdefghijklmnopqrstuvwxyz""#)]), ("$ event name", [oauth(#""hooks""#, #""cost $5 hook""#)]),
            ("events named alike", [service(#""pub""#, #""trig""#)]), ("http webhook", [oauth("https://hooks", "http://hooks")]),
            ("\\\\ in webhook", [oauth("example.com/a", #"example.com\\a"#)]), ("\\/ in webhook", [oauth("https://hooks.example.com/a", #"https:\/\/hooks.example.com\/a"#)]),
            ("redirect on apiKey", [apiKey(#""services""#, #""redirectUris":["https://a.example.com/cb"],"services""#)]),
            ("oauth, no redirect", [oauth(#""redirectUris":["https://app.example.com/cb"],"#, "")]), ("no redirects", [oauth(#"["https://app.example.com/cb"]"#, "[]")]),
            ("domains on oauth", [oauth(#""services""#, #""allowedDomains":["a.example.com"],"services""#)]),
            ("domains on service", [service(#""services""#, #""allowedDomains":["a.example.com"],"services""#)]),
            ("type last", [manifest(#"{"name":"assetsync","redirectUris":["https://a.example.com/cb"],"description":"Two words","type":"oauth"}"#)]),
            ("no type", [apiKey(#""type":"apiKey","#, "")]), ("apikey", [apiKey(#""apiKey""#, #""apikey""#)]), ("api\\/Key", [apiKey(#""apiKey""#, #""api\/Key""#)]),
            ("type via env", [apiKey(#""apiKey","allowedDomains":["www.example.com"]"#, #""${env:OAUTH}","redirectUris":["https://a.example.com/cb"]"#)]),
            ("former is own", [service("oldreportjob", "reportjob")]), ("former of another", [manifest(apiKey, service.replacingOccurrences(of: "oldreportjob", with: "stocksearchweb"))]),
            ("former twice", [service(#"["oldreportjob"]"#, #"["oldreportjob","oldreportjob"]"#)]), ("names alike", [manifest(apiKey, apiKey)]),
            ("names by case", [manifest(apiKey, apiKey.replacingOccurrences(of: "stocksearchweb", with: "StockSearchWeb"))]),
            ("two files: same text", [clean, clean]), ("two files: name again", [manifest(apiKey), manifest(service, apiKey)]),
            ("two files: former is a name", [manifest(apiKey), service("oldreportjob", "stocksearchweb")]),
            ("two files: former claimed twice", [manifest(service), service(#""reportjob""#, #""reportjob2""#)]), ("two files: one empty", [clean, ""]),
        ]
        // `${env:…}`, escapes and secrets in a description, a title, a webhook URL and `$schema`.
        let texts = [
            "$${env:HOST} two", "${env:} two", "${env:UNDEFINED} two", "${env:HOST}${env:HOST} two", "${env:HOST", "two $", "two $$", "two ${",
            "two ${env:HOST}$", "two ${env:HOST}}", "$${", "a $${env:HOST}${env:HOST} b", "${env:1X} two", "${env:HO ST} two", #"\u0024{env:HOST} two"#,
            #"${env:HOST} \"two\""#, #"\\${env:HOST} two"#, #"${env:HOST}\/two x"#, "${env:SECRET}", "x ${env:SECRET}", "${env:GENERIC}", "${env:ZURICH} two",
            "${env:QUOTE}", "${env:DOLLAR} two", "${env:LF}", "${env:EMPTY}", "${env:HOST} ${env:HOST} ${env:HOST} ${env:HOST} ${env:HOST}", "${env:${env:HOST}} x",
            "${ env:HOST} two", "${env:HOST }", "${env:LONG}", "${env:LONG}${env:LONG}", #"\"${env:LONG}"#, "p8e-Ab3dEf6hIj9k${env:EMPTY}Lm2nOp5qRs8t",
            "p8e-Ab3dEf6hIj9kLm2nOp5qRs8t", #"p8e-Ab3dEf6hIj9k\/Lm2nOp5qRs8t"#, #"Bearer abcdefghij\/klmnopqrst"#, #"key p8e\u002dAb3dEf6hIj9kLm2nOp5qRs8t"#,
            #"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0 x\n"#, #"x aZ3kQ9xW2mT7vB4nR8pL1sD6fG0hJ5cY3eU9iO2q\t"#,
        ]
        for text in texts {
            cases += [
                ("description \(text)", [apiKey(description, text)]), ("title \(text)", [apiKey("Stock Search Web", text)]),
                ("webhook \(text)", [oauth("hooks.example.com/a", "h.example.com/" + text)]), ("$schema \(text)", [#"{"$schema":""# + text + #"","integrations":[]}"#]),
            ]
        }
        return cases
    }()

    @Test(arguments: [Catalog.default, nil, oddCatalog])
    func writtenCasesAgree(_ catalog: Catalog?) {
        var certified: [String] = []
        for (label, texts) in Self.cases {
            var files: [String: [UInt8]] = [:]
            for (k, text) in texts.enumerated() { files[k == 0 ? "m/a.json" : "m/sub/\(k).json"] = Array(text.utf8) }
            let (clean, problems) = Self.compare(files, catalog: catalog, environment: Self.environment)
            if clean { certified.append(label) }
            #expect(problems.isEmpty, "\(label), catalog: \(catalog.map { $0 == .default ? "default" : "odd" } ?? "none")\n\(problems.joined(separator: "\n"))")
        }
        // The fast path is taken where it should be (the odd catalog has not these services).
        guard catalog != Self.oddCatalog else { return }
        for label in ["clean", "1000 emoji", "1000 escapes", "CR only", "CRLF, tabs", "1 MB $schema", "description ${env:ZURICH} two"] {
            #expect(certified.contains(label), "\(label) is not certified")
        }
        #expect(!certified.contains("1001 emoji") && !certified.contains("1001 escapes") && !certified.contains("two files: same text"))
    }

    /// Every prefix of a clean manifest, and the manifest with each byte deleted or replaced:
    /// structure cut or broken at every place, keys and strings ending at the end of the file.
    @Test func everyCutAndByteEditAgrees() {
        let text = Array(Self.manifest(Self.service).utf8)
        let replacements = Array(#""\$:,}] é"#.utf8) + [0x00, 0x0D, 0x7F, 0xFF]
        var edits: [[UInt8]] = (0..<text.count).map { Array(text[..<$0]) }
        for at in text.indices {
            var deleted = text
            deleted.remove(at: at)
            var replaced = text
            replaced[at] = replacements[at % replacements.count] == text[at] ? 0x20 : replacements[at % replacements.count]
            edits += [deleted, replaced]
        }
        for (number, bytes) in edits.enumerated() {
            let catalog: Catalog? = number % 3 == 2 ? nil : .default
            let (_, problems) = Self.compare(["m/a.json": bytes], catalog: catalog, environment: Self.environment)
            #expect(problems.isEmpty, "\(Self.describe(["m/a.json": bytes]))\n\(problems.joined(separator: "\n"))")
        }
    }

    // MARK: - Random manifests

    /// Integrations of random members, values from pools of edge cases, random white space
    /// and member order, sometimes a member twice, a second file or a byte edited.
    struct Maker {
        var random: SeededGenerator
        mutating func below(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
        mutating func pick(_ items: [String]) -> String { items[below(items.count)] }
        mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
        mutating func space() -> String { chance(70) ? "" : pick([" ", "\n", "\r\n", "\t", "\r", "  \n    "]) }
        mutating func string(_ pool: [String]) -> String { "\"" + pick(pool) + "\"" }
        mutating func list(_ pool: [String], _ most: Int) -> String {
            "[" + (0..<below(most + 1)).map { _ in space() + string(pool) }.joined(separator: ",") + space() + "]"
        }
        mutating func object(_ members: [(String, String)]) -> String {
            var members = members
            if chance(3), let first = members.first { members.append(first) }
            for k in members.indices.reversed() where k > 0 { members.swapAt(k, below(k + 1)) }
            return "{" + members.map { space() + "\"" + $0.0 + "\"" + space() + ":" + space() + $0.1 + space() }.joined(separator: ",") + "}"
        }
        static let names = ["stocksearchweb", "assetsync", "reportjob", "oldreportjob", "mytestapp", "n3w", String(repeating: "q", count: 45), "Shop7"]
        static let texts = [
            "Stock Search Web", "Two words here", "${env:HOST} two", "$${env:HOST} x", "${env:SECRET}", "Caf\u{e9} cr\u{e8}me", "My Test App",
            #"tab\tand \"quote\""#, "one", "${env:ZURICH} office", "${env:UNDEFINED} x", "${env:EMPTY}", #"a\/b c"#, "p8e-Ab3dEf6hIj9kLm2nOp5qRs8t",
            "Demo 2", "x ${env:HOST}${env:HOST}", "\u{1F600} two", #"\u0041 two"#, "${env:QUOTE}", "${env:LF}", "  ", "${env:KEY} two",
        ]
        static let urls = [
            "https://hooks.example.com/a", "https://${env:HOST}/cb", "http://localhost:3000/cb", "http://h.example.com/x", #"https:\/\/a.example.com"#,
            "https://${env:EMPTY}/x", "https://${env:KEY}/x", "${env:HOST}", "https://a.example.com/aZ3kQ9xW2mT7vB4nR8pL1sD6fG0hJ5cY3eU9iO2q",
        ]
        static let services = [
            "StockSDK", "ViewSDK", "TypekitSDK", "CCStorageSdk", "PhotoshopSDK", "LightroomSDK", "UserMgmtSDK", "AdobeIOManagementAPISDK",
            "CloudIntegrationSDK", "StockSDKK", "${env:HOST}",
        ]
        static let codes = ["asset_created", "asset_updated", "asset_published", "asset_processing_completed", "trigger_fired", "asset_gone"]

        mutating func event(_ n: Int) -> String {
            var members: [(String, String)] = [
                ("name", "\"" + (chance(90) ? "hook\(n)" : pick(["hook0", "ho", "h\u{e9}ook", "cost $5"])) + "\""),
                ("provider", string(["ccstorage", "aem", "analytics-triggers", "ccstorag"])), ("eventCodes", list(Self.codes, 2)),
                ("webhookUrl", string(Self.urls)),
            ]
            if chance(5) { members.remove(at: below(members.count)) }
            return object(members)
        }

        mutating func integration() -> String {
            let type = chance(95) ? pick(["apiKey", "oauth", "serviceAccount"]) : pick(["apikey", "${env:OAUTH}"])
            var members = [("name", string(chance(80) ? ["i\(below(100_000))x"] : Self.names)), ("type", "\"\(type)\"")]
            members.append(("description", string(chance(60) ? ["Sync for the \(below(9)) team."] : Self.texts)))
            if chance(50) { members.append(("title", string(chance(60) ? ["Title \(below(99))"] : Self.texts))) }
            if type == "oauth" ? chance(95) : chance(5) { members.append(("redirectUris", list(Self.urls, 2))) }
            if type == "apiKey" ? chance(60) : chance(5) {
                members.append(("allowedDomains", list(["www.example.com", "*.example.com", "localhost:3000", "${env:HOST}", "-a"], 2)))
            }
            if chance(70) { members.append(("services", list(Self.services, 3))) }
            if chance(40) { members.append(("events", "[" + (0..<(chance(5) ? 29 + below(3) : below(3))).map { event($0) }.joined(separator: ",") + "]")) }
            if chance(30) { members.append(("protected", pick(["true", "false", "null", "1"]))) }
            if chance(20) { members.append(("formerNames", list(chance(70) ? ["old\(below(100_000))x"] : Self.names, 2))) }
            return object(members)
        }

        mutating func manifest() -> String {
            var members = [("integrations", "[" + (0..<below(4)).map { _ in space() + integration() }.joined(separator: ",") + space() + "]")]
            if chance(30) { members.append(("$schema", string(["../schemas/manifest.schema.json", "${env:HOST}", ""]))) }
            return space() + object(members) + space()
        }
    }

    /// 300 by default; `KEYFORM_ADVERSARIAL=100000 KEYFORM_ADVERSARIAL_SEED=7` runs longer or other series.
    @Test func randomManifestsAgree() {
        let runs = ProcessInfo.processInfo.environment["KEYFORM_ADVERSARIAL"].flatMap { Int($0) } ?? 300
        let seed = ProcessInfo.processInfo.environment["KEYFORM_ADVERSARIAL_SEED"].flatMap { UInt64($0) } ?? 0xAD5E_12
        var maker = Maker(random: SeededGenerator(seed: seed))
        var (certified, failures) = (0, 0)
        for number in 0..<runs {
            var files = ["m/a.json": Array(maker.manifest().utf8)]
            if maker.chance(30) { files["m/b.json"] = maker.chance(20) ? files["m/a.json"] : Array(maker.manifest().utf8) }
            if maker.chance(20), var bytes = files["m/a.json"], !bytes.isEmpty {
                let at = maker.below(bytes.count), edit = Array(#""\$:,{}[] 0aé"#.utf8) + [0x00, 0x0D, 0x7F, 0xC3, 0xFF]
                switch maker.below(3) {
                case 0: bytes.remove(at: at)
                case 1: bytes.insert(edit[maker.below(edit.count)], at: at)
                default: bytes = Array(bytes[..<at])
                }
                files["m/a.json"] = bytes
            }
            var environment = Self.environment
            // A variable named in another script (U+212A KELVIN SIGN): substituted by `String` equality.
            environment[maker.chance(20) ? "\u{212A}EY" : "KEY"] = maker.pick(["k.example.com", "two words"])
            let catalog: Catalog? = maker.chance(25) ? nil : maker.chance(10) ? Self.oddCatalog : .default
            let (clean, problems) = Self.compare(files, catalog: catalog, environment: environment)
            if clean { certified += 1 }
            guard !problems.isEmpty else { continue }
            failures += 1
            if failures <= 5 { Issue.record("run \(number), catalog: \(catalog != nil)\n\(Self.describe(files))\n\(problems.joined(separator: "\n"))") }
        }
        #expect(failures == 0, "\(failures) of \(runs) random manifests disagree")
        #expect(certified > runs / 10, "only \(certified) of \(runs) certified")
    }
}
