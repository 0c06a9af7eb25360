import KeyformJSON

/// Why a saved plan could not be read. Field errors name the place as a JSON Pointer
/// (`/actions/3/kind`).
public enum PlanFileError: Error, Hashable, Sendable {
    /// Not valid JSON; line and column (1-based, in Unicode scalars) of the problem.
    case syntax(message: String, line: Int, column: Int)
    /// Valid JSON, but not a Keyform plan (no object with a `formatVersion`).
    case notAPlan
    /// A format version this build does not read.
    case unsupportedVersion(found: Int, supported: Int)
    /// The plan was changed after it was written.
    case checksumMismatch
    /// A required member is absent.
    case missing(pointer: String)
    /// A member has the wrong JSON type.
    case wrongType(pointer: String, expected: String)
    /// A member has a value that is not allowed.
    case invalidValue(pointer: String, problem: String)
    /// Two actions share an id.
    case duplicateActionId(pointer: String, id: String)
    /// An action depends on an action that is not in the plan, or that comes after it.
    case badDependency(pointer: String, id: String, dependency: String)
    /// The plan does not fit the state it names (`Plan.misfit(in:)`), though the
    /// lineage, serial and digest match: it was edited, and its checksum made again.
    case stateMismatch(pointer: String, problem: String)

    /// The error as a diagnostic (codes KF440–KF448, and KF453), for the plan file at `file`.
    public func diagnostic(file: String) -> Diagnostic {
        let fix = "make a new plan with `keyform plan --out \(file)`"
        switch self {
        case .syntax(let message, let line, let column):
            return .error("KF440", "the plan file is not valid JSON: \(message)",
                at: SourceLocation(file: file, line: line, column: column), suggestion: fix)
        case .notAPlan:
            return .error("KF441", "'\(file)' is not a Keyform plan (no \"formatVersion\")",
                suggestion: "pass a file written by `keyform plan --out`")
        case .unsupportedVersion(let found, let supported):
            let why = found > supported ? "made by a newer Keyform" : "not a version any Keyform wrote"
            return .error("KF442",
                "'\(file)' has plan format version \(found), which this Keyform cannot read (\(why); it reads version \(supported))",
                suggestion: found > supported ? "apply it with the Keyform that made it, or \(fix)" : fix)
        case .checksumMismatch:
            return .error("KF443", "'\(file)' was changed after it was written (its checksum does not match)",
                notes: [.init("a saved plan is applied exactly as reviewed; an edited plan is refused")],
                suggestion: fix)
        case .missing(let pointer):
            return .error("KF444", "'\(file)' at \(pointer): required member is missing", suggestion: fix)
        case .wrongType(let pointer, let expected):
            return .error("KF445", "'\(file)' at \(pointer): expected \(expected)", suggestion: fix)
        case .invalidValue(let pointer, let problem):
            return .error("KF446", "'\(file)' at \(pointer): \(problem)", suggestion: fix)
        case .duplicateActionId(let pointer, let id):
            return .error("KF447", "'\(file)' at \(pointer): the action id '\(id)' is used twice", suggestion: fix)
        case .badDependency(let pointer, let id, let dependency):
            return .error("KF448",
                "'\(file)' at \(pointer): action '\(id)' depends on '\(dependency)', which is not an earlier action of the plan",
                suggestion: fix)
        case .stateMismatch(let pointer, let problem):
            return .error("KF453", "'\(file)' at \(pointer) does not fit the state the plan was made against: \(problem)",
                notes: [.init("the plan was changed after it was made (its checksum made again); nothing was applied")],
                suggestion: fix)
        }
    }
}
