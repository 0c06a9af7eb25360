import KeyformJSON

/// Why an integration would be deleted.
public enum DeleteCause: Hashable, Sendable {
    /// It is in the state but no longer in the manifests.
    case removedFromManifests
    /// Its credential type changed, which the console cannot change in place (replace).
    case typeChanged(from: CredentialType, to: CredentialType)
    /// No longer in the manifests, and listed in the `formerNames` of an integration that the
    /// state holds as one of its own: not renamed into it, since that one exists.
    case listedAsFormerNameOf(String)

    var phrase: String {
        switch self {
        case .removedFromManifests: "no longer in the manifests"
        case .listedAsFormerNameOf(let claimant):
            "no longer in the manifests; '\(claimant)' lists it in formerNames, but the state holds '\(claimant)' as an integration of its own, so it is not renamed into it"
        case .typeChanged(let from, let to):
            "credential type \(from.rawValue) → \(to.rawValue): the console cannot change a credential's type, so it is deleted and created again"
        }
    }
}

/// A problem that stops a plan from being made. Each names what and how to fix it.
public enum PlanError: Error, Hashable, Sendable {
    /// Two manifest entries have the same name.
    case duplicateName(String)
    /// An entry lists several former names that the state holds.
    case ambiguousFormerNames(name: String, formerNames: [String])
    /// Several entries list the same former name that the state holds.
    case formerNameClaimedTwice(formerName: String, claimants: [String])
    /// An entry lists a former name that another entry still uses as its name.
    case formerNameStillDeclared(formerName: String, claimant: String)
    /// A rename's new name is taken in the console by an integration Keyform does not manage.
    case renameTargetTaken(from: String, to: String)
    /// A new integration's name is held in the console by a managed integration that was
    /// renamed there by hand (the executor would adopt the wrong one).
    case nameTakenByRenamed(name: String, stateName: String)
    /// Deletions planned without `--allow-delete`; sorted by name.
    case deleteNotAllowed([PlannedDeletion])
    /// A protected integration would be deleted.
    case deleteProtected(name: String, cause: DeleteCause)
    /// The manifests declare nothing while the state holds `count` integrations.
    case deleteEverything(count: Int)

    /// One integration a plan would delete, and why.
    public struct PlannedDeletion: Hashable, Sendable {
        public var name: String
        public var cause: DeleteCause

        public init(name: String, cause: DeleteCause) {
            self.name = name
            self.cause = cause
        }
    }

    /// The error as a diagnostic (codes KF430–KF438).
    public var diagnostic: Diagnostic {
        switch self {
        case .duplicateName(let name):
            return .error("KF430", "two manifest entries are named '\(name)'",
                suggestion: "give each integration its own name")
        case .ambiguousFormerNames(let name, let formerNames):
            return .error("KF431",
                "'\(name)' lists several former names that the state holds: \(Self.quotedList(formerNames))",
                notes: [.init("a rename needs exactly one former integration to rename")],
                suggestion: "keep only the former name of the integration to rename in 'formerNames'")
        case .formerNameClaimedTwice(let formerName, let claimants):
            return .error("KF432",
                "the former name '\(formerName)' is listed by several integrations: \(Self.quotedList(claimants))",
                notes: [.init("only one integration can take over '\(formerName)'")],
                suggestion: "remove '\(formerName)' from the 'formerNames' of all but one of them")
        case .formerNameStillDeclared(let formerName, let claimant):
            return .error("KF433",
                "'\(claimant)' lists '\(formerName)' as a former name, but an integration named '\(formerName)' is still in the manifests",
                suggestion: "remove '\(formerName)' from the 'formerNames' of '\(claimant)', or remove the entry named '\(formerName)'")
        case .renameTargetTaken(let from, let to):
            return .error("KF434",
                "cannot rename '\(from)' to '\(to)': the console already holds an integration named '\(to)' that Keyform does not manage",
                suggestion: "choose another name, or delete or rename the console's '\(to)' first")
        case .nameTakenByRenamed(let name, let stateName):
            return .error("KF438",
                "cannot create '\(name)': the console's integration of that name is '\(stateName)' of the state, renamed in the console outside Keyform",
                suggestion: "rename it back to '\(stateName)' in the console, or list '\(stateName)' in the 'formerNames' of '\(name)' and remove the entry named '\(stateName)'")
        case .deleteNotAllowed(let deletions):
            let noun = deletions.count == 1 ? "integration" : "integrations"
            return .error("KF435",
                "the plan would delete \(deletions.count) \(noun), and deleting is not allowed: \(Self.quotedList(deletions.map(\.name)))",
                notes: deletions.map { .init("'\($0.name)': \($0.cause.phrase)") },
                suggestion: "review the deletions, then run again with --allow-delete (or set \"allowDelete\": true in keyform.json)")
        case .deleteProtected(let name, let cause):
            return .error("KF436",
                "the plan would delete '\(name)', which is protected",
                notes: [.init("'\(name)': \(cause.phrase)")],
                suggestion: "to delete it on purpose, first apply its manifest entry with \"protected\": false")
        case .deleteEverything(let count):
            let noun = count == 1 ? "the 1 integration" : "all \(count) integrations"
            return .error("KF437",
                "refusing to plan: the manifests declare no integrations, so the plan would delete \(noun) in the state",
                notes: [.init("an empty manifest directory is almost always a mistake (a wrong path, or a checkout without the manifests)")],
                suggestion: "check the manifest path; to delete integrations, remove them from the manifests while keeping at least one, and run with --allow-delete")
        }
    }

    static func quotedList(_ names: [String]) -> String {
        names.map { "'\($0)'" }.joined(separator: ", ")
    }
}

/// A plan could not be made: every problem found, in a stable order.
public struct PlanFailure: Error, Hashable, Sendable {
    public var errors: [PlanError]

    public init(_ errors: [PlanError]) {
        self.errors = errors
    }

    /// One diagnostic per error, in order.
    public var diagnostics: [Diagnostic] { errors.map(\.diagnostic) }
}
