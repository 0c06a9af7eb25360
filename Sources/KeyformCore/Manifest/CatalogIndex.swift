/// The catalog arranged for the rules' lookups by bytes: services by code and event
/// providers by id, each the first of its code, as `Dictionary(uniquingKeysWith:)` keeps.
/// A class: the rules pass it around, and one reference is cheaper to copy than its arrays.
final class CatalogIndex: Sendable {
    let catalog: Catalog
    private let services: ByteStringTable
    /// Catalog position of each table entry.
    private let servicePositions: [Int]
    private let providers: ByteStringTable
    private let providerPositions: [Int]
    /// Each provider's event codes as UTF-8, by catalog position.
    let eventCodes: [[[UInt8]]]
    /// Each service's entitlement and credential types, by catalog position.
    let entitled: [Bool]
    /// Bit `CredentialType.bit` set for each type the service supports.
    let supports: [UInt8]
    /// Whether every code and id is ASCII (byte comparison then equals `String` comparison).
    let isASCII: Bool

    init(_ catalog: Catalog) {
        self.catalog = catalog
        var services = ByteStringTable(), servicePositions: [Int] = []
        var providers = ByteStringTable(), providerPositions: [Int] = []
        var ascii = true
        for (position, service) in catalog.services.enumerated() {
            ascii = ascii && service.code.utf8.allSatisfy { $0 < 0x80 }
            if services.insert(service.code).inserted { servicePositions.append(position) }
        }
        for (position, provider) in catalog.eventProviders.enumerated() {
            ascii = ascii && provider.id.utf8.allSatisfy { $0 < 0x80 }
            ascii = ascii && provider.eventCodes.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } }
            if providers.insert(provider.id).inserted { providerPositions.append(position) }
        }
        self.services = services
        self.servicePositions = servicePositions
        self.providers = providers
        self.providerPositions = providerPositions
        eventCodes = catalog.eventProviders.map { $0.eventCodes.map { Array($0.utf8) } }
        entitled = catalog.services.map(\.isEntitled)
        supports = catalog.services.map { $0.credentialTypes.reduce(0) { $0 | $1.bit } }
        isASCII = ascii
    }

    /// The catalog position of the service with this code.
    func service(_ code: UnsafeBufferPointer<UInt8>) -> Int? {
        services.find(code).map { servicePositions[$0] }
    }

    /// The catalog position of the event provider with this id.
    func provider(_ id: UnsafeBufferPointer<UInt8>) -> Int? {
        providers.find(id).map { providerPositions[$0] }
    }

    /// Whether provider `position` offers `code`.
    func provider(_ position: Int, offers code: UnsafeBufferPointer<UInt8>) -> Bool {
        for offered in eventCodes[position] where offered.count == code.count && code.elementsEqual(offered) { return true }
        return false
    }
}

extension CredentialType {
    /// One bit per type, for sets of types.
    var bit: UInt8 {
        switch self {
        case .apiKey: 1
        case .oauth: 2
        case .serviceAccount: 4
        }
    }
}
