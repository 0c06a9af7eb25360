import KeyformJSON

/// Decodes the integrations of one manifest file from its tape into `IntegrationEntry`s and
/// runs the rules that need no other integration (catalog, URLs, event registration names,
/// the per-credential quota, lint), reading names and codes as bytes where they lie.
///
/// It decodes as `ManifestDecoder` does (and must agree with it): an integration is an
/// object with a string `name` and a valid `type`; the first of a repeated key wins; an event
/// registration is an object with a string `name`; sets keep their first occurrence. An
/// integration whose service codes, event names, providers or event codes are not all plain
/// ASCII strings (or are more than `shortList`), is decoded into an `IntegrationDraft` and
/// checked by `ManifestRules`, which compares `String`s (canonical equivalence included).
struct IntegrationScanner {
    let source: SourceFile
    let file: Int
    let catalog: CatalogIndex?
    var result = ScannedIntegrations()
    /// For integrations that need `String` comparisons (made on first use).
    private var draftRules: ManifestRules?

    /// Lists up to this long are deduplicated by comparing each item with the ones before it.
    static let shortList = 32

    static let rootKeys = MemberKeys(["integrations"])
    static let integrationKeys = MemberKeys([
        "name", "type", "title", "description", "allowedDomains", "redirectUris", "services", "protected", "formerNames",
        "events",
    ])
    static let eventKeys = MemberKeys(["name", "provider", "webhookUrl", "eventCodes"])

    init(source: SourceFile, file: Int, catalog: CatalogIndex?) {
        self.source = source
        self.file = file
        self.catalog = catalog
    }

    /// The members an integration uses, by tape index of the value (-1 when absent).
    struct Members {
        var name = -1, type = -1, title = -1, description = -1, redirectUris = -1, services = -1
        var formerNames = -1, events = -1
    }

    /// An event registration's members, by tape index of the value (-1 when absent).
    struct EventMembers {
        var name = -1, provider = -1, webhookUrl = -1, eventCodes = -1
    }

    mutating func scan() {
        source.document.withTapeView { view in
            guard view.kind(0) == .object else { return }
            var integrations = -1
            var k = 1
            while k < view.end(of: 0) {
                if Self.rootKeys.position(ofKey: k, in: view) == 0 {
                    integrations = k + 1
                    break
                }
                k = view.next(after: k + 1)
            }
            guard integrations >= 0, view.kind(integrations) == .array else { return }
            let text = TapeText(view: view, replacements: source.replacements)
            let end = view.end(of: integrations)
            result.entries.reserveCapacity(text.elementCount(integrations))
            var element = integrations + 1
            while element < end {
                scanIntegration(element, text)
                element = view.next(after: element)
            }
        }
    }

    private mutating func scanIntegration(_ object: Int, _ text: TapeText) {
        let view = text.view
        guard view.kind(object) == .object else { return }
        var members = Members()
        let end = view.end(of: object)
        var k = object + 1
        while k < end {
            let value = k + 1
            switch Self.integrationKeys.position(ofKey: k, in: view) {
            case 0: if members.name < 0 { members.name = value }
            case 1: if members.type < 0 { members.type = value }
            case 2: if members.title < 0 { members.title = value }
            case 3: if members.description < 0 { members.description = value }
            case 5: if members.redirectUris < 0 { members.redirectUris = value }
            case 6: if members.services < 0 { members.services = value }
            case 8: if members.formerNames < 0 { members.formerNames = value }
            case 9: if members.events < 0 { members.events = value }
            default: break
            }
            k = view.next(after: value)
        }
        guard text.kind(members.name) == .string, text.kind(members.type) == .string, let type = text.credentialType(members.type)
        else { return }

        let formerStart = result.formerNames.count
        // Hashed now, while the bytes are in cache, for `CrossFileRules`.
        result.namesAreASCII = result.namesAreASCII && text.isPlainASCII(members.name)
        let nameHash = result.namesAreASCII ? ByteScan.hash(view.rawString(members.name)) : 0
        text.forEachString(in: members.formerNames) { former in
            result.formerNames.append(former)
            result.namesAreASCII = result.namesAreASCII && text.isPlainASCII(former)
            result.formerHashes.append(result.namesAreASCII ? ByteScan.hash(view.rawString(former)) : 0)
        }
        let events = text.kind(members.events) == .array ? members.events : -1
        let eventCount = events >= 0 ? text.eventCount(events) : 0

        let diagnosticsStart = result.diagnostics.count
        let lintStart: Int
        if byteComparable(members, eventCount: eventCount, text) {
            checkAlone(members, type: type, events: events, eventCount: eventCount, text)
            lintStart = result.diagnostics.count
            lint(members, text)
        } else if let draft = ManifestDecoder.decodeIntegration(source.value(at: object), in: source) {
            var rules = draftRules ?? ManifestRules(catalog: catalog?.catalog)
            rules.diagnostics = []
            rules.checkAlone(draft)
            result.diagnostics += rules.diagnostics
            lintStart = result.diagnostics.count
            rules.diagnostics = []
            rules.lint(draft)
            result.diagnostics += rules.diagnostics
            draftRules = rules
        } else {
            lintStart = result.diagnostics.count
        }
        result.entries.append(IntegrationEntry(
            file: file, name: members.name, nameHash: nameHash, formerNames: formerStart..<result.formerNames.count,
            events: events, eventCount: eventCount, diagnostics: diagnosticsStart..<result.diagnostics.count,
            lintStart: lintStart))
    }

    /// Whether the rules may compare this integration's codes and event names as bytes.
    private func byteComparable(_ members: Members, eventCount: Int, _ text: TapeText) -> Bool {
        guard catalog?.isASCII ?? true, eventCount <= Self.shortList else { return false }
        guard text.allPlainASCII(members.services, limit: Self.shortList) else { return false }
        var comparable = true
        text.forEachEvent(in: members.events) { _, _, event in
            comparable = comparable && text.isPlainASCII(event.name)
                && (text.kind(event.provider) != .string || text.isPlainASCII(event.provider))
                && text.allPlainASCII(event.eventCodes, limit: Self.shortList)
        }
        return comparable
    }
}
