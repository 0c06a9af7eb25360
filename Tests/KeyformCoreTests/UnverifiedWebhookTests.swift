import KeyformCore
import KeyformJSON
import Testing

/// A registration whose webhook the console has not verified: planned as an update (which asks
/// the console to verify again) when the plan is refreshed, never drift, never in the state.
@Suite struct UnverifiedWebhookTests {
    typealias F = PlanFixtures

    static let address = "ccassets.events[\"asset-sync\"]"

    /// The applied `ccassets` as the console lists it, its registration's webhook `status`.
    static func console(_ status: String?) -> IntegrationRecord {
        var record = F.record(F.ccAssets, 1)
        record.registrations[0].unverifiedWebhook = status
        return record
    }

    @Test func anUnverifiedRegistrationWithAnUnchangedSpecIsUpdatedToAskAgain() throws {
        let plan = try Planner.plan(
            desired: [F.ccAssets], stored: [F.record(F.ccAssets, 1)], console: [Self.console("hook_unreachable")],
            allowDelete: false, header: F.header)
        #expect(plan.actions.map(\.id) == ["update-registration:\(Self.address)"])
        let action = try #require(plan.actions.first)
        #expect(action.operation == .updateRegistration(registrationId: "reg-1-asset-sync", to: F.assetSync))
        #expect(action.reason
            == "will be updated again: the console has not verified its webhook (hook_unreachable); updating it asks again")
        #expect(action.before == action.after)
        #expect(plan.summary.sentence == "Plan: 0 to create, 1 to update, 0 to delete.")
        // A status is not a change of the spec: no drift, nothing for the state to learn.
        #expect(plan.drift.isEmpty)
        #expect(plan.stateRefresh.isEmpty)
        #expect(TextPlanRenderer(color: false).render(plan).contains(
            "  # \(Self.address) will be updated again: the console has not verified its webhook (hook_unreachable); updating it asks again\n"))
    }

    @Test func aVerifiedRegistrationPlansNothing() throws {
        let plan = try Planner.plan(
            desired: [F.ccAssets], stored: [F.record(F.ccAssets, 1)], console: [Self.console(nil)],
            allowDelete: false, header: F.header)
        #expect(plan.actions.map(\.id) == ["no-op:ccassets"])
        #expect(!plan.hasChanges)
    }

    @Test func withoutARefreshThePlanTrustsTheState() throws {
        let plan = try Planner.plan(desired: [F.ccAssets], stored: [F.record(F.ccAssets, 1)], allowDelete: false, header: F.header)
        #expect(!plan.hasChanges)
    }

    @Test func aChangedSpecSaysTheUpdateAsksAgainToo() throws {
        var spec = F.ccAssets
        spec.events[0].webhookUrl = "https://hooks.example.com/adobe/prod/assets2"
        let plan = try Planner.plan(
            desired: [spec], stored: [F.record(F.ccAssets, 1)], console: [Self.console("unverified")],
            allowDelete: false, header: F.header)
        #expect(plan.actions.map(\.id) == ["update-registration:\(Self.address)"])
        #expect(plan.actions.first?.reason
            == "will be updated in place; the console has not verified its webhook (unverified), and the update asks again")
    }

    @Test func theStatusIsShownEscaped() throws {
        let plan = try Planner.plan(
            desired: [F.ccAssets], stored: [F.record(F.ccAssets, 1)], console: [Self.console("bad\u{1B}[31m\u{202E}x")],
            allowDelete: false, header: F.header)
        #expect(plan.actions.first?.reason
            == "will be updated again: the console has not verified its webhook (bad\\u001b[31m\\u202ex); updating it asks again")
    }

    @Test(arguments: [
        (nil, nil), ("", nil), ("verified", nil), ("hook_unreachable", "hook_unreachable"), ("unverified", "unverified"),
        (String(repeating: "x", count: 60), String(repeating: "x", count: 60)),
        (String(repeating: "y", count: 61), String(repeating: "y", count: 59) + "…"),
    ] as [(String?, String?)])
    func statusesMapToUnverifiedWebhook(_ status: String?, _ expected: String?) {
        #expect(RegistrationRecord.unverifiedWebhook(fromStatus: status) == expected)
    }

    @Test func theStateNeitherWritesNorReadsTheStatus() throws {
        let verified = F.record(F.ccAssets, 1)
        let unverified = Self.console("hook_unreachable")
        #expect(unverified.stateJSON == verified.stateJSON)
        let document = StateDocument(lineage: "8b1f3c52-6d0e-4f7a-b9c4-2e5a7d9f0c31", keyformVersion: "test", integrations: ["ccassets": unverified])
        let bytes = document.encoded()
        #expect(bytes == StateDocument(lineage: document.lineage, keyformVersion: "test", integrations: ["ccassets": verified]).encoded())
        // Both decoders (the generic one and the fast tape decoder) read it back without a status.
        let generic = try StateDocument(json: try JSON.parse(bytes))
        let fast = try StateDocument(decoding: bytes, path: "s.json")
        #expect(generic.integrations["ccassets"] == verified)
        #expect(fast.integrations["ccassets"] == verified)
    }
}
