import KeyformCore
import Testing

/// A plan large enough that the diff runs on every core (`Diff.parallelThreshold` is 2,048
/// specs) is exactly the plans of its integrations, each made on its own, joined in name order.
@Suite struct LargePlanTests {
    typealias F = PlanFixtures

    @Test func aLargePlanIsItsIntegrationsPlansJoinedInOrder() throws {
        var desired: [IntegrationSpec] = []
        var stored: [IntegrationRecord] = []
        var pairs: [(spec: IntegrationSpec, record: IntegrationRecord?)] = []
        for i in 0..<3_000 {
            var spec = i.isMultiple(of: 2) ? F.stockSearch : F.ccAssets
            spec.name = "app\(String(format: "%05d", i))"
            var recorded = spec
            if i.isMultiple(of: 11) { recorded.title = "An older title" }
            if i.isMultiple(of: 13) { recorded.services = [] }
            if i.isMultiple(of: 17) {
                recorded.name = "old-\(spec.name)"
                spec.formerNames = [recorded.name]
            }
            let record: IntegrationRecord? = i.isMultiple(of: 7) ? nil : F.record(recorded, i)
            desired.append(spec)
            if let record { stored.append(record) }
            pairs.append((spec, record))
        }
        let gone = (0..<50).map { F.record(IntegrationSpec(name: "zz-gone-\(String(format: "%02d", $0))", title: "Gone", description: "", type: .apiKey), 90_000 + $0) }
        stored += gone

        let plan = try Planner.plan(desired: desired, stored: stored, allowDelete: true, header: F.header)

        var expected: [PlanAction] = []
        for pair in pairs {
            let single = try Planner.plan(
                desired: [pair.spec], stored: pair.record.map { [$0] } ?? [], allowDelete: false, header: F.header)
            expected += single.actions
        }
        for record in gone {
            let single = try Planner.plan(
                desired: [F.stockSearch], stored: [record, F.record(F.stockSearch, 1)], allowDelete: true, header: F.header)
            expected += single.actions.filter { $0.integrationName == record.name }
        }
        #expect(plan.actions.count == expected.count)
        // The first difference alone (the whole plans would flood the report).
        if let i = zip(plan.actions, expected).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            Issue.record("action \(i) differs: \(plan.actions[i].id) against \(expected[i].id)")
        }
        #expect(plan.actions.filter { $0.kind == .delete }.count == 50)
        #expect(plan.actions.filter { $0.kind == .noOp }.count > 2_000)
    }
}
