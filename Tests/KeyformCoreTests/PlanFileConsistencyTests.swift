@testable import KeyformCore
import KeyformJSON
import Testing

/// A saved plan edited by hand and sealed again (its checksum made anew, as anyone can) is
/// refused when what it shows is not what it does: an action acting on another integration
/// than the one shown, an order that lets an apply stop half-way, members the format does not
/// have, a summary that does not count the actions, refresh entries that do not fit the state.
/// Every plan the planner makes passes, including the unusual ones listed here.
@Suite struct PlanFileConsistencyTests {
    typealias F = PlanFixtures

    /// The console after `photoshopjobs` was renamed there by hand.
    static func consoleRenaming(_ name: String, to newName: String, in records: [IntegrationRecord] = F.appliedState) -> [IntegrationRecord] {
        records.map { record in
            var record = record
            if record.name == name { record.attributes.name = newName }
            return record
        }
    }

    /// `ccassets` renamed (listing its old name) and made a service account: a replacement.
    static let replacedThroughAFormerName = PlanScenario.applied(changing: "ccassets") {
        $0.name = "ccassetsnew"
        $0.formerNames = ["ccassets"]
        $0.type = .serviceAccount
        $0.redirectUris = []
        $0.services = ["PhotoshopSDK"]
    }

    /// Plans beyond the golden scenarios whose actions name their integrations in unusual ways.
    static let unusual: [PlanScenario] = [
        PlanScenario(
            name: "renamed back", desired: PlanScenario.applied, stored: F.appliedState,
            console: consoleRenaming("photoshopjobs", to: "photoshopjobsx")),
        PlanScenario(
            name: "renamed to the console's name",
            desired: PlanScenario.applied(changing: "photoshopjobs") {
                $0.name = "photoshopjobsx"
                $0.formerNames = ["photoshopjobs"]
                $0.title = "Photoshop Jobs Two"
            },
            stored: F.appliedState, console: consoleRenaming("photoshopjobs", to: "photoshopjobsx")),
        PlanScenario(
            name: "renamed after a console rename",
            desired: PlanScenario.applied(changing: "photoshopjobs") {
                $0.name = "photoshopjobsnew"
                $0.formerNames = ["photoshopjobs"]
            },
            stored: F.appliedState, console: consoleRenaming("photoshopjobs", to: "photoshopjobsx")),
        PlanScenario(
            name: "deleted after a console rename", desired: [F.ccAssets, F.stockSearch], stored: F.appliedState,
            console: consoleRenaming("photoshopjobs", to: "photoshopjobsx"), allowDelete: true),
        PlanScenario(
            name: "renamed and deregistered",
            desired: PlanScenario.applied(changing: "ccassets") {
                $0.name = "ccassetsnew"
                $0.formerNames = ["ccassets"]
                $0.events = []
            },
            stored: F.appliedState),
        PlanScenario(
            name: "replaced through a former name", desired: replacedThroughAFormerName, stored: F.appliedState,
            allowDelete: true),
        PlanScenario(
            name: "replaced through a former name after a console rename", desired: replacedThroughAFormerName,
            stored: F.appliedState, console: consoleRenaming("ccassets", to: "ccassetsx"), allowDelete: true),
        PlanScenario(
            name: "two registrations of one name", desired: PlanScenario.applied, stored: F.appliedState,
            console: twoRegistrationsOfOneName),
        PlanScenario(
            name: "two registrations of one name deregistered",
            desired: PlanScenario.applied(changing: "ccassets") { $0.events = [] }, stored: F.appliedState,
            console: twoRegistrationsOfOneName),
    ]

    /// The console after a second `asset-sync` registration was made by hand on `ccassets`.
    static var twoRegistrationsOfOneName: [IntegrationRecord] {
        F.appliedState.map { record in
            var record = record
            if record.name == "ccassets" {
                record.registrations.append(RegistrationRecord(id: "reg-hand", spec: F.assetSync))
            }
            return record
        }
    }

    static let all = PlanScenario.all + unusual

    /// The state a scenario's plan was made against.
    static func state(_ scenario: PlanScenario) -> StateDocument {
        StateDocument(
            serial: 7, lineage: "8b1f3c52-6d0e-4f7a-b9c4-2e5a7d9f0c31", keyformVersion: "0.1.0",
            integrations: Dictionary(scenario.stored.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }))
    }

    @Test(arguments: all)
    func everyPlanThePlannerMakesIsAccepted(_ scenario: PlanScenario) throws {
        guard case .success(let plan) = scenario.run() else {
            // Only golden scenarios of refusals make no plan.
            #expect(!Self.unusual.contains { $0.name == scenario.name })
            return
        }
        #expect(try PlanFile.decode(PlanFile.encode(plan)) == plan)
        #expect(plan.misfit(in: Self.state(scenario)) == nil)
    }

    /// A console renamed by hand to the name the manifests now give (listing the old one in
    /// `formerNames`) still needs the state's record renamed: before, the plan was an update
    /// of a name the state did not know, which failed on every apply.
    @Test func aRenameToTheConsolesNameRenamesTheRecord() throws {
        let scenario = try #require(Self.unusual.first { $0.name == "renamed to the console's name" })
        let plan = try scenario.run().get()
        let changed = plan.actions.filter { $0.kind != .noOp }
        #expect(changed.map(\.id) == ["rename:photoshopjobsx"])
        #expect(changed.first?.reason == "will be renamed from \"photoshopjobs\" (listed in formerNames; the console already has the new name)")
        #expect(changed.first?.stateName == "photoshopjobs")
        let other = try #require(Self.unusual.first { $0.name == "renamed after a console rename" }).run().get()
        #expect(other.actions.first { $0.kind == .rename }?.reason == "will be renamed from \"photoshopjobs\" (listed in formerNames)")
    }

    @Test func aSecondRegistrationOfOneNameHasItsOwnId() throws {
        let plan = try #require(Self.unusual.first { $0.name == "two registrations of one name deregistered" }).run().get()
        #expect(plan.actions.filter { $0.kind == .deregister }.map(\.id)
            == ["deregister:ccassets.events[\"asset-sync\"]", "deregister:ccassets.events[\"asset-sync\"]#2"])
    }

    // MARK: - Edits refused by the reader (show and apply)

    /// The scenario's plan as a file, with `edit` applied to its members and the checksum made again.
    static func resealed(_ name: String, _ edit: (inout [JSONMember]) -> Void) throws -> String {
        let plan = try #require(all.first { $0.name == name }).run().get()
        guard case .object(var members) = PlanFile.json(plan) else { throw PlanFileError.notAPlan }
        edit(&members)
        members.removeAll { $0.key == "checksum" }
        members.append(JSONMember("checksum", .string(PlanFile.checksum(of: members))))
        return JSON.object(members).canonicalText()
    }

    /// The scenario's plan, resealed after `edit` changed the members of the action `id`.
    static func editing(_ name: String, action id: String, _ edit: @escaping (inout [JSONMember]) -> Void) throws -> String {
        try resealed(name) { members in
            guard let i = members.firstIndex(where: { $0.key == "actions" }), case .array(var items) = members[i].value,
                let k = items.firstIndex(where: { $0["id"] == .string(id) }), case .object(var fields) = items[k]
            else { return }
            edit(&fields)
            items[k] = .object(fields)
            members[i].value = .array(items)
        }
    }

    static func set(_ key: String, _ value: JSON) -> (inout [JSONMember]) -> Void {
        { members in
            if let i = members.firstIndex(where: { $0.key == key }) { members[i].value = value } else { members.append(JSONMember(key, value)) }
        }
    }

    /// Edits the object in member `key` with `edit`.
    static func inside(_ key: String, _ edit: @escaping (inout [JSONMember]) -> Void) -> (inout [JSONMember]) -> Void {
        { members in
            guard let i = members.firstIndex(where: { $0.key == key }), case .object(var inner) = members[i].value else { return }
            edit(&inner)
            members[i].value = .object(inner)
        }
    }

    static func decodeError(_ text: String) -> PlanFileError? {
        do {
            _ = try PlanFile.decode(text)
            return nil
        } catch {
            return error
        }
    }

    struct Edit: CustomTestStringConvertible, Sendable {
        var label: String
        var text: @Sendable () throws -> String
        var expected: PlanFileError
        var testDescription: String { label }
    }

    static let edits: [Edit] = [
        Edit(
            label: "an unknown member at the top", text: { try resealed("update") { $0.insert(JSONMember("allowDelete", true), at: 1) } },
            expected: .invalidValue(pointer: "/allowDelete", problem: "unknown member: a Keyform plan has no \"allowDelete\" here")),
        Edit(
            label: "an unknown member in an action", text: { try editing("update", action: "update:stocksearchweb", set("force", true)) },
            expected: .invalidValue(pointer: "/actions/2/force", problem: "unknown member: a Keyform plan has no \"force\" here")),
        Edit(
            label: "an unknown member in a spec",
            text: { try editing("update", action: "update:stocksearchweb", inside("spec", set("owner", "web team"))) },
            expected: .invalidValue(pointer: "/actions/2/spec/owner", problem: "unknown member: a Keyform plan has no \"owner\" here")),
        Edit(
            label: "a summary that does not count the actions",
            text: {
                try resealed("delete-allowed") { members in
                    guard let i = members.firstIndex(where: { $0.key == "summary" }), case .object(var summary) = members[i].value,
                        let d = summary.firstIndex(where: { $0.key == "delete" })
                    else { return }
                    summary[d].value = 0
                    members[i].value = .object(summary)
                }
            },
            expected: .invalidValue(
                pointer: "/summary",
                problem: "the summary does not count the plan's actions (they make it {\"create\":0,\"update\":0,\"delete\":2,\"unchanged\":3,\"actions\":{\"create\":0,\"update\":0,\"rename\":0,\"subscribe\":0,\"register\":0,\"update-registration\":0,\"deregister\":1,\"delete\":1,\"no-op\":3}})")),
        Edit(
            label: "a delete of another integration than the one shown",
            text: { try editing("delete-allowed", action: "delete:legacyhooks", set("stateName", "stocksearchweb")) },
            expected: .invalidValue(
                pointer: "/actions/2/stateName",
                problem: "the delete shown for \"legacyhooks\" would delete the integration the state records as \"stocksearchweb\"")),
        Edit(
            label: "a deregistration of another integration than the one shown",
            text: { try editing("deregister", action: "deregister:ccassets.events[\"asset-sync\"]", set("stateName", "photoshopjobs")) },
            expected: .invalidValue(
                pointer: "/actions/0/stateName",
                problem: "the deregistration shown for \"ccassets.events[\\\"asset-sync\\\"]\" would act on the integration the state records as \"photoshopjobs\"")),
        Edit(
            label: "a deregistration of another registration than the one shown",
            text: { try editing("deregister", action: "deregister:ccassets.events[\"asset-sync\"]", set("registrationId", "reg-other")) },
            expected: .invalidValue(
                pointer: "/actions/0/registrationId",
                problem: "the registration deregistered (\"asset-sync\", id \"reg-other\") is not the one the action shows")),
        Edit(
            label: "a rename of another integration than the one shown",
            text: {
                try editing("rename", action: "rename:stocksearchweb") { fields in
                    set("formerName", "ccassets")(&fields)
                    set("stateName", "ccassets")(&fields)
                }
            },
            expected: .invalidValue(
                pointer: "/actions/2/formerName",
                problem: "the rename shown for \"stocksearchweb\" would rename the integration the state records as \"ccassets\"")),
        Edit(
            label: "an address of another integration",
            text: { try editing("update", action: "update:stocksearchweb", set("address", "ccassets")) },
            expected: .invalidValue(
                pointer: "/actions/2/address", problem: "an update of \"stocksearchweb\" has the address \"stocksearchweb\", not \"ccassets\"")),
        Edit(
            label: "an id that is not kind:address",
            text: { try editing("update", action: "update:stocksearchweb", set("id", "create:stocksearchweb")) },
            expected: .invalidValue(pointer: "/actions/2/id", problem: "the id must be \"update:stocksearchweb\", not \"create:stocksearchweb\"")),
        Edit(
            label: "a value hidden as known after apply",
            text: { try editing("update", action: "update:stocksearchweb", set("afterUnknown", ["title"])) },
            expected: .invalidValue(
                pointer: "/actions/2/afterUnknown", problem: "an update knows every value it sets: \"afterUnknown\" must be empty")),
        Edit(
            label: "a line shown that the action does not apply",
            text: { try editing("update", action: "update:stocksearchweb", inside("after", set("protected", true))) },
            expected: .invalidValue(
                pointer: "/actions/2/after",
                problem: "what the action shows is not what it would do (its \"after\" differs from the values it applies)")),
        Edit(
            label: "a create that records protected without showing it",
            text: { try editing("create", action: "create:ccassets", inside("spec", set("protected", true))) },
            expected: .invalidValue(
                pointer: "/actions/0/after",
                problem: "what the action shows is not what it would do (its \"after\" differs from the values it applies)")),
        Edit(
            label: "an action that no longer waits for its create",
            text: { try editing("create", action: "subscribe:ccassets.services", set("dependsOn", [])) },
            expected: .invalidValue(
                pointer: "/actions/1/dependsOn",
                problem: "\"subscribe:ccassets.services\" must wait for \"create:ccassets\", or an apply could run it first and stop half-way")),
        Edit(
            label: "a delete that no longer waits for its deregistrations",
            text: { try editing("delete-allowed", action: "delete:legacyhooks", set("dependsOn", [])) },
            expected: .invalidValue(
                pointer: "/actions/2/dependsOn",
                problem: "\"delete:legacyhooks\" must wait for \"deregister:legacyhooks.events[\\\"publish\\\"]\", or an apply could run it first and stop half-way")),
        Edit(
            label: "a refresh that forgets an integration it does not show deleted",
            text: {
                try resealed("drift") { members in
                    guard let i = members.firstIndex(where: { $0.key == "stateRefresh" }), case .array(var items) = members[i].value else { return }
                    items.append(.object([JSONMember("op", "remove"), JSONMember("name", "stocksearchweb")]))
                    members[i].value = .array(items)
                }
            },
            expected: .invalidValue(
                pointer: "/stateRefresh/3",
                problem: "the plan forgets \"stocksearchweb\" without showing it deleted in the console (no such drift)")),
    ]

    @Test(arguments: edits)
    func anEditThatChangesWhatThePlanDoesIsRefused(_ edit: Edit) throws {
        #expect(Self.decodeError(try edit.text()) == edit.expected)
    }

    @Test func theRefusalIsAnErrorOfThePlanFile() {
        let error = PlanFileError.invalidValue(pointer: "/allowDelete", problem: "unknown member: a Keyform plan has no \"allowDelete\" here")
        #expect(error.diagnostic(file: "p.plan").message == "'p.plan' at /allowDelete: unknown member: a Keyform plan has no \"allowDelete\" here")
        #expect(error.diagnostic(file: "p.plan").code == "KF446")
    }

    // MARK: - Edits refused by apply, against the state

    /// The scenario's plan after `edit`, read back (the reader accepts it), and its state.
    static func edited(_ name: String, _ edit: (inout Plan) -> Void) throws -> (Plan, StateDocument) {
        let scenario = try #require(all.first { $0.name == name })
        var plan = try scenario.run().get()
        edit(&plan)
        // Made again, so that its summary counts the edited actions.
        plan = Plan(header: plan.header, refreshed: plan.refreshed, actions: plan.actions, drift: plan.drift, stateRefresh: plan.stateRefresh)
        return (try PlanFile.decode(PlanFile.encode(plan)), state(scenario))
    }

    @Test func aRefreshThatMovesANameToAnotherProjectIsRefused() throws {
        let (plan, state) = try Self.edited("drift") { plan in
            guard let i = plan.stateRefresh.firstIndex(where: { $0.name == "stocksearchweb" }),
                case .upsert(var record, nil) = plan.stateRefresh[i]
            else { return }
            record.id = F.record(F.ccAssets, 1).id
            plan.stateRefresh[i] = .upsert(record, formerName: nil)
        }
        #expect(plan.misfit(in: state) == .stateMismatch(
            pointer: "/stateRefresh/2",
            problem: "it records \"stocksearchweb\" as console project proj-1, but the state has it as project proj-3, and a refresh matches integrations by project"))
        let diagnostic = try #require(plan.misfit(in: state)).diagnostic(file: "p.plan")
        #expect(diagnostic.code == "KF453")
        #expect(diagnostic.message == "'p.plan' at /stateRefresh/2 does not fit the state the plan was made against: it records \"stocksearchweb\" as console project proj-1, but the state has it as project proj-3, and a refresh matches integrations by project")
    }

    @Test func anActionNamingOtherConsoleIdsIsRefused() throws {
        let (plan, state) = try Self.edited("delete-allowed") { plan in
            guard let i = plan.actions.firstIndex(where: { $0.id == "delete:legacyhooks" }) else { return }
            plan.actions[i].integrationId = F.record(F.stockSearch, 3).id
        }
        #expect(plan.misfit(in: state) == .stateMismatch(
            pointer: "/actions/2",
            problem: "it acts on \"legacyhooks\", which the state records as console project proj-4, not project proj-3"))
    }

    /// An update turned into a delete (its spec removed, its after null, its id and reason
    /// changed) reads as a plan, but the state records the integration as protected.
    @Test func aDeleteOfAProtectedIntegrationIsRefused() throws {
        let (plan, state) = try Self.edited("delete-allowed") { plan in
            guard let i = plan.actions.firstIndex(where: { $0.id == "no-op:stocksearchweb" }) else { return }
            plan.actions[i].id = "delete:stocksearchweb"
            plan.actions[i].operation = .delete
            plan.actions[i].before = PlanValue.integration(F.stockSearch.attributes, protected: true, apiKey: "k")
        }
        var protected = state
        protected.integrations["stocksearchweb"]?.isProtected = true
        #expect(plan.misfit(in: state) == nil)
        #expect(plan.misfit(in: protected) == .stateMismatch(
            pointer: "/actions/4",
            problem: "it deletes \"stocksearchweb\", which the state records as protected: no plan deletes a protected integration"))
    }

    @Test func anActionOnAnIntegrationTheStateDoesNotRecordIsRefused() throws {
        let scenario = try #require(Self.all.first { $0.name == "update" })
        let plan = try scenario.run().get()
        var state = Self.state(scenario)
        state.integrations["stocksearchweb"] = nil
        #expect(plan.misfit(in: state) == .stateMismatch(
            pointer: "/actions/2",
            problem: "it acts on \"stocksearchweb\", which the state does not record and no earlier action creates"))
    }
}
