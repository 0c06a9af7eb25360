import KeyformJSON

extension ManifestFastCheck {
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
