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

    /// The property numbers of the fields the rules read, and the shapes' numbers.
    struct Fields: Sendable {
        let integration: Int, event: Int
        let integrations: Int
        let name: Int, type: Int, title: Int, description: Int, redirectUris: Int, services: Int, events: Int
        let formerNames: Int
        let eventName: Int, provider: Int, eventCodes: Int, webhookUrl: Int

        init?(_ schema: ManifestFastSchema) {
            func number(_ shape: Int, _ key: String) -> Int? { schema.number(of: key, in: schema.objects[shape]) }
            func value(_ shape: Int, _ number: Int) -> ManifestFastSchema.Value {
                schema.property(number, of: schema.objects[shape]).value
            }
            guard let integrations = number(0, "integrations"),
                case .objects(_, let integration) = value(0, integrations),
                let events = number(integration, "events"),
                case .objects(_, let event) = value(integration, events),
                event != integration, integration != 0,
                let name = number(integration, "name"), let type = number(integration, "type"),
                let title = number(integration, "title"), let description = number(integration, "description"),
                let redirectUris = number(integration, "redirectUris"), let services = number(integration, "services"),
                let formerNames = number(integration, "formerNames"),
                let eventName = number(event, "name"), let provider = number(event, "provider"),
                let eventCodes = number(event, "eventCodes"), let webhookUrl = number(event, "webhookUrl")
            else { return nil }
            // The fields the rules read as strings must be strings (or lists of them) here too.
            func isString(_ shape: Int, _ number: Int) -> Bool {
                if case .string = value(shape, number) { return true }
                return false
            }
            func isStrings(_ shape: Int, _ number: Int) -> Bool {
                if case .strings = value(shape, number) { return true }
                return false
            }
            guard isString(integration, name), isString(integration, type), isString(integration, title),
                isString(integration, description), isStrings(integration, redirectUris), isStrings(integration, services),
                isStrings(integration, formerNames), isString(event, eventName), isString(event, provider),
                isStrings(event, eventCodes), isString(event, webhookUrl)
            else { return nil }
            self.integrations = integrations
            self.integration = integration
            self.event = event
            (self.name, self.type, self.title, self.description) = (name, type, title, description)
            (self.redirectUris, self.services, self.events, self.formerNames) = (redirectUris, services, events, formerNames)
            (self.eventName, self.provider, self.eventCodes, self.webhookUrl) = (eventName, provider, eventCodes, webhookUrl)
        }
    }

    /// The embedded schema's checks and fields; nil when the fast path cannot be used.
    static let embedded: (schema: ManifestFastSchema, fields: Fields)? = {
        guard let schema = ManifestFastSchema.embedded, let fields = Fields(schema) else { return nil }
        // A property name that looks like a secret would be a finding on every file using it.
        for key in schema.keys where SecretDetector.inspect(key, field: nil) != nil { return nil }
        return (schema, fields)
    }()

    /// The environment's variables by name, for `substituteQuickly`.
    struct Variables: Sendable {
        private var names = ByteStringTable()
        private(set) var values: [[UInt8]] = []
        private(set) var isASCII: [Bool] = []
        /// False when a name is not ASCII: `String` equality (canonical equivalence, which
        /// the general substitution uses) may then match names whose bytes differ.
        private(set) var isUsable = true

        init(_ environment: [String: String]) {
            for (name, value) in environment {
                guard name.utf8.allSatisfy({ $0 < 0x80 }) else {
                    isUsable = false
                    return
                }
                guard EnvironmentSubstitution.isVariableName(name) else { continue }
                names.insert(name)
                values.append(Array(value.utf8))
                isASCII.append(value.utf8.allSatisfy { $0 < 0x80 })
            }
        }

        /// The number of the variable named by the bytes `name`, if it is defined.
        @inline(__always)
        func number(of name: UnsafeBufferPointer<UInt8>) -> Int? { names.find(name) }
    }

    /// The catalog by names of up to 16 bytes (longer ones are looked up in the `CatalogIndex`).
    struct CatalogTables: Sendable {
        let services: ShortTable
        /// By catalog position: the bits of the credential types a service may be used with
        /// (supported, and entitled).
        let usableWith: [UInt8]
        let providers: ShortTable
        /// Each provider's event codes, by catalog position.
        let eventCodes: [[ManifestFastSchema.ShortName?]]
        let variables: Variables

        init(_ catalog: CatalogIndex?, environment: [String: String]) {
            variables = Variables(environment)
            let model = catalog?.catalog
            services = ShortTable(model?.services.map(\.code) ?? [])
            usableWith = catalog.map { index in zip(index.entitled, index.supports).map { $0 ? $1 : 0 } } ?? []
            providers = ShortTable(model?.eventProviders.map(\.id) ?? [])
            eventCodes = model?.eventProviders.map { provider in
                provider.eventCodes.map { code in
                    var code = code
                    return code.withUTF8 { ManifestFastSchema.ShortName($0) }
                }
            } ?? []
        }
    }

    /// Whether `bytes` is a manifest file the full pipeline would report nothing about; what
    /// it gives the cross-file rules if so, nil otherwise (or when the fast path is off).
    /// - Parameter tables: `CatalogTables(catalog)`, made once for all the files.
    static func check(_ bytes: [UInt8], environment: [String: String], catalog: CatalogIndex?, tables: CatalogTables) -> Clean? {
        guard let (schema, fields) = embedded, !bytes.isEmpty, catalog?.isASCII ?? true else { return nil }
        return bytes.withUnsafeBufferPointer { buffer -> Clean? in
            var check = ManifestFastCheck(
                schema: schema, fields: fields, environment: environment, catalog: catalog, tables: tables, base: buffer.baseAddress!,
                end: buffer.count)
            defer { check.scratch.deallocate() }
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
        // About one integration per 400 bytes of canonical JSON.
        clean.names.reserveCapacity(end / 256)
    }

    // MARK: - Structure

    private mutating func file() -> Bool {
        skipWhitespace()
        let root = objects[0]
        guard take(UInt8(ascii: "{")) else { return false }
        var present: UInt32 = 0
        while true {
            let property = nextMember(root, &present)
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

    private mutating func integrations(_ rule: ManifestFastSchema.ArrayRule) -> Bool {
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
    private mutating func integration() -> Bool {
        let shape = objects[fields.integration]
        guard take(UInt8(ascii: "{")) else { return false }
        var present: UInt32 = 0
        var type: CredentialType?, typeName: ManifestFastSchema.ShortName?, registrations = 0
        services.removeAll(keepingCapacity: true)
        eventNames.removeAll(keepingCapacity: true)
        while true {
            let number = nextMember(shape, &present)
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
    private mutating func events(_ rule: ManifestFastSchema.ArrayRule) -> Int? {
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

    private mutating func event() -> Bool {
        let shape = objects[fields.event]
        guard take(UInt8(ascii: "{")) else { return false }
        var present: UInt32 = 0
        var provider: Int?
        eventCodes.removeAll(keepingCapacity: true)
        while true {
            let number = nextMember(shape, &present)
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

    // MARK: - Values

    /// What the rules do with a string besides the schema's checks.
    private enum Role {
        case plain, title, description, url, service, formerName, eventCode
    }

    /// Any value of `property` the rules do not read (checked against the schema alone).
    private mutating func value(_ property: PropertyRef) -> Bool {
        switch property.pointee.value {
        case .boolean:
            return literal()
        case .string:
            return checkedString(property, role: .plain)
        case .strings:
            return array(property, role: .plain)
        case .objects:
            return false
        }
    }

    /// `true` or `false`.
    private mutating func literal() -> Bool {
        if i + 4 <= end, base[i] == UInt8(ascii: "t"), base[i + 1] == UInt8(ascii: "r"), base[i + 2] == UInt8(ascii: "u"),
            base[i + 3] == UInt8(ascii: "e")
        {
            i += 4
            return true
        }
        if i + 5 <= end, base[i] == UInt8(ascii: "f"), base[i + 1] == UInt8(ascii: "a"), base[i + 2] == UInt8(ascii: "l"),
            base[i + 3] == UInt8(ascii: "s"), base[i + 4] == UInt8(ascii: "e")
        {
            i += 5
            return true
        }
        return false
    }

    /// An array of strings, each checked as `role`.
    private mutating func array(_ property: PropertyRef, role: Role) -> Bool {
        guard case .strings(let rule, let itemRule) = property.pointee.value, take(UInt8(ascii: "[")) else { return false }
        var count = 0
        if rule.uniqueItems { items.removeAll(keepingCapacity: true) }
        while true {
            guard let more = nextElement(first: count == 0) else { return false }
            if !more { break }
            count += 1
            switch role {
            case .service, .formerName, .eventCode:
                // Compared as bytes by the rules: plain ASCII strings only.
                guard count <= IntegrationScanner.shortList, let range = plainString(self.rule(itemRule), field: property.pointee.key) else {
                    return false
                }
                if rule.uniqueItems {
                    guard !items.contains(where: { same($0, range) }) else { return false }
                    items.append(range)
                }
                switch role {
                case .service:
                    if hasCatalog {
                        guard let position = lookUp(range, in: serviceTable, orElse: { $0.service($1) }) else { return false }
                        services.append(position)
                    }
                case .formerName:
                    clean.formerNames.append((range, ByteScan.hash(buffer(range))))
                default:
                    eventCodes.append(range)
                }
            default:
                guard !rule.uniqueItems, checkedString(self.rule(itemRule), field: property.pointee.key, role: role) else { return false }
            }
        }
        return count >= rule.minItems && count <= rule.maxItems
    }

    /// A string the rules compare as bytes: it must be written plainly (no escape, no
    /// `${env:…}`) in ASCII, and pass the schema and the secret check. Its bytes in the file.
    private mutating func plainString(_ property: PropertyRef) -> Range<Int>? {
        guard case .string(let rule) = property.pointee.value else { return nil }
        return plainString(self.rule(rule), field: property.pointee.key)
    }

    /// `field` is the index of the member's name in the schema's `keys`.
    private mutating func plainString(_ rule: RuleRef, field: Int) -> Range<Int>? {
        guard let token = string(), !token.escaped, !token.nonASCII, !token.dollar else { return nil }
        let text = buffer(token.range)
        guard satisfies(rule, text, ascii: true), !looksSecret(text, field: field) else { return nil }
        return token.range
    }

    private mutating func checkedString(_ property: PropertyRef, role: Role) -> Bool {
        guard case .string(let rule) = property.pointee.value else { return false }
        return checkedString(self.rule(rule), field: property.pointee.key, role: role)
    }

    /// A string value: decoded and substituted as the full pipeline does, then the schema's
    /// checks, the secret check and the rules of its `role`.
    private mutating func checkedString(_ rule: RuleRef, field: Int, role: Role) -> Bool {
        guard let token = string() else { return false }
        var text = buffer(token.range)
        var ascii = !token.nonASCII
        if token.escaped {
            guard let decoded = decode(text) else { return false }
            text = decoded
        }
        if token.dollar, !token.escaped, let (substituted, substitutedASCII) = substituteQuickly(text) {
            text = substituted
            ascii = ascii && substitutedASCII
        } else if token.dollar {
            let (substituted, problems) = EnvironmentSubstitution.substitute(utf8: text, environment: environment)
            guard problems.isEmpty else { return false }
            if let substituted {
                text = hold(substituted)
                ascii = ByteScan.isASCII(text)
            }
        }
        guard satisfies(rule, text, ascii: ascii), !looksSecret(text, field: field) else { return false }
        switch role {
        case .title:
            return !GenericNameLint.isGeneric(utf8: text)
        case .description:
            return ManifestRules.wordCount(utf8: text, upTo: 2) > 1
        case .url:
            return URLPolicy.problem(with: text) == nil
        default:
            return true
        }
    }

    @inline(__always)
    private mutating func looksSecret(_ text: UnsafeBufferPointer<UInt8>, field: Int) -> Bool {
        text.count >= SecretDetector.shortestSecret && SecretDetector.mayHoldSecret(text) && SecretDetector.inspect(bytes: text, field: schema.keys[field]) != nil
    }

    /// The credential type `name` names.
    @inline(__always)
    private func credentialType(_ name: ManifestFastSchema.ShortName) -> CredentialType? {
        for (known, type) in credentialTypes where known == name { return type }
        return nil
    }

    /// The catalog position of the code or id at `range` of the file, from `table` when it is
    /// short (as catalog codes are), else from the `CatalogIndex`.
    @inline(__always)
    private mutating func lookUp(
        _ range: Range<Int>, in table: ShortTable, orElse long: (CatalogIndex, UnsafeBufferPointer<UInt8>) -> Int?
    ) -> Int? {
        guard let name = shortName(buffer(range)) else { return long(catalog!, buffer(range)) }
        return table.position(of: name)
    }

    /// `text` as a `ShortName` (nil beyond 16 bytes): two loads when it lies in the file with
    /// 16 bytes to read, else byte by byte.
    @inline(__always)
    private func shortName(_ text: UnsafeBufferPointer<UInt8>) -> ManifestFastSchema.ShortName? {
        guard text.count <= 16 else { return nil }
        guard let start = text.baseAddress, start >= base, start + 16 <= base + end else { return ManifestFastSchema.ShortName(text) }
        let low = UInt64(littleEndian: UnsafeRawPointer(start).loadUnaligned(as: UInt64.self))
        let high = UInt64(littleEndian: UnsafeRawPointer(start + 8).loadUnaligned(as: UInt64.self))
        return ManifestFastSchema.ShortName(count: text.count, wordsMasked: low, high)
    }

    /// Whether provider `position` offers `code` (as `CatalogIndex.provider(_:offers:)`).
    private mutating func offers(_ position: Int, _ code: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let code = shortName(code) else { return catalog!.provider(position, offers: code) }
        for offered in eventCodesOffered[position] where offered == code { return true }
        return false
    }

    /// Whether `text` is one of `allowed[values]`.
    @inline(__always)
    private mutating func isOne(of values: Range<Int>, _ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let packed = shortName(text) else { return false }
        for value in values where allowed[value] == packed { return true }
        return false
    }

    /// The number of the property of `shape` named `name`, or -1.
    @inline(__always)
    private mutating func number(of name: ManifestFastSchema.ShortName, in shape: ManifestFastSchema.Object) -> Int {
        var slot = ManifestFastSchema.slot(of: name)
        while true {
            let number = Int(slots[shape.slots + slot])
            if number < 0 || properties[shape.properties.lowerBound + number].name == name { return number }
            slot = (slot + 1) & 63
        }
    }

    @inline(__always)
    private func member(_ number: Int, of shape: ManifestFastSchema.Object) -> PropertyRef {
        properties.baseAddress! + shape.properties.lowerBound + number
    }

    @inline(__always)
    private func rule(_ index: Int) -> RuleRef { rules.baseAddress! + index }

    /// Whether `text` satisfies the schema's string constraints.
    private mutating func satisfies(_ rule: RuleRef, _ text: UnsafeBufferPointer<UInt8>, ascii: Bool) -> Bool {
        if let values = rule.pointee.allowed, !isOne(of: values, text) { return false }
        if rule.pointee.minLength > 0 || rule.pointee.maxLength < Int.max {
            // Scalars: bytes that do not continue a UTF-8 sequence.
            let length = ascii ? text.count : text.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
            if length < rule.pointee.minLength || length > rule.pointee.maxLength { return false }
        }
        if rule.pointee.pattern >= 0 {
            let fast = ascii ? patterns[rule.pointee.pattern].matches(ascii: text) : nil
            guard fast ?? schema.patterns[rule.pointee.pattern].matches(utf8: text) else { return false }
        }
        return true
    }

    // MARK: - Objects

    static let endOfObject = -1
    static let failure = -2

    /// After an object's `{` or a member: the next member's key and `:`, as the number of the
    /// property it names (`present` gains it), or `endOfObject` after the `}`; `failure` for a
    /// key the schema does not allow, a repeated key, or anything but a key.
    private mutating func nextMember(_ shape: ManifestFastSchema.Object, _ present: inout UInt32) -> Int {
        skipWhitespace()
        guard i < end else { return Self.failure }
        if base[i] == UInt8(ascii: "}") {
            i += 1
            return Self.endOfObject
        }
        if present != 0 {
            guard base[i] == UInt8(ascii: ",") else { return Self.failure }
            i += 1
            skipWhitespace()
        }
        guard let key = shortKey() else { return Self.failure }
        let number = self.number(of: key, in: shape)
        guard number >= 0, present & (1 << UInt32(number)) == 0 else { return Self.failure }
        present |= 1 << UInt32(number)
        skipWhitespace()
        guard take(UInt8(ascii: ":")) else { return Self.failure }
        skipWhitespace()
        return number
    }

    /// The key at `i` (its opening quote), when it is at most 16 plain ASCII bytes (as every
    /// property name is): read as two words, without a loop over its bytes.
    @inline(__always)
    private mutating func shortKey() -> ManifestFastSchema.ShortName? {
        guard i < end, base[i] == UInt8(ascii: "\"") else { return nil }
        let start = i + 1
        guard start + 16 <= end else {
            guard let token = string(), !token.escaped, !token.nonASCII else { return nil }
            return ManifestFastSchema.ShortName(buffer(token.range))
        }
        let low = UInt64(littleEndian: UnsafeRawPointer(base + start).loadUnaligned(as: UInt64.self))
        let high = UInt64(littleEndian: UnsafeRawPointer(base + start + 8).loadUnaligned(as: UInt64.self))
        let lowStops = Self.specialBytes(low, dollar: false), highStops = Self.specialBytes(high, dollar: false)
        let count = lowStops != 0 ? lowStops.trailingZeroBitCount >> 3 : highStops != 0 ? 8 + highStops.trailingZeroBitCount >> 3 : 16
        // The first byte that is not plain ASCII must be the closing quote.
        guard count < 16, base[start + count] == UInt8(ascii: "\"") else { return nil }
        i = start + count + 1
        return ManifestFastSchema.ShortName(count: count, wordsMasked: low, high)
    }

    /// After an array's `[` or an element: true before the next element, false after the
    /// `]`, nil for anything else.
    private mutating func nextElement(first: Bool) -> Bool? {
        skipWhitespace()
        guard i < end else { return nil }
        if base[i] == UInt8(ascii: "]") {
            i += 1
            return false
        }
        if !first {
            guard base[i] == UInt8(ascii: ",") else { return nil }
            i += 1
            skipWhitespace()
        }
        return true
    }

    /// The schema's `if`/`then`s, on the members present (the tested value was checked
    /// against the property's own schema when it was read; here it is compared again).
    /// `tested` is the member the conditionals may test (with its bytes, `value`); one that
    /// tests another is left to the full pipeline.
    private mutating func conditionals(
        _ shape: ManifestFastSchema.Object, _ present: UInt32, tested: Int = -1, value: ManifestFastSchema.ShortName? = nil
    ) -> Bool {
        for index in shape.conditionals {
            let conditional = conditionalList[index]
            guard conditional.property == tested else { return false }
            guard present & (1 << UInt32(tested)) != 0, let value, conditional.values.contains(where: { allowed[$0] == value }) else {
                continue
            }
            if present & conditional.requires != conditional.requires || present & conditional.forbids != 0 { return false }
        }
        return true
    }

    // MARK: - Reading
    //
    // The helpers that read `self` are `mutating` although they change nothing: called from
    // the mutating readers, a non-mutating method is given a copy of this 300-byte struct
    // (measured: a tenth of the time went to those copies).

    struct Token {
        var range: Range<Int>
        var escaped = false
        var nonASCII = false
        var dollar = false
    }

    @inline(__always)
    private func buffer(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
    }

    private mutating func same(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
        a.count == b.count && buffer(a).elementsEqual(buffer(b))
    }

    @inline(__always)
    private mutating func take(_ byte: UInt8) -> Bool {
        guard i < end, base[i] == byte else { return false }
        i += 1
        return true
    }

    /// Skips white space, 8 bytes at a time without a branch per byte: a line break and its
    /// indentation take a step or two.
    @inline(__always)
    private mutating func skipWhitespace() {
        // Most calls find a value or a ':' at once, or one space (after a ':').
        if i < end, base[i] > 0x20 { return }
        if i + 1 < end, base[i] == 0x20, base[i + 1] > 0x20 {
            i += 1
            return
        }
        while i + 8 <= end {
            let v = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
            let white = Self.zeroBytes(v ^ 0x2020_2020_2020_2020) | Self.zeroBytes(v ^ 0x0A0A_0A0A_0A0A_0A0A)
                | Self.zeroBytes(v ^ 0x0D0D_0D0D_0D0D_0D0D) | Self.zeroBytes(v ^ 0x0909_0909_0909_0909)
            let other = ~white & 0x8080_8080_8080_8080
            if other != 0 {
                i += other.trailingZeroBitCount >> 3
                return
            }
            i += 8
        }
        while i < end, base[i] == 0x20 || base[i] == 0x0A || base[i] == 0x0D || base[i] == 0x09 { i += 1 }
    }

    /// The high bit of each byte of `x` that is zero, exactly (no borrow crosses bytes).
    @inline(__always)
    private static func zeroBytes(_ x: UInt64) -> UInt64 {
        ~((((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x)) & 0x8080_8080_8080_8080
    }

    /// The string at `i` (its opening quote), read 8 bytes at a time; nil when it is not one
    /// this check reads: unterminated, holding a control character, invalid UTF-8 or a `\u`
    /// escape (left to the full pipeline).
    @inline(__always)
    private mutating func string() -> Token? {
        guard i < end, base[i] == UInt8(ascii: "\"") else { return nil }
        var token = Token(range: 0..<0)
        let start = i + 1
        var j = start
        while true {
            while j + 8 <= end {
                let mask = Self.specialBytes(UInt64(littleEndian: UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self)))
                if mask != 0 {
                    j += mask.trailingZeroBitCount >> 3
                    break
                }
                j += 8
            }
            guard j < end else { return nil }
            let b = base[j]
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") {
                guard j + 1 < end else { return nil }
                switch base[j + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    token.escaped = true
                    j += 2
                default:
                    return nil
                }
            } else if b == UInt8(ascii: "$") {
                token.dollar = true
                j += 1
            } else if b < 0x20 {
                return nil
            } else if b >= 0x80 {
                let length = UTF8Sequence.length(base, at: j, end: end)
                guard length > 0 else { return nil }
                token.nonASCII = true
                j += length
            } else {
                j += 1
            }
        }
        token.range = start..<j
        i = j + 1
        return token
    }

    /// High bit set in each byte of `v` that is '"', '\\', '$' (unless `dollar` is false),
    /// below 0x20 or above 0x7F; bytes after the first may be flagged spuriously, never bytes
    /// before it.
    @inline(__always)
    private static func specialBytes(_ v: UInt64, dollar: Bool = true) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = v ^ (ones &* 0x22)
        let backslash = v ^ (ones &* 0x5C)
        var found = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
        if dollar {
            let dollars = v ^ (ones &* 0x24)
            found |= (dollars &- ones) & ~dollars
        }
        return (found | ((v &- ones &* 0x20) & ~v) | v) & (ones &* 0x80)
    }

    /// The value of a string with simple escapes, in `scratch`.
    private mutating func decode(_ raw: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        reserve(raw.count)
        var count = 0
        var k = 0
        while k < raw.count {
            var b = raw[k]
            if b == UInt8(ascii: "\\") {
                k += 1
                switch raw[k] {
                case UInt8(ascii: "b"): b = 0x08
                case UInt8(ascii: "f"): b = 0x0C
                case UInt8(ascii: "n"): b = 0x0A
                case UInt8(ascii: "r"): b = 0x0D
                case UInt8(ascii: "t"): b = 0x09
                default: b = raw[k]  // '"', '\\' or '/'
                }
            }
            scratch[count] = b
            count += 1
            k += 1
        }
        return UnsafeBufferPointer(rebasing: scratch[0..<count])
    }

    /// The usual case of `EnvironmentSubstitution.substitute` without its allocations: when
    /// every `$` of `text` (in the file) starts `${env:NAME}` naming a defined variable, at
    /// most four of them, the text after substitution (in `scratch`) and whether the values
    /// were ASCII. Nil for anything else, which the general substitution then decides.
    private mutating func substituteQuickly(_ text: UnsafeBufferPointer<UInt8>) -> (UnsafeBufferPointer<UInt8>, Bool)? {
        guard variables.isUsable else { return nil }
        var references: (Int, Int, Int, Int) = (0, 0, 0, 0)  // variable number << 32 | end of reference
        var found = 0, length = text.count, ascii = true
        var k = 0
        while k < text.count {
            guard text[k] == UInt8(ascii: "$") else {
                k += 1
                continue
            }
            guard found < 4, k + 6 < text.count, text[k + 1] == UInt8(ascii: "{"), text[k + 2] == UInt8(ascii: "e"),
                text[k + 3] == UInt8(ascii: "n"), text[k + 4] == UInt8(ascii: "v"), text[k + 5] == UInt8(ascii: ":")
            else { return nil }
            var close = k + 6
            while close < text.count, text[close] != UInt8(ascii: "}") { close += 1 }
            guard close < text.count, let variable = variables.number(of: UnsafeBufferPointer(rebasing: text[(k + 6)..<close])) else {
                return nil
            }
            let entry = variable << 32 | close
            switch found {
            case 0: references.0 = entry
            case 1: references.1 = entry
            case 2: references.2 = entry
            default: references.3 = entry
            }
            found += 1
            length += variables.values[variable].count - (close + 1 - k)
            ascii = ascii && variables.isASCII[variable]
            k = close + 1
        }
        reserve(length)
        var out = 0, copied = 0
        k = 0
        for index in 0..<found {
            let entry = index == 0 ? references.0 : index == 1 ? references.1 : index == 2 ? references.2 : references.3
            let variable = entry >> 32, close = entry & 0xFFFF_FFFF
            while text[k] != UInt8(ascii: "$") { k += 1 }
            for b in text[copied..<k] { scratch[out] = b; out += 1 }
            for b in variables.values[variable] { scratch[out] = b; out += 1 }
            copied = close + 1
            k = copied
        }
        for b in text[copied...] { scratch[out] = b; out += 1 }
        return (UnsafeBufferPointer(rebasing: scratch[0..<out]), ascii)
    }

    /// `bytes`, kept in `scratch`.
    private mutating func hold(_ bytes: [UInt8]) -> UnsafeBufferPointer<UInt8> {
        reserve(bytes.count)
        _ = UnsafeMutableBufferPointer(rebasing: scratch[0..<bytes.count]).initialize(from: bytes)
        return UnsafeBufferPointer(rebasing: scratch[0..<bytes.count])
    }

    private mutating func reserve(_ count: Int) {
        guard count > scratch.count else { return }
        scratch.deallocate()
        scratch = .allocate(capacity: max(count, scratch.count * 2))
    }
}


/// Catalog codes of up to 16 bytes by `ShortName`, each with its catalog position (the first
/// of a repeated code, as `CatalogIndex` keeps), in an open-addressed table.
struct ShortTable: Sendable {
    private var slots: [Int32]
    private var names: [ManifestFastSchema.ShortName] = []
    private var positions: [Int] = []

    init(_ codes: [String]) {
        var size = 64
        while size < codes.count * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        for (position, code) in codes.enumerated() {
            var code = code
            guard let name = code.withUTF8({ ManifestFastSchema.ShortName($0) }), self.position(of: name) == nil else { continue }
            var slot = ManifestFastSchema.slot(of: name, mask: size - 1)
            while slots[slot] >= 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = Int32(names.count)
            names.append(name)
            positions.append(position)
        }
    }

    @inline(__always)
    func position(of name: ManifestFastSchema.ShortName) -> Int? {
        let mask = slots.count - 1
        var slot = ManifestFastSchema.slot(of: name, mask: mask)
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { return nil }
            if names[entry] == name { return positions[entry] }
            slot = (slot + 1) & mask
        }
    }
}
