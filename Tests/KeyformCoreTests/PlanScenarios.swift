import KeyformCore
import KeyformJSON
import Testing

/// The scenarios of the golden plan files (`Tests/Golden/plan/<name>.{txt,json,md}`).
struct PlanScenario: CustomTestStringConvertible, Sendable {
    var name: String
    var desired: [IntegrationSpec]
    var stored: [IntegrationRecord]
    var console: [IntegrationRecord]?
    var allowDelete = false

    var testDescription: String { name }

    typealias F = PlanFixtures

    static let legacyHooks = IntegrationSpec(
        name: "legacyhooks", title: "Legacy Hooks", description: "Old AEM publishing hooks.", type: .serviceAccount,
        services: ["CloudIntegrationSDK"],
        events: [EventRegistrationSpec(
            name: "publish", provider: "aem", eventCodes: ["asset_published"],
            webhookUrl: "https://hooks.example.com/adobe/aem")])

    static let applied = [F.ccAssets, F.photoshopJobs, F.stockSearch]

    /// `applied` with one spec changed.
    static func applied(changing name: String, _ change: (inout IntegrationSpec) -> Void) -> [IntegrationSpec] {
        applied.map { spec in
            guard spec.name == name else { return spec }
            var spec = spec
            change(&spec)
            return spec
        }
    }

    static let all: [PlanScenario] = [
        PlanScenario(name: "create", desired: [F.stockSearch, F.ccAssets], stored: []),
        PlanScenario(
            name: "update",
            desired: applied(changing: "stocksearchweb") {
                $0.title = "Stock Search for Web"
                $0.description = "Adobe Stock search for the image pickers of the marketing sites."
                $0.allowedDomains = ["assets.example.com", "www.example.com"]
            },
            stored: F.appliedState),
        PlanScenario(
            name: "rename",
            desired: applied(changing: "stocksearchweb") { $0.formerNames = ["stocksearch"] },
            stored: [F.record(F.ccAssets, 1), F.record(F.photoshopJobs, 2), F.record(renamed(F.stockSearch, "stocksearch", title: "Stock Search"), 3)]),
        PlanScenario(
            name: "subscribe",
            desired: applied(changing: "photoshopjobs") { $0.services = ["PhotoshopSDK", "LightroomSDK", "CloudIntegrationSDK"] },
            stored: F.appliedState),
        PlanScenario(
            name: "unsubscribe",
            desired: applied(changing: "photoshopjobs") { $0.services = ["PhotoshopSDK"] },
            stored: F.appliedState),
        PlanScenario(
            name: "register",
            desired: applied(changing: "ccassets") {
                $0.events.append(EventRegistrationSpec(
                    name: "asset-updates", provider: "ccstorage", eventCodes: ["asset_updated"],
                    webhookUrl: "https://hooks.example.com/adobe/prod/updates"))
            },
            stored: F.appliedState),
        PlanScenario(
            name: "update-registration",
            desired: applied(changing: "ccassets") {
                $0.events = [EventRegistrationSpec(
                    name: "asset-sync", provider: "ccstorage", eventCodes: ["asset_created", "asset_deleted", "asset_updated"],
                    webhookUrl: "https://hooks.example.com/adobe/staging/assets")]
            },
            stored: F.appliedState),
        PlanScenario(
            name: "deregister", desired: applied(changing: "ccassets") { $0.events = [] }, stored: F.appliedState),
        PlanScenario(
            name: "delete-refused", desired: applied, stored: F.appliedState + [F.record(legacyHooks, 4)]),
        PlanScenario(
            name: "delete-allowed", desired: applied, stored: F.appliedState + [F.record(legacyHooks, 4)],
            allowDelete: true),
        PlanScenario(
            name: "protected", desired: applied(changing: "stocksearchweb") { $0.isProtected = true },
            stored: F.appliedState),
        PlanScenario(
            name: "protected-refused", desired: [F.ccAssets, F.photoshopJobs],
            stored: [F.record(F.ccAssets, 1), F.record(F.photoshopJobs, 2), F.record(protected(F.stockSearch), 3)],
            allowDelete: true),
        PlanScenario(name: "drift", desired: applied, stored: F.appliedState, console: driftedConsole),
        PlanScenario(
            name: "no-changes",
            desired: applied(changing: "photoshopjobs") { $0.services = ["LightroomSDK", "PhotoshopSDK", "LightroomSDK"] },
            stored: F.appliedState, console: F.appliedState),
        PlanScenario(
            name: "replace",
            desired: applied(changing: "ccassets") {
                $0.type = .serviceAccount
                $0.redirectUris = []
                $0.services = ["PhotoshopSDK"]
            },
            stored: F.appliedState, allowDelete: true),
        PlanScenario(
            name: "replace-refused",
            desired: applied(changing: "ccassets") {
                $0.type = .serviceAccount
                $0.redirectUris = []
                $0.services = ["PhotoshopSDK"]
            },
            stored: F.appliedState),
        PlanScenario(name: "refuse-delete-all", desired: [], stored: F.appliedState, allowDelete: true),
    ]

    /// The console after hands changed it: a title and a service on `stocksearchweb`, a
    /// registration deleted and another added on `ccassets`, `photoshopjobs` deleted, and an
    /// unmanaged `sandboxapp`.
    static var driftedConsole: [IntegrationRecord] {
        var stock = F.record(F.stockSearch, 3)
        stock.attributes.title = "Stock search (old)"
        stock.services = ["StockSDK", "ViewSDK"]
        var assets = F.record(F.ccAssets, 1)
        assets.registrations = [RegistrationRecord(
            id: "reg-manual", spec: EventRegistrationSpec(
                name: "manual-hook", provider: "ccstorage", eventCodes: ["asset_deleted"],
                webhookUrl: "https://requestbin.example.net/x1"))]
        let sandbox = F.record(
            IntegrationSpec(
                name: "sandboxapp", title: "Sandbox App", description: "Someone's experiment.", type: .apiKey,
                services: ["ViewSDK"]), 9)
        return [assets, sandbox, stock]
    }

    static func renamed(_ spec: IntegrationSpec, _ name: String, title: String) -> IntegrationSpec {
        var spec = spec
        spec.name = name
        spec.title = title
        return spec
    }

    static func protected(_ spec: IntegrationSpec) -> IntegrationSpec {
        var spec = spec
        spec.isProtected = true
        return spec
    }

    /// The plan, or the failure's diagnostics as text.
    func run() -> Result<Plan, PlanFailure> {
        Result { () throws(PlanFailure) -> Plan in
            try Planner.plan(
                desired: desired, stored: stored, console: console, allowDelete: allowDelete, header: PlanFixtures.header)
        }
    }
}
