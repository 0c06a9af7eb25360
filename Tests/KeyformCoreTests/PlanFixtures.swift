import KeyformCore
import KeyformJSON

/// Integrations, records and headers shared by the diff, plan and render tests.
enum PlanFixtures {
    static let header = PlanHeader(
        id: "5d0c2a9e-41f7-4c11-9a3e-0c9f1b7d2e10", createdAt: "2025-06-01T12:00:00Z",
        stateLineage: "8b1f3c52-6d0e-4f7a-b9c4-2e5a7d9f0c31", stateSerial: 7,
        stateDigest: SHA256.hex(Array("state serial 7".utf8)), catalogDigest: Catalog.default.digest)

    static let assetSync = EventRegistrationSpec(
        name: "asset-sync", provider: "ccstorage", eventCodes: ["asset_deleted", "asset_created"],
        webhookUrl: "https://hooks.example.com/adobe/prod/assets")

    static let stockSearch = IntegrationSpec(
        name: "stocksearchweb", title: "Stock Search Web",
        description: "Adobe Stock search for the marketing site's image picker.", type: .apiKey,
        allowedDomains: ["www.example.com"], services: ["StockSDK"])

    static let ccAssets = IntegrationSpec(
        name: "ccassets", title: "Creative Cloud Assets", description: "Syncs campaign assets from Creative Cloud.",
        type: .oauth, redirectUris: ["https://assets.example.com/callback"], services: ["CCStorageSdk"],
        events: [assetSync])

    static let photoshopJobs = IntegrationSpec(
        name: "photoshopjobs", title: "Photoshop Jobs", description: "Batch retouching for product photos.",
        type: .serviceAccount, services: ["PhotoshopSDK", "LightroomSDK"])

    /// The record an apply of `spec` would leave: ids and API key numbered by `n`.
    static func record(_ spec: IntegrationSpec, _ n: Int) -> IntegrationRecord {
        IntegrationRecord(
            id: IntegrationID(projectId: "proj-\(n)", workspaceId: "ws-\(n)", credentialId: "cred-\(n)"),
            apiKey: "apikey\(n)0000000000000000000000\(n)", attributes: spec.attributes, services: spec.services,
            registrations: spec.events.map { RegistrationRecord(id: "reg-\(n)-\($0.name)", spec: $0) },
            isProtected: spec.isProtected)
    }

    /// The three integrations as applied.
    static var appliedState: [IntegrationRecord] {
        [record(ccAssets, 1), record(photoshopJobs, 2), record(stockSearch, 3)]
    }

    /// Diagnostics as the golden files show them.
    static func render(_ failure: PlanFailure) -> String {
        var out = ""
        for diagnostic in failure.diagnostics {
            out += "\(diagnostic.severity.rawValue)[\(diagnostic.code)]: \(diagnostic.message)\n"
            for note in diagnostic.notes { out += "  note: \(note.message)\n" }
            if let suggestion = diagnostic.suggestion { out += "  help: \(suggestion)\n" }
        }
        return out
    }
}
