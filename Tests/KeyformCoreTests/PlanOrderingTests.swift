@testable import KeyformCore
import Testing

@Suite struct PlanOrderingTests {
    typealias F = PlanFixtures

    /// In every scenario's plan, ids are unique and each dependency comes earlier.
    @Test(arguments: PlanScenario.all)
    func dependenciesComeFirst(_ scenario: PlanScenario) throws {
        guard case .success(let plan) = scenario.run() else { return }
        var seen = Set<String>()
        for action in plan.actions {
            for dependency in action.dependsOn {
                #expect(seen.contains(dependency), "\(action.id) runs before its dependency \(dependency)")
            }
            #expect(seen.insert(action.id).inserted, "\(action.id) is used twice")
        }
    }

    @Test func aNewIntegrationExistsBeforeItSubscribesOrRegisters() throws {
        let plan = try Planner.plan(desired: [F.ccAssets], stored: [], allowDelete: false, header: F.header)
        #expect(plan.actions.map(\.id) == [
            "create:ccassets", "subscribe:ccassets.services", "register:ccassets.events[\"asset-sync\"]",
        ])
        #expect(plan.actions.map(\.dependsOn) == [[], ["create:ccassets"], ["create:ccassets"]])
        #expect(plan.actions.map(\.integrationId) == [nil, nil, nil])
        #expect(plan.actions[1].operation == .subscribe(services: ["CCStorageSdk"]))
        #expect(plan.actions[2].operation == .register(F.assetSync))
    }

    @Test func registrationsGoBeforeTheirIntegrationIsDeleted() throws {
        var hooks = PlanScenario.legacyHooks
        hooks.events.append(.init(name: "another", provider: "aem", eventCodes: ["asset_processing_completed"], webhookUrl: "https://h.example.com/x"))
        let plan = try Planner.plan(
            desired: [F.stockSearch], stored: [F.record(F.stockSearch, 3), F.record(hooks, 4)], allowDelete: true,
            header: F.header)
        #expect(plan.actions.map(\.id) == [
            "deregister:legacyhooks.events[\"another\"]",
            "deregister:legacyhooks.events[\"publish\"]",
            "delete:legacyhooks",
            "no-op:stocksearchweb",
        ])
        #expect(plan.actions[2].dependsOn == [
            "deregister:legacyhooks.events[\"another\"]", "deregister:legacyhooks.events[\"publish\"]",
        ])
        #expect(plan.actions[0].operation == .deregister(registrationId: "reg-4-another", name: "another"))
        #expect(plan.actions[2].operation == .delete)
        #expect(plan.actions[2].integrationId == F.record(hooks, 4).id)
    }

    @Test func aReplacementDeregistersDeletesThenCreatesAgain() throws {
        var spec = F.ccAssets
        spec.type = .serviceAccount
        spec.redirectUris = []
        let plan = try Planner.plan(
            desired: [spec], stored: [F.record(F.ccAssets, 1)], allowDelete: true, header: F.header)
        #expect(plan.actions.map(\.id) == [
            "deregister:ccassets.events[\"asset-sync\"]",
            "delete:ccassets",
            "create:ccassets",
            "subscribe:ccassets.services",
            "register:ccassets.events[\"asset-sync\"]",
        ])
        #expect(plan.actions.map(\.dependsOn) == [
            [], ["deregister:ccassets.events[\"asset-sync\"]"], ["delete:ccassets"], ["create:ccassets"],
            ["create:ccassets"],
        ])
        #expect(plan.actions.map(\.isReplacement) == [false, true, true, false, false])
        #expect(plan.actions[1].reason
            == "will be deleted and created again (credential type oauth → serviceAccount: the console cannot change a credential's type)")
    }

    @Test func newRegistrationsWaitForRemovedOnesAndForARename() throws {
        var old = F.ccAssets
        old.name = "ccassetsold"
        var spec = F.ccAssets
        spec.formerNames = ["ccassetsold"]
        spec.events = [.init(name: "renamed-sync", provider: "ccstorage", eventCodes: ["asset_created"], webhookUrl: "https://h.example.com/a")]
        let plan = try Planner.plan(desired: [spec], stored: [F.record(old, 1)], allowDelete: false, header: F.header)
        #expect(plan.actions.map(\.id) == [
            "rename:ccassets",
            "deregister:ccassets.events[\"asset-sync\"]",
            "register:ccassets.events[\"renamed-sync\"]",
        ])
        #expect(plan.actions[2].dependsOn == ["deregister:ccassets.events[\"asset-sync\"]", "rename:ccassets"])
    }

    @Test func twoRegistrationsOfOneNameGetDistinctIds() throws {
        var console = F.record(F.ccAssets, 1)
        console.registrations.append(RegistrationRecord(id: "reg-dup", spec: F.assetSync))
        let plan = try Planner.plan(
            desired: [F.ccAssets], stored: [F.record(F.ccAssets, 1)], console: [console], allowDelete: false, header: F.header)
        #expect(plan.actions.map(\.id) == ["deregister:ccassets.events[\"asset-sync\"]"])
        #expect(plan.actions[0].operation == .deregister(registrationId: "reg-dup", name: "asset-sync"))

        var spec = F.ccAssets
        spec.type = .serviceAccount
        let replaced = try Planner.plan(
            desired: [spec], stored: [F.record(F.ccAssets, 1)], console: [console], allowDelete: true, header: F.header)
        #expect(replaced.actions.prefix(2).map(\.id) == [
            "deregister:ccassets.events[\"asset-sync\"]", "deregister:ccassets.events[\"asset-sync\"]#2",
        ])
    }

    @Test func theOrderDoesNotDependOnTheInputOrder() throws {
        let scenario = try #require(PlanScenario.all.first { $0.name == "drift" })
        let forward = try Planner.plan(
            desired: scenario.desired, stored: scenario.stored, console: scenario.console, allowDelete: false, header: F.header)
        let backward = try Planner.plan(
            desired: scenario.desired.reversed(), stored: scenario.stored.reversed(), console: scenario.console?.reversed(),
            allowDelete: false, header: F.header)
        #expect(forward == backward)
    }

    @Test func theSummaryCountsObjects() throws {
        var spec = F.stockSearch
        spec.title = "Stock Search Two"
        spec.services = ["StockSDK", "ViewSDK"]
        let plan = try Planner.plan(
            desired: [spec, F.ccAssets], stored: [F.record(F.stockSearch, 3)], allowDelete: false, header: F.header)
        // One integration changed in two ways is one update; a new integration's services are part of its create.
        #expect(plan.summary.sentence == "Plan: 2 to create, 1 to update, 0 to delete.")
        #expect(plan.summary.count(of: .subscribe) == 2)
        #expect(plan.summary.count(of: .update) == 1)
        #expect(plan.summary.unchanged == 0)
    }

    func action(_ id: String, _ address: String, _ kind: PlanAction.Operation, after: [String] = []) -> PlanAction {
        PlanAction(
            id: id, address: address, integrationName: address, stateName: nil, integrationId: nil, operation: kind,
            reason: "r", dependsOn: after)
    }

    @Test func theGraphOrdersAnyInputAndRefusesCycles() throws {
        let create = action("create:b", "b", .create(F.stockSearch))
        let subscribe = action("subscribe:b.services", "b.services", .subscribe(services: []), after: ["create:b"])
        let noOp = action("no-op:a", "a", .noOp)
        let deregister = action("deregister:c.events[\"x\"]", "c.events[\"x\"]", .deregister(registrationId: "r", name: "x"))
        let delete = action("delete:c", "c", .delete, after: [deregister.id])
        // Out of order across and within integrations: the general algorithm sorts it.
        let ordered = try #require(PlanGraph.order([subscribe, delete, create, deregister, noOp]))
        #expect(ordered.map(\.id) == ["no-op:a", "create:b", "subscribe:b.services", deregister.id, "delete:c"])
        // Already in order: returned as is.
        #expect(PlanGraph.order(ordered) == ordered)
        // A cycle or an unknown dependency is an internal error, reported as nil.
        let loop = action("create:b", "b", .create(F.stockSearch), after: ["subscribe:b.services"])
        #expect(PlanGraph.order([loop, subscribe]) == nil)
        #expect(PlanGraph.order([action("x:a", "a", .noOp, after: ["missing"])]) == nil)
    }
}
