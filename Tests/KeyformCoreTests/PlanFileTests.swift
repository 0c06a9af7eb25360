@testable import KeyformCore
import KeyformJSON
import Testing

@Suite struct PlanFileTests {
    typealias F = PlanFixtures

    @Test(arguments: PlanScenario.all)
    func roundTrip(_ scenario: PlanScenario) throws {
        guard case .success(let plan) = scenario.run() else { return }
        let text = PlanFile.encode(plan)
        let decoded = try PlanFile.decode(text)
        #expect(decoded == plan)
        #expect(PlanFile.encode(decoded) == text)
    }

    @Test func aPlanMadeWithoutAStateRoundTrips() throws {
        let header = PlanHeader(id: "p1", createdAt: "2025-06-01T12:00:00Z", snapshot: nil, catalogDigest: Catalog.default.digest)
        #expect(header.stateLineage == nil && header.stateSerial == nil && header.stateDigest == nil)
        let plan = try Planner.plan(desired: [F.ccAssets], stored: [], allowDelete: false, header: header)
        let text = PlanFile.encode(plan)
        #expect(text.contains("\n  \"stateLineage\": null,\n  \"stateSerial\": null,\n  \"stateDigest\": null,\n"))
        #expect(try PlanFile.decode(text) == plan)
        let snapshot = StateSnapshot(state: StateDocument(serial: 4, lineage: "L", keyformVersion: "0.1.0"), digest: "abc")
        let fromSnapshot = PlanHeader(id: "p2", createdAt: "t", snapshot: snapshot, catalogDigest: "c")
        #expect(fromSnapshot == PlanHeader(
            id: "p2", createdAt: "t", stateLineage: "L", stateSerial: 4, stateDigest: "abc", catalogDigest: "c"))
    }

    /// A plan file rewritten after an edit, with a valid checksum, so that the field checks run.
    func resealed(_ edit: (inout [JSONMember]) -> Void) throws -> String {
        let scenario = try #require(PlanScenario.all.first { $0.name == "create" })
        let plan = try scenario.run().get()
        guard case .object(var members) = PlanFile.json(plan) else { throw PlanFileError.notAPlan }
        edit(&members)
        members.append(JSONMember("checksum", .string(PlanFile.checksum(of: members))))
        return JSON.object(members).canonicalText()
    }

    func decodeError(_ text: String) -> PlanFileError? {
        do {
            _ = try PlanFile.decode(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func syntaxErrorsHaveALineAndColumn() {
        let error = decodeError("{\n  \"formatVersion\": 1,\n  \"id\": \"é\" x\n}")
        guard case .syntax(_, let line, let column) = error else {
            Issue.record("expected a syntax error, got \(String(describing: error))")
            return
        }
        #expect(line == 3)
        #expect(column == 13)
        let diagnostic = error?.diagnostic(file: "plan.json")
        #expect(diagnostic?.code == "KF440")
        #expect(diagnostic?.location == SourceLocation(file: "plan.json", line: 3, column: 13))
        #expect(diagnostic?.suggestion == "make a new plan with `keyform plan --out plan.json`")
    }

    @Test func otherJSONIsNotAPlan() {
        #expect(decodeError("[]") == .notAPlan)
        #expect(decodeError("{\"integrations\": []}") == .notAPlan)
        #expect(PlanFileError.notAPlan.diagnostic(file: "x.json").message == "'x.json' is not a Keyform plan (no \"formatVersion\")")
    }

    @Test func unknownVersionsAreRefusedBeforeAnythingElse() {
        #expect(decodeError("{\"formatVersion\": 2}") == .unsupportedVersion(found: 2, supported: 1))
        #expect(decodeError("{\"formatVersion\": \"1\"}") == .wrongType(pointer: "/formatVersion", expected: "an integer"))
        #expect(PlanFileError.unsupportedVersion(found: 2, supported: 1).diagnostic(file: "p.json").message
            == "'p.json' has plan format version 2, which this Keyform cannot read (made by a newer Keyform; it reads version 1)")
        #expect(PlanFileError.unsupportedVersion(found: 0, supported: 1).diagnostic(file: "p.json").message
            == "'p.json' has plan format version 0, which this Keyform cannot read (not a version any Keyform wrote; it reads version 1)")
    }

    @Test func anEditedPlanIsRefused() throws {
        let plan = try #require(try PlanScenario.all.first { $0.name == "update" }?.run().get())
        let text = PlanFile.encode(plan)
        let tampered = text.replacingOccurrences(of: "Stock Search for Web", with: "Stock Search for All")
        #expect(tampered != text)
        #expect(decodeError(tampered) == .checksumMismatch)
        let withoutChecksum = try resealed { _ in }.components(separatedBy: ",\n  \"checksum\"")[0] + "\n}"
        #expect(decodeError(withoutChecksum) == .missing(pointer: "/checksum"))
        #expect(PlanFileError.checksumMismatch.diagnostic(file: "p.json").message
            == "'p.json' was changed after it was written (its checksum does not match)")
    }

    @Test func fieldErrorsNameTheirPlace() throws {
        func actions(_ members: inout [JSONMember], _ edit: (inout [JSON]) -> Void) {
            guard let i = members.firstIndex(where: { $0.key == "actions" }), case .array(var items) = members[i].value else { return }
            edit(&items)
            members[i].value = .array(items)
        }
        func member(_ action: inout JSON, _ key: String, _ value: JSON?) {
            guard case .object(var members) = action else { return }
            if let value {
                if let i = members.firstIndex(where: { $0.key == key }) { members[i].value = value } else { members.append(JSONMember(key, value)) }
            } else {
                members.removeAll { $0.key == key }
            }
            action = .object(members)
        }
        #expect(decodeError(try resealed { actions(&$0) { member(&$0[1], "reason", nil) } })
            == .missing(pointer: "/actions/1/reason"))
        #expect(decodeError(try resealed { $0[4].value = "7" }) == .wrongType(pointer: "/stateSerial", expected: "an integer"))
        #expect(decodeError(try resealed { actions(&$0) { member(&$0[0], "kind", "creat") } })
            == .invalidValue(pointer: "/actions/0/kind",
                problem: "'creat' is not one of 'create', 'update', 'rename', 'subscribe', 'register', 'update-registration', 'deregister', 'delete', 'no-op'; did you mean 'create'?"))
        #expect(decodeError(try resealed { actions(&$0) { $0.insert($0[0], at: 1) } })
            == .duplicateActionId(pointer: "/actions/1/id", id: "create:ccassets"))
        #expect(decodeError(try resealed { actions(&$0) { $0.swapAt(0, 1) } })
            == .badDependency(pointer: "/actions/0/dependsOn", id: "subscribe:ccassets.services", dependency: "create:ccassets"))
        #expect(decodeError(try resealed { actions(&$0) { member(&$0[0], "spec", nil) } })
            == .missing(pointer: "/actions/0/spec"))
        #expect(PlanFileError.missing(pointer: "/actions/1/reason").diagnostic(file: "p.json").message
            == "'p.json' at /actions/1/reason: required member is missing")
    }

    /// An edit that changes what an action does but not what it shows (the checksum made
    /// again) is refused: the plan a reviewer saw is the plan that runs. So is the reverse.
    @Test func anActionMustShowWhatItDoes() throws {
        func editing(_ key: String, of action: Int, _ edit: @escaping (inout [JSONMember]) -> Void) throws -> String {
            try resealed { members in
                guard let i = members.firstIndex(where: { $0.key == "actions" }), case .array(var items) = members[i].value,
                    case .object(var fields) = items[action], let k = fields.firstIndex(where: { $0.key == key }),
                    case .object(var inner) = fields[k].value
                else { return }
                edit(&inner)
                fields[k].value = .object(inner)
                items[action] = .object(fields)
                members[i].value = .array(items)
            }
        }
        func setDescription(_ members: inout [JSONMember]) {
            if let d = members.firstIndex(where: { $0.key == "description" }) { members[d].value = "EVIL" }
        }
        let problem = "what the action shows is not what it would do (its \"after\" differs from the values it applies)"
        #expect(decodeError(try editing("spec", of: 0, setDescription)) == .invalidValue(pointer: "/actions/0/after", problem: problem))
        #expect(decodeError(try editing("after", of: 0, setDescription)) == .invalidValue(pointer: "/actions/0/after", problem: problem))
        // The services an action subscribes to, likewise.
        #expect(decodeError(try resealed { members in
            guard let i = members.firstIndex(where: { $0.key == "actions" }), case .array(var items) = members[i].value,
                case .object(var fields) = items[1], let k = fields.firstIndex(where: { $0.key == "services" })
            else { return }
            fields[k].value = ["UserMgmtSDK"]
            items[1] = .object(fields)
            members[i].value = .array(items)
        }) == .invalidValue(pointer: "/actions/1/after", problem: problem))
        #expect(PlanFile.showsItsOperation(try #require(PlanScenario.all.first { $0.name == "create" }?.run().get().actions.first)))
    }

    @Test func sha256MatchesTheStandardVectors() {
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1000))
            == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        components(separatedBy: target).joined(separator: replacement)
    }

    fileprivate func components(separatedBy separator: String) -> [String] {
        var parts: [String] = []
        var rest = Substring(self)
        while let range = rest.firstRange(of: separator) {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }
}
