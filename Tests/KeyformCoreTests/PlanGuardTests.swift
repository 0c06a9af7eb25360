import KeyformCore
import Testing

@Suite struct PlanGuardTests {
    typealias F = PlanFixtures

    @Test func deletingNeedsAllowDeleteAndNamesEveryDeletion() {
        var spec = F.ccAssets
        spec.type = .serviceAccount
        let failure = PlanFailure([.deleteNotAllowed([
            .init(name: "ccassets", cause: .typeChanged(from: .oauth, to: .serviceAccount)),
            .init(name: "photoshopjobs", cause: .removedFromManifests),
        ])])
        #expect(throws: failure) {
            try Planner.plan(desired: [spec, F.stockSearch], stored: F.appliedState, allowDelete: false, header: F.header)
        }
        let diagnostic = failure.diagnostics[0]
        #expect(diagnostic.code == "KF435")
        #expect(diagnostic.message == "the plan would delete 2 integrations, and deleting is not allowed: 'ccassets', 'photoshopjobs'")
        #expect(diagnostic.notes.map(\.message) == [
            "'ccassets': credential type oauth → serviceAccount: the console cannot change a credential's type, so it is deleted and created again",
            "'photoshopjobs': no longer in the manifests",
        ])
        #expect(diagnostic.suggestion
            == "review the deletions, then run again with --allow-delete (or set \"allowDelete\": true in keyform.json)")
    }

    @Test func protectedIntegrationsAreNeverDeleted() {
        var recorded = F.stockSearch
        recorded.isProtected = true
        var replaced = F.ccAssets
        replaced.type = .serviceAccount
        replaced.isProtected = true
        // Protected in the state (entry gone from the manifests), and protected in the manifest (replace).
        #expect(throws: PlanFailure([
            .deleteProtected(name: "ccassets", cause: .typeChanged(from: .oauth, to: .serviceAccount)),
            .deleteProtected(name: "stocksearchweb", cause: .removedFromManifests),
            .deleteNotAllowed([.init(name: "photoshopjobs", cause: .removedFromManifests)]),
        ])) {
            try Planner.plan(
                desired: [replaced], stored: [F.record(F.ccAssets, 1), F.record(F.photoshopJobs, 2), F.record(recorded, 3)],
                allowDelete: false, header: F.header)
        }
    }

    @Test func anEmptyManifestNeverDeletesEverything() {
        for allowDelete in [false, true] {
            #expect(throws: PlanFailure([.deleteEverything(count: 3)])) {
                try Planner.plan(desired: [], stored: F.appliedState, allowDelete: allowDelete, header: F.header)
            }
        }
        let diagnostic = PlanError.deleteEverything(count: 1).diagnostic
        #expect(diagnostic.message
            == "refusing to plan: the manifests declare no integrations, so the plan would delete the 1 integration in the state")
        #expect(diagnostic.notes.map(\.message)
            == ["an empty manifest directory is almost always a mistake (a wrong path, or a checkout without the manifests)"])
    }

    @Test func anEmptyManifestAgainstAnEmptyStateIsNoChange() throws {
        let plan = try Planner.plan(desired: [], stored: [], allowDelete: false, header: F.header)
        #expect(plan.actions.isEmpty)
        #expect(!plan.hasChanges)
    }

    @Test func anIntegrationDeletedInTheConsoleNeedsNoDeleteAction() throws {
        let plan = try Planner.plan(
            desired: [F.stockSearch], stored: [F.record(F.stockSearch, 3), F.record(F.photoshopJobs, 2)],
            console: [F.record(F.stockSearch, 3)], allowDelete: false, header: F.header)
        #expect(plan.actions.map(\.id) == ["no-op:stocksearchweb"])
        #expect(plan.stateRefresh == [.remove(name: "photoshopjobs")])
    }
}
