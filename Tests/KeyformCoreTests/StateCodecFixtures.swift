import KeyformCore

/// A small state with one integration of each credential type, registrations and a pending create.
enum StateCodecFixtures {
    static let web = IntegrationRecord(
        id: IntegrationID(projectId: "4566206088344794931", workspaceId: "4566206088344794932", credentialId: "1234567"),
        apiKey: "5c8a2b7e0f1d4c6a9e3b7d2f1a0c8e4b",
        attributes: IntegrationAttributes(
            name: "stocksearchweb", title: "Stock Search Web",
            description: "Adobe Stock search for the marketing site's image picker.\nSecond line with \"quotes\".",
            type: .apiKey, allowedDomains: ["www.example.com", "example.com"]),
        services: ["ViewSDK", "StockSDK", "StockSDK"])

    static let portal = IntegrationRecord(
        id: IntegrationID(projectId: "p-portal", workspaceId: "w-portal", credentialId: "c-portal"),
        apiKey: "a1b2c3d4e5f60718293a4b5c6d7e8f90",
        attributes: IntegrationAttributes(
            name: "assetportal", title: "Asset Portal", description: "Creative Cloud assets for the partner portal.",
            type: .oauth, redirectUris: ["https://portal.example.com/callback"]),
        services: ["CCStorageSdk"],
        registrations: [
            RegistrationRecord(id: "reg-42", spec: EventRegistrationSpec(
                name: "asset-sync", provider: "ccstorage", eventCodes: ["asset_deleted", "asset_created"],
                webhookUrl: "https://hooks.example.com/adobe/assets")),
        ])

    static let sync = IntegrationRecord(
        id: IntegrationID(projectId: "p-sync", workspaceId: "w-sync", credentialId: "c-sync"),
        apiKey: "ffeeddccbbaa99887766554433221100",
        attributes: IntegrationAttributes(
            name: "usersync", title: "User Sync", description: "Nightly user provisioning (ünïcode ✓).",
            type: .serviceAccount),
        services: ["UserMgmtSDK", "AdobeIOManagementAPISDK"],
        registrations: [
            RegistrationRecord(id: "reg-2", spec: EventRegistrationSpec(
                name: "zeta-triggers", provider: "analytics-triggers", eventCodes: ["trigger_fired"],
                webhookUrl: "http://localhost:8080/hook")),
            RegistrationRecord(id: "reg-1", spec: EventRegistrationSpec(
                name: "aem-published", provider: "aem", eventCodes: ["asset_published"],
                webhookUrl: "https://hooks.example.com/aem")),
        ],
        isProtected: true)

    static let document = StateDocument(
        serial: 7, lineage: "0f4c2a8e-5b1d-4c3e-9a77-2d5e8b1f6c90", keyformVersion: "0.1.0",
        integrations: ["stocksearchweb": web, "assetportal": portal, "usersync": sync],
        pendingCreates: ["newapp", "another"])
}
