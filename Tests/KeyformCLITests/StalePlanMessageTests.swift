import KeyformCore
import Testing
@testable import KeyformCLI

/// What KF451 says about a stale saved plan: the difference that matters most, in words.
@Suite struct StalePlanMessageTests {
    static func state(lineage: String, serial: Int) -> StateSnapshot {
        var document = StateDocument(lineage: lineage, keyformVersion: "0.1.0")
        document.serial = serial
        return StateSnapshot(state: document, digest: "d\(serial)")
    }

    static func plan(against snapshot: StateSnapshot?) -> Plan {
        Plan(
            header: PlanHeader(id: "p", createdAt: "2026-11-29T00:00:00Z", snapshot: snapshot, catalogDigest: "c"), refreshed: true,
            actions: [], drift: [], stateRefresh: [])
    }

    @Test func anotherWorkspacesStateIsNamedAsSuchNotAsASerial() {
        let made = Self.plan(against: Self.state(lineage: "aaaa", serial: 1))
        #expect(ApplyCommand.staleness(made, Self.state(lineage: "bbbb", serial: 1))
            == "it was made against another state (lineage aaaa), not this one (lineage bbbb): a plan from another workspace, or a state replaced since")
    }

    /// A lineage read from a saved plan (edited, its checksum made again) cannot colour or
    /// clear the terminal: it is shown escaped.
    @Test func aLineageFromThePlanFileIsShownEscaped() {
        let made = Self.plan(against: Self.state(lineage: "aaaa\u{1B}[2J", serial: 1))
        #expect(ApplyCommand.staleness(made, Self.state(lineage: "bbbb", serial: 1))
            == "it was made against another state (lineage aaaa\\u001b[2J), not this one (lineage bbbb): a plan from another workspace, or a state replaced since")
    }

    @Test func eachOtherDifferenceHasItsOwnWords() {
        let made = Self.plan(against: Self.state(lineage: "aaaa", serial: 2))
        #expect(ApplyCommand.staleness(made, Self.state(lineage: "aaaa", serial: 3))
            == "it was made against serial 2, and the state is now at serial 3")
        #expect(ApplyCommand.staleness(made, Self.state(lineage: "aaaa", serial: 2))
            == "the state at serial 2 changed after the plan was made (an apply recorded changes since)")
        #expect(ApplyCommand.staleness(made, nil) == "it was made against a stored state, and there is none now")
        #expect(ApplyCommand.staleness(Self.plan(against: nil), Self.state(lineage: "aaaa", serial: 4))
            == "it was made when there was no state, and there is one now (serial 4)")
    }
}
