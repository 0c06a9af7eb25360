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
