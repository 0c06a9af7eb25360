import KeyformJSON

/// The fast path of `keyform validate`: reads a manifest file once, byte by byte, making every
/// check the full pipeline makes of a file (syntax, `${env:…}`, secrets, the schema through
/// `ManifestFastSchema`, the catalog, URLs, event registrations, lint), and answers only
/// whether the file is clean.
///
/// It is a certificate, not a second validator: it builds no tape and makes no diagnostic.
/// Whatever it cannot settle on the spot (an escape it does not decode, a non-ASCII code, a
/// finding of any kind) makes it give up, and `ManifestLoader` then runs the full pipeline,
/// which says what is wrong and where. So it only has to be right when it says "clean":
/// `ManifestFastPathAgreementTests` holds it to that on the gallery, the examples and
/// thousands of mutated manifests.
struct ManifestFastCheck {
    typealias PropertyRef = UnsafeMutablePointer<ManifestFastSchema.Property>
    typealias RuleRef = UnsafeMutablePointer<ManifestFastSchema.StringRule>
    /// What a clean file gives the rules across files.
    struct Clean: Sendable {
        /// Each integration's name: its bytes in the file (plain ASCII), and `ByteScan.hash` of them.
        var names: [(range: Range<Int>, hash: UInt64)] = []
        var formerNames: [(range: Range<Int>, hash: UInt64)] = []
        var registrations = 0
    }

    /// Whether `bytes` is a manifest file the full pipeline would report nothing about; what
    /// it gives the cross-file rules if so, nil otherwise (or when the fast path is off).
    /// - Parameters:
    ///   - tables: `CatalogTables(catalog, environment:)`, made once for all the files.
    ///   - checks: the schema's checks (tests give others).
    static func check(
        _ bytes: [UInt8], environment: [String: String], catalog: CatalogIndex?, tables: CatalogTables,
        using checks: (schema: ManifestFastSchema, fields: Fields)? = embedded
    ) -> Clean? {
        guard let (schema, fields) = checks, !bytes.isEmpty, catalog?.isASCII ?? true else { return nil }
        return bytes.withUnsafeBufferPointer { buffer -> Clean? in
            var check = ManifestFastCheck(
                schema: schema, fields: fields, environment: environment, catalog: catalog, tables: tables, base: buffer.baseAddress!,
                end: buffer.count)
            defer {
                check.scratch.deallocate()
                check.followers.deallocate()
            }
            return check.file() ? check.clean : nil
        }
    }

    let schema: ManifestFastSchema
    /// The schema's buffers, copied out of it so that reading them counts no references.
    let objects: UnsafeMutableBufferPointer<ManifestFastSchema.Object>
    let properties: UnsafeMutableBufferPointer<ManifestFastSchema.Property>
    let rules: UnsafeMutableBufferPointer<ManifestFastSchema.StringRule>
    let allowed: UnsafeMutableBufferPointer<ManifestFastSchema.ShortName>
    let conditionalList: UnsafeMutableBufferPointer<ManifestFastSchema.Conditional>
    let patterns: UnsafeMutableBufferPointer<ManifestFastSchema.Pattern>
    let slots: UnsafeMutableBufferPointer<Int8>
    let fields: Fields
    /// The credential types by name.
    let credentialTypes: [(ManifestFastSchema.ShortName, CredentialType)] = CredentialType.allCases.map { type in
        var name = type.rawValue
        return (name.withUTF8 { ManifestFastSchema.ShortName($0)! }, type)
    }
    let environment: [String: String]
    /// Whether the catalog rules apply (not `--offline`).
    let hasCatalog: Bool
    // The catalog's tables (`CatalogTables`), held here: lookups in a class's stored arrays
    // retain and release them each time.
    let serviceTable: ShortTable
    let usableWith: [UInt8]
    let providerTable: ShortTable
    let variables: Variables
    let eventCodesOffered: [[ManifestFastSchema.ShortName?]]
    /// For codes longer than the tables hold; not retained on each use (the caller keeps it).
    unowned(unsafe) let catalog: CatalogIndex?
    let base: UnsafePointer<UInt8>
    let end: Int
    /// The reading position.
    var i = 0
    var clean = Clean()
    /// Decoded escapes and substitutions, one value at a time.
    var scratch: UnsafeMutableBufferPointer<UInt8>
    /// The current integration's service positions in the catalog, and event names.
    var services: [Int] = []
    var eventNames: [Range<Int>] = []
    /// The current event registration's codes.
    var eventCodes: [Range<Int>] = []
    /// The items of a `uniqueItems` array so far.
    var items: [Range<Int>] = []
    /// Per shape (at its `slots` offset), the property that followed each property (by its
    /// number + 1; 0 for the first member) last time: files keep their members in one order,
    /// so a key is usually recognized by one comparison, without hashing it.
    var followers: UnsafeMutablePointer<Int8>

    private init(
        schema: ManifestFastSchema, fields: Fields, environment: [String: String], catalog: CatalogIndex?, tables: CatalogTables,
        base: UnsafePointer<UInt8>, end: Int
    ) {
        self.schema = schema
        objects = schema.objects
        properties = schema.properties
        rules = schema.rules
        allowed = schema.allowed
        conditionalList = schema.conditionals
        patterns = schema.fastPatterns
        slots = schema.slots
        self.fields = fields
        self.environment = environment
        hasCatalog = catalog != nil
        self.catalog = catalog
        (serviceTable, usableWith, providerTable, eventCodesOffered) =
            (tables.services, tables.usableWith, tables.providers, tables.eventCodes)
        variables = tables.variables
        self.base = base
        self.end = end
        scratch = .allocate(capacity: 256)
        followers = .allocate(capacity: schema.slots.count)
        followers.initialize(repeating: -1, count: schema.slots.count)
        // About one integration per 400 bytes of canonical JSON.
        clean.names.reserveCapacity(end / 256)
    }

    // MARK: - Structure

    mutating func file() -> Bool {
        skipWhitespace()
        let root = objects[0]
        guard take(UInt8(ascii: "{")) else { return false }
        var present: UInt32 = 0, previous = -1
        while true {
            let property = nextMember(root, &present, after: previous)
            previous = property
            if property == Self.endOfObject { break }
            if property == Self.failure { return false }
            if property == fields.integrations {
                guard case .objects(let rule, _) = member(property, of: root).pointee.value, integrations(rule) else { return false }
            } else {
                guard value(member(property, of: root)) else { return false }
            }
        }
        guard present & root.required == root.required, conditionals(root, present) else { return false }
        skipWhitespace()
        return i == end
    }

    mutating func integrations(_ rule: ManifestFastSchema.ArrayRule) -> Bool {
        guard take(UInt8(ascii: "[")) else { return false }
        var count = 0
        while true {
            guard let more = nextElement(first: count == 0) else { return false }
            if !more { break }
            guard integration() else { return false }
            count += 1
        }
        return count >= rule.minItems && count <= rule.maxItems
    }

    /// One integration: the schema, then the rules about it alone.
    mutating func integration() -> Bool {
        let shape = objects[fields.integration]
        guard take(UInt8(ascii: "{")) else { return false }
        var present: UInt32 = 0, previous = -1
        var type: CredentialType?, typeName: ManifestFastSchema.ShortName?, registrations = 0
        services.removeAll(keepingCapacity: true)
        eventNames.removeAll(keepingCapacity: true)
        while true {
            let number = nextMember(shape, &present, after: previous)
            previous = number
            if number == Self.endOfObject { break }
            if number == Self.failure { return false }
            let property = member(number, of: shape)
            switch number {
            case fields.name:
                guard let range = plainString(property) else { return false }
                let text = buffer(range)
                guard !GenericNameLint.isGeneric(utf8: text) else { return false }
                clean.names.append((range, ByteScan.hash(text)))
            case fields.type:
                guard let range = plainString(property), let name = shortName(buffer(range)),
                    let credential = credentialType(name)
                else { return false }
                type = credential
                typeName = name
            case fields.title:
                guard checkedString(property, role: .title) else { return false }
            case fields.description:
                guard checkedString(property, role: .description) else { return false }
            case fields.services:
                guard array(property, role: .service) else { return false }
            case fields.redirectUris:
                guard array(property, role: .url) else { return false }
            case fields.formerNames:
                guard array(property, role: .formerName) else { return false }
            case fields.events:
                guard case .objects(let rule, _) = property.pointee.value, let count = events(rule) else { return false }
                registrations = count
            default:
                guard value(property) else { return false }
            }
        }
        guard present & shape.required == shape.required, conditionals(shape, present, tested: fields.type, value: typeName), let type
        else { return false }
        for position in services where usableWith[position] & type.bit == 0 { return false }
        guard registrations <= Catalog.registrationsPerCredential else { return false }
        clean.registrations += registrations
        return true
    }

    /// The registrations of one integration; their count, or nil.
    mutating func events(_ rule: ManifestFastSchema.ArrayRule) -> Int? {
        guard take(UInt8(ascii: "[")) else { return nil }
        var count = 0
        while true {
            guard let more = nextElement(first: count == 0) else { return nil }
            if !more { break }
            guard event() else { return nil }
            count += 1
        }
        guard count >= rule.minItems, count <= rule.maxItems else { return nil }
        return count
    }

    mutating func event() -> Bool {
        let shape = objects[fields.event]
        guard take(UInt8(ascii: "{")) else { return false }
        var present: UInt32 = 0, previous = -1
        var provider: Int?
        eventCodes.removeAll(keepingCapacity: true)
        while true {
            let number = nextMember(shape, &present, after: previous)
            previous = number
            if number == Self.endOfObject { break }
            if number == Self.failure { return false }
            let property = member(number, of: shape)
            switch number {
            case fields.eventName:
                // Named like an earlier registration of this integration: a finding.
                guard let range = plainString(property), !eventNames.contains(where: { same($0, range) }) else { return false }
                eventNames.append(range)
            case fields.provider:
                guard let range = plainString(property) else { return false }
                if hasCatalog {
                    guard let position = lookUp(range, in: providerTable, orElse: { $0.provider($1) }) else { return false }
                    provider = position
                }
            case fields.eventCodes:
                guard array(property, role: .eventCode) else { return false }
            case fields.webhookUrl:
                guard checkedString(property, role: .url) else { return false }
            default:
                guard value(property) else { return false }
            }
        }
        guard present & shape.required == shape.required, conditionals(shape, present) else { return false }
        if let provider {
            for code in eventCodes where !offers(provider, buffer(code)) { return false }
        }
        return true
    }

}
