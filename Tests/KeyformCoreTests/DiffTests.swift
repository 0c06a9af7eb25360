import KeyformCore
import KeyformJSON
import Testing

@Suite struct DiffTests {
    typealias F = PlanFixtures

    @Test func servicesDomainsAndEventCodesCompareAsSets() throws {
        var stored = F.record(F.stockSearch, 3)
        stored.services = ["StockSDK", "ViewSDK"]
        stored.attributes.allowedDomains = ["www.example.com", "assets.example.com"]
        var assets = F.record(F.ccAssets, 1)
        assets.registrations[0].spec.eventCodes = ["asset_deleted", "asset_created", "asset_created"]
        var spec = F.stockSearch
        spec.services = ["ViewSDK", "StockSDK", "ViewSDK"]
        spec.allowedDomains = ["assets.example.com", "www.example.com", "assets.example.com"]
        let diff = try Diff.compute(desired: [spec, F.ccAssets], stored: [stored, assets])
        #expect(diff.changes.map(\.disposition) == [.unchanged, .unchanged])
    }

    /// Every scenario's manifests, once applied, plan no action: nothing is a perpetual diff.
    @Test(arguments: PlanScenario.all.filter { !$0.desired.isEmpty })
    func appliedManifestsPlanNothing(_ scenario: PlanScenario) throws {
        let applied = scenario.desired.enumerated().map { F.record($0.element, $0.offset + 1) }
        for console in [nil, applied] {
            let plan = try Planner.plan(
                desired: scenario.desired, stored: applied, console: console, allowDelete: false, header: F.header)
            #expect(!plan.hasChanges)
            #expect(plan.actions.map(\.kind) == Array(repeating: .noOp, count: scenario.desired.count))
            #expect(plan.drift.isEmpty)
            #expect(plan.stateRefresh.isEmpty)
            #expect(TextPlanRenderer().render(plan) == "No changes. The console matches the manifests.\n")
        }
    }

    @Test func renameThroughFormerNamesIsOneActionOnTheSameRecord() throws {
        var spec = F.stockSearch
        spec.formerNames = ["stocksearch", "neverexisted"]
        var old = F.stockSearch
        old.name = "stocksearch"
        let plan = try Planner.plan(desired: [spec], stored: [F.record(old, 3)], allowDelete: false, header: F.header)
        #expect(plan.actions.map(\.id) == ["rename:stocksearchweb"])
        let rename = try #require(plan.actions.first)
        #expect(rename.operation == .rename(from: "stocksearch", to: spec))
        #expect(rename.stateName == "stocksearch")
        #expect(rename.integrationId == IntegrationID(projectId: "proj-3", workspaceId: "ws-3", credentialId: "cred-3"))
        #expect(rename.reason == "will be renamed from \"stocksearch\" (listed in formerNames)")
        #expect(plan.summary.sentence == "Plan: 0 to create, 1 to update, 0 to delete.")
    }

    @Test func aFormerNameIsIgnoredWhenTheNewNameIsAlreadyInTheState() throws {
        var spec = F.stockSearch
        spec.formerNames = ["stocksearch"]
        var old = F.stockSearch
        old.name = "stocksearch"
        let plan = try Planner.plan(
            desired: [spec], stored: [F.record(old, 4), F.record(F.stockSearch, 3)], allowDelete: true, header: F.header)
        #expect(plan.actions.map(\.id) == ["delete:stocksearch", "no-op:stocksearchweb"])
        // The reason says why the former name is not taken over (it said only "no longer in
        // the manifests", which the reviewer can see is not the whole story).
        let because = "no longer in the manifests; 'stocksearchweb' lists it in formerNames, but the state holds "
            + "'stocksearchweb' as an integration of its own, so it is not renamed into it"
        #expect(plan.actions.first?.reason == "will be deleted (\(because))")
        #expect(throws: PlanFailure([.deleteNotAllowed([.init(name: "stocksearch", cause: .listedAsFormerNameOf("stocksearchweb"))])])) {
            try Planner.plan(desired: [spec], stored: [F.record(old, 4), F.record(F.stockSearch, 3)], allowDelete: false, header: F.header)
        }
        let refused = PlanError.deleteNotAllowed([.init(name: "stocksearch", cause: .listedAsFormerNameOf("stocksearchweb"))]).diagnostic
        #expect(refused.notes.map(\.message) == ["'stocksearch': \(because)"])
    }

    @Test func ambiguousRenamesAreErrorsWithTheirFix() {
        func named(_ name: String, formerNames: [String] = []) -> IntegrationSpec {
            var spec = F.photoshopJobs
            spec.name = name
            spec.formerNames = formerNames
            return spec
        }
        let stored = [F.record(named("alpha"), 1), F.record(named("beta"), 2), F.record(named("gamma"), 3)]
        let desired = [
            named("beta"),
            named("delta", formerNames: ["alpha", "gamma"]),
            named("epsilon", formerNames: ["beta"]),
            named("zeta", formerNames: ["gamma"]),
            named("eta", formerNames: ["gamma"]),
        ]
        #expect(throws: PlanFailure([
            .ambiguousFormerNames(name: "delta", formerNames: ["alpha", "gamma"]),
            .formerNameClaimedTwice(formerName: "gamma", claimants: ["eta", "zeta"]),
            .formerNameStillDeclared(formerName: "beta", claimant: "epsilon"),
        ])) {
            try Diff.compute(desired: desired, stored: stored)
        }
        let messages = PlanFailure([
            .ambiguousFormerNames(name: "delta", formerNames: ["alpha", "gamma"]),
            .formerNameClaimedTwice(formerName: "gamma", claimants: ["eta", "zeta"]),
            .formerNameStillDeclared(formerName: "beta", claimant: "epsilon"),
        ]).diagnostics.map { "\($0.code) \($0.message) | \($0.suggestion ?? "")" }
        #expect(messages == [
            "KF431 'delta' lists several former names that the state holds: 'alpha', 'gamma' | keep only the former name of the integration to rename in 'formerNames'",
            "KF432 the former name 'gamma' is listed by several integrations: 'eta', 'zeta' | remove 'gamma' from the 'formerNames' of all but one of them",
            "KF433 'epsilon' lists 'beta' as a former name, but an integration named 'beta' is still in the manifests | remove 'beta' from the 'formerNames' of 'epsilon', or remove the entry named 'beta'",
        ])
    }

    @Test func duplicateDesiredNamesAreAnError() {
        #expect(throws: PlanFailure([.duplicateName("stocksearchweb")])) {
            try Diff.compute(desired: [F.stockSearch, F.stockSearch], stored: [])
        }
    }

    @Test func renamingOntoAnUnmanagedConsoleNameIsAnError() {
        var spec = F.stockSearch
        spec.formerNames = ["stocksearch"]
        var old = F.stockSearch
        old.name = "stocksearch"
        let stored = F.record(old, 3)
        let squatter = F.record(F.stockSearch, 8)
        #expect(throws: PlanFailure([.renameTargetTaken(from: "stocksearch", to: "stocksearchweb")])) {
            try Diff.compute(desired: [spec], stored: [stored], console: [stored, squatter])
        }
    }

    @Test func withoutARefreshThereIsNoDrift() throws {
        var stored = F.record(F.stockSearch, 3)
        stored.attributes.title = "Old Title"
        let diff = try Diff.compute(desired: [F.stockSearch], stored: [stored], console: nil)
        #expect(!diff.refreshed)
        #expect(diff.drift.isEmpty)
        #expect(diff.changes.map(\.changedAttributes) == [["title"]])
    }

    @Test func aRefreshDiffsAgainstTheConsoleAndRecordsWhatItLearned() throws {
        let stored = PlanFixtures.appliedState
        let console = PlanScenario.driftedConsole
        let diff = try Diff.compute(desired: PlanScenario.applied, stored: stored, console: console)
        #expect(diff.refreshed)
        #expect(diff.drift.map { "\($0.kind.rawValue) \($0.address)" } == [
            "deleted ccassets.events[\"asset-sync\"]",
            "added ccassets.events[\"manual-hook\"]",
            "deleted photoshopjobs",
            "unmanaged sandboxapp",
            "changed stocksearchweb",
        ])
        #expect(diff.changes.map { "\($0.name) \($0.disposition)" } == [
            "ccassets update", "photoshopjobs create", "stocksearchweb update",
        ])
        #expect(diff.changes[1].createReason == .deletedOutside)
        let consoleStock = try #require(console.first { $0.name == "stocksearchweb" })
        let consoleAssets = try #require(console.first { $0.name == "ccassets" })
        #expect(diff.stateRefresh == [
            .upsert(consoleAssets, formerName: nil),
            .remove(name: "photoshopjobs"),
            .upsert(consoleStock, formerName: nil),
        ])
    }

    @Test func aRenameByHandIsRenamedBackAndTheStateKeepsItsName() throws {
        var renamed = F.record(F.stockSearch, 3)
        renamed.attributes.name = "stocksearchweb2"
        let plan = try Planner.plan(
            desired: [F.stockSearch], stored: [F.record(F.stockSearch, 3)], console: [renamed], allowDelete: false,
            header: F.header)
        #expect(plan.actions.map(\.id) == ["rename:stocksearchweb"])
        #expect(plan.actions[0].reason == "will be renamed back from \"stocksearchweb2\" (renamed in the console outside Keyform)")
        #expect(plan.actions[0].operation == .rename(from: "stocksearchweb", to: F.stockSearch))
        #expect(plan.drift.map(\.message) == ["changed in the console"])
        // The refreshed record keeps the name the state knows it by.
        #expect(plan.stateRefresh.isEmpty)
    }

    @Test func anUnmanagedIntegrationOfADesiredNameIsAdoptedByTheCreate() throws {
        let existing = F.record(F.stockSearch, 5)
        let plan = try Planner.plan(desired: [F.stockSearch], stored: [], console: [existing], allowDelete: false, header: F.header)
        #expect(plan.actions.map(\.id) == ["create:stocksearchweb", "subscribe:stocksearchweb.services"])
        #expect(plan.actions[0].reason
            == "will be created (the console already holds an unmanaged integration of this name: the create adopts it)")
        #expect(plan.drift.map(\.message) == ["in the console but not in the state: its create adopts it"])
    }

    @Test func registrationsChangedInTheConsoleAreDriftAndCorrected() throws {
        var console = F.record(F.ccAssets, 1)
        console.registrations[0].spec.webhookUrl = "https://evil.example.net/hook"
        let plan = try Planner.plan(
            desired: [F.ccAssets], stored: [F.record(F.ccAssets, 1)], console: [console], allowDelete: false, header: F.header)
        #expect(plan.drift.map { "\($0.kind.rawValue) \($0.address) \($0.message)" }
            == ["changed ccassets.events[\"asset-sync\"] changed in the console"])
        #expect(plan.actions.map(\.id) == ["update-registration:ccassets.events[\"asset-sync\"]"])
        #expect(plan.actions[0].operation == .updateRegistration(registrationId: "reg-1-asset-sync", to: F.assetSync))
    }

    @Test func protectedIsComparedWithTheStateNotTheConsole() throws {
        var protectedSpec = F.stockSearch
        protectedSpec.isProtected = true
        let stored = F.record(protectedSpec, 3)
        var console = stored
        console.isProtected = false  // consoles do not know about protection
        let plan = try Planner.plan(
            desired: [protectedSpec], stored: [stored], console: [console], allowDelete: false, header: F.header)
        #expect(!plan.hasChanges)
        #expect(plan.stateRefresh.isEmpty)
    }
}

extension DiffTests {
    @Test func aNewNameHeldByAManagedIntegrationRenamedByHandIsAnError() {
        var renamed = F.record(F.stockSearch, 3)
        renamed.attributes.name = "stocksearchnew"
        var newSpec = F.stockSearch
        newSpec.name = "stocksearchnew"
        #expect(throws: PlanFailure([.nameTakenByRenamed(name: "stocksearchnew", stateName: "stocksearchweb")])) {
            try Diff.compute(desired: [F.stockSearch, newSpec], stored: [F.record(F.stockSearch, 3)], console: [renamed])
        }
        #expect(PlanError.nameTakenByRenamed(name: "stocksearchnew", stateName: "stocksearchweb").diagnostic.message
            == "cannot create 'stocksearchnew': the console's integration of that name is 'stocksearchweb' of the state, renamed in the console outside Keyform")
    }
}
