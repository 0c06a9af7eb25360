/// What the console offers an organization: services (with the credential types each
/// supports and whether the organization is entitled to it) and event providers.
public struct Catalog: Hashable, Sendable {
    public struct Service: Hashable, Sendable {
        public var code: String
        public var name: String
        public var credentialTypes: [CredentialType]
        public var isEntitled: Bool

        public init(code: String, name: String, credentialTypes: [CredentialType], isEntitled: Bool) {
            self.code = code
            self.name = name
            self.credentialTypes = credentialTypes.sorted()
            self.isEntitled = isEntitled
        }
    }

    public struct EventProvider: Hashable, Sendable {
        public var id: String
        public var label: String
        public var eventCodes: [String]

        public init(id: String, label: String, eventCodes: [String]) {
            self.id = id
            self.label = label
            self.eventCodes = eventCodes
        }
    }

    /// Sorted by code.
    public var services: [Service]
    /// Sorted by id.
    public var eventProviders: [EventProvider]

    public init(services: [Service], eventProviders: [EventProvider]) {
        self.services = services.sorted { $0.code < $1.code }
        self.eventProviders = eventProviders.sorted { $0.id < $1.id }
    }

    public func service(_ code: String) -> Service? { services.first { $0.code == code } }
    public func eventProvider(_ id: String) -> EventProvider? { eventProviders.first { $0.id == id } }

    /// Registration quotas, as the real console has them.
    public static let registrationsPerCredential = 30
    public static let registrationsPerOrganization = 2500

    /// The embedded console's default catalog (DESIGN.md, "Catalog").
    public static let `default` = Catalog(
        services: [
            Service(code: "StockSDK", name: "Adobe Stock", credentialTypes: [.apiKey, .oauth, .serviceAccount], isEntitled: true),
            Service(code: "ViewSDK", name: "View SDK (PDF Embed)", credentialTypes: [.apiKey], isEntitled: true),
            Service(code: "TypekitSDK", name: "Typekit Platform (Adobe Fonts)", credentialTypes: [.apiKey, .oauth], isEntitled: false),
            Service(code: "CCStorageSdk", name: "Creative Cloud Storage", credentialTypes: [.oauth], isEntitled: true),
            Service(code: "PhotoshopSDK", name: "Photoshop API", credentialTypes: [.oauth, .serviceAccount], isEntitled: true),
            Service(code: "LightroomSDK", name: "Lightroom / Camera Raw API", credentialTypes: [.oauth, .serviceAccount], isEntitled: true),
            Service(code: "AdobeAnalyticsSDK", name: "Adobe Analytics", credentialTypes: [.oauth, .serviceAccount], isEntitled: false),
            Service(code: "UserMgmtSDK", name: "User Management API", credentialTypes: [.serviceAccount], isEntitled: true),
            Service(code: "AdobeIOManagementAPISDK", name: "I/O Management API", credentialTypes: [.serviceAccount], isEntitled: true),
            Service(code: "CloudIntegrationSDK", name: "I/O Events", credentialTypes: [.serviceAccount], isEntitled: true),
            Service(code: "McDataServicesSdk", name: "Experience Platform API", credentialTypes: [.serviceAccount], isEntitled: true),
            Service(code: "CampaignSDK", name: "Adobe Campaign", credentialTypes: [.serviceAccount], isEntitled: false),
        ],
        eventProviders: [
            EventProvider(id: "ccstorage", label: "Creative Cloud Assets", eventCodes: ["asset_created", "asset_updated", "asset_deleted"]),
            EventProvider(id: "aem", label: "Experience Manager", eventCodes: ["asset_processing_completed", "asset_published"]),
            EventProvider(id: "analytics-triggers", label: "Analytics Triggers", eventCodes: ["trigger_fired"]),
        ]
    )
}
