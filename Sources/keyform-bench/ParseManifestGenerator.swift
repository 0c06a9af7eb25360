import KeyformJSON

/// Generates a large manifest-shaped document (DESIGN.md's manifest language), the same
/// bytes for the same seed: integrations with names, titles, descriptions (some non-ASCII,
/// some with escapes), credential types, domains or redirect URIs, services, event
/// registrations and former names, written in canonical form (2-space indentation).
struct ParseManifestGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// SplitMix64.
    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    private mutating func pick(_ options: [String]) -> String { options[below(options.count)] }

    static let words = [
        "stock", "search", "asset", "sync", "marketing", "image", "picker", "campaign", "review", "render",
        "library", "archive", "export", "import", "preview", "catalog", "team", "brand", "studio", "web",
    ]
    static let prose = [
        "Adobe Stock search for the marketing site's image picker.", "Nightly export of approved assets to the archive.",
        "Café menu photography — reviewed by the brand team.", "Syncs Creative Cloud libraries with the \"brand\" portal.",
        "Renders previews for the catalog; owner: platform team.\nEscalation: #brand-ops.", "Générateur de vignettes pour l'équipe éditoriale.",
        "画像の自動タグ付け (image auto-tagging) for the Tokyo studio.", "Webhook receiver for asset events, see https://wiki.example.com/adobe/events.",
    ]
    static let services = ["StockSDK", "CC_Libraries", "PDFServices", "LightroomSDK", "PhotoshopAPI", "FireflyAPI", "AdobeAnalytics"]
    static let eventCodes = ["asset_created", "asset_deleted", "asset_updated", "library_published", "render_completed", "comment_added"]

    mutating func integration(_ index: Int) -> JSON {
        let base = pick(Self.words) + pick(Self.words) + String(index)
        let type = pick(["apiKey", "apiKey", "oauth", "serviceAccount"])
        var members: [JSONMember] = [
            JSONMember("name", .string(base)),
            JSONMember("title", .string("\(pick(Self.words).capitalized) \(pick(Self.words).capitalized) \(index)")),
            JSONMember("description", .string((0...below(3)).map { _ in pick(Self.prose) }.joined(separator: " "))),
            JSONMember("type", .string(type)),
        ]
        switch type {
        case "apiKey":
            members.append(JSONMember("allowedDomains", .array((0...below(3)).map { _ in .string("www.\(pick(Self.words))\(below(100)).example.com") })))
        case "oauth":
            members.append(JSONMember("redirectUris", .array((0...below(2)).map { _ in .string("https://\(pick(Self.words)).example.com/oauth/callback") })))
        default: break
        }
        members.append(JSONMember("services", .array((0...below(4)).map { _ in .string(pick(Self.services)) })))
        members.append(JSONMember("events", .array((0..<below(4)).map { k in
            .object([
                JSONMember("name", .string("\(pick(Self.words))-\(pick(Self.words))-\(k)")),
                JSONMember("provider", .string(pick(["ccstorage", "aem", "analytics", "creative-cloud"]))),
                JSONMember("eventCodes", .array((0...below(3)).map { _ in .string(pick(Self.eventCodes)) })),
                JSONMember("webhookUrl", .string("https://hooks.example.com/adobe/${env:STAGE}/\(pick(Self.words))/\(below(10_000))")),
            ])
        })))
        members.append(JSONMember("protected", .bool(below(4) == 0)))
        if below(3) == 0 { members.append(JSONMember("formerNames", .array([.string(base + "old")]))) }
        return .object(members)
    }

    /// A document of at least `size` bytes in canonical form.
    mutating func document(atLeast size: Int) -> [UInt8] {
        var integrations: [JSON] = []
        var estimate = 64
        while estimate < size {
            let value = integration(integrations.count)
            let text = value.canonicalText()
            // Inside the array each line gains 4 spaces of indentation, and a ",\n".
            estimate += text.utf8.count + 4 * text.utf8.lazy.filter { $0 == 0x0A }.count + 2
            integrations.append(value)
        }
        while true {
            let bytes = JSON.object([
                JSONMember("$schema", "../schemas/manifest.schema.json"),
                JSONMember("integrations", .array(integrations)),
            ]).canonicalBytes()
            if bytes.count >= size { return bytes }
            for _ in 0..<max(1, (size - bytes.count) / 800) { integrations.append(integration(integrations.count)) }
        }
    }
}
