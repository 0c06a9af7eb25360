import KeyformCore
import KeyformTestSupport
import Testing

/// Every plan a person reads, as text, JSON and Markdown, against its golden file.
@Suite struct PlanGoldenTests {
    @Test(arguments: PlanScenario.all)
    func goldenFiles(_ scenario: PlanScenario) throws {
        switch scenario.run() {
        case .success(let plan):
            let outputs = [
                ("txt", TextPlanRenderer().render(plan)),
                ("json", JSONPlanRenderer().render(plan)),
                ("md", MarkdownPlanRenderer().render(plan)),
            ]
            for (ext, text) in outputs {
                if let problem = Golden.check(text, against: "plan/\(scenario.name).\(ext)") {
                    Issue.record(Comment(rawValue: problem))
                }
            }
        case .failure(let failure):
            if let problem = Golden.check(PlanFixtures.render(failure), against: "plan/\(scenario.name).txt") {
                Issue.record(Comment(rawValue: problem))
            }
        }
    }

    @Test func scenarioThatShouldRefuseDoRefuse() {
        let refusing = PlanScenario.all.filter { $0.name.hasSuffix("-refused") || $0.name.hasPrefix("refuse-") }
        #expect(refusing.map(\.name) == ["delete-refused", "protected-refused", "replace-refused", "refuse-delete-all"])
        for scenario in refusing {
            guard case .failure = scenario.run() else {
                Issue.record("\(scenario.name) made a plan")
                continue
            }
        }
    }
}
