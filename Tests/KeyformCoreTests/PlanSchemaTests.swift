import KeyformCore
import KeyformJSON
import KeyformTestSupport
import Foundation
import Testing

/// `schemas/plan.schema.json` documents the JSON plan; these keep the two in step.
@Suite struct PlanSchemaTests {
    func schema() throws -> JSON {
        let url = TestPaths.packageRoot.appendingPathComponent("schemas/plan.schema.json")
        return try JSON.parse(Array(try Data(contentsOf: url)))
    }

    @Test func schemaNamesTheFormatVersionAndEveryKind() throws {
        let schema = try schema()
        #expect(schema["$schema"] == "https://json-schema.org/draft/2020-12/schema")
        #expect(schema["properties"]?["formatVersion"]?["const"] == .number(Plan.currentFormatVersion))
        let kinds = schema["$defs"]?["action"]?["properties"]?["kind"]?["enum"]
        #expect(kinds == .array(PlanAction.Kind.allCases.map { .string($0.rawValue) }))
        let driftKinds = schema["$defs"]?["drift"]?["properties"]?["kind"]?["enum"]
        #expect(driftKinds == .array(Drift.Kind.allCases.map { .string($0.rawValue) }))
    }

    @Test func everyTopLevelMemberIsDocumented() throws {
        let schema = try schema()
        let plan = try #require(try PlanScenario.all.first { $0.name == "drift" }?.run().get())
        let written = try JSON.parse(PlanFile.encode(plan)).objectValue?.map(\.key)
        let required = schema["required"]?.arrayValue?.compactMap(\.stringValue)
        #expect(written == required)
    }

    /// Every golden JSON plan, and every scenario's plan as written now, is valid.
    @Test func goldenPlansValidateAgainstTheSchema() throws {
        let validator = try JSONSchema(compiling: try schema())
        let directory = TestPaths.packageRoot.appendingPathComponent("Tests/Golden/plan")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(files.count >= 12)
        for file in files {
            let document = try JSON.parse(Array(try Data(contentsOf: directory.appendingPathComponent(file))))
            #expect(validator.validate(document).map(\.description) == [], "\(file)")
        }
        for scenario in PlanScenario.all {
            guard case .success(let plan) = scenario.run() else { continue }
            let written = try JSON.parse(PlanFile.encode(plan))
            #expect(validator.validate(written).map(\.description) == [], "\(scenario.name)")
        }
    }

    /// An integration the console holds under a name Keyform would not choose ("My Test
    /// App", made by hand) is reported as unmanaged drift under that name: the plan is still
    /// valid. The other drift entries keep the address syntax.
    @Test func unmanagedDriftMayHaveAnyConsoleName() throws {
        let validator = try JSONSchema(compiling: try schema())
        var handMade = PlanFixtures.record(PlanFixtures.stockSearch, 9)
        handMade.attributes.name = "My Test App"
        let plan = try Planner.plan(
            desired: PlanScenario.applied, stored: PlanFixtures.appliedState, console: PlanFixtures.appliedState + [handMade],
            allowDelete: false, header: PlanFixtures.header)
        #expect(plan.drift.map(\.address) == ["My Test App"])
        let written = try JSON.parse(PlanFile.encode(plan))
        #expect(validator.validate(written).map(\.description) == [])
        guard case .object(var members) = written, let i = members.firstIndex(where: { $0.key == "drift" }),
            case .array(var drift) = members[i].value, case .object(var entry) = drift[0],
            let k = entry.firstIndex(where: { $0.key == "kind" })
        else { throw PlanFileError.notAPlan }
        entry[k].value = "changed"
        drift[0] = .object(entry)
        members[i].value = .array(drift)
        #expect(!validator.validate(.object(members)).isEmpty)
    }

    /// The schema rejects what the executor could not perform.
    @Test func theSchemaRejectsAnActionWithoutItsPayload() throws {
        let validator = try JSONSchema(compiling: try schema())
        let plan = try #require(try PlanScenario.all.first { $0.name == "create" }?.run().get())
        guard case .object(var members) = try JSON.parse(PlanFile.encode(plan)),
            let i = members.firstIndex(where: { $0.key == "actions" }), case .array(var actions) = members[i].value,
            case .object(var create) = actions[0]
        else { throw PlanFileError.notAPlan }
        create.removeAll { $0.key == "spec" }
        actions[0] = .object(create)
        members[i].value = .array(actions)
        let violations = validator.validate(.object(members))
        #expect(violations.map(\.description) == ["/actions/0: missing required property 'spec'"])
    }
}
