/// Renders a plan as JSON (`plan --json`): the same document as a saved plan file, as
/// documented by `schemas/plan.schema.json`, deterministic byte for byte.
public struct JSONPlanRenderer: Sendable {
    public init() {}

    /// The plan as canonical JSON text, ending with a newline.
    public func render(_ plan: Plan) -> String {
        PlanFile.encode(plan)
    }
}
