import KeyformCore
import KeyformJSON
import Testing

@Suite struct StateCodecChangeTests {
    static let changes: [StateChange] = [
        .intent(name: "newapp"),
        .upsert(StateCodecFixtures.portal, formerName: nil),
        .upsert(StateCodecFixtures.web, formerName: "stocksearch"),
        .remove(name: "usersync"),
    ]

    @Test(arguments: changes)
    func changeRoundTripsOnOneLine(change: StateChange) throws {
        let line = change.compactLine()
        #expect(!line.contains("\n"))
        #expect(try StateChange(json: JSON.parse(line)) == change)
    }

    @Test func exactLines() {
        #expect(StateChange.intent(name: "newapp").compactLine() == #"{"op":"intent","name":"newapp"}"#)
        #expect(StateChange.remove(name: "x").compactLine() == #"{"op":"remove","name":"x"}"#)
        let record = IntegrationRecord(
            id: IntegrationID(projectId: "p", workspaceId: "w", credentialId: "c"), apiKey: "k",
            attributes: IntegrationAttributes(name: "app", title: "App", description: "d", type: .apiKey))
        #expect(StateChange.upsert(record, formerName: "old").compactLine() == #"{"op":"upsert","name":"app","formerName":"old","integration":{"ids":{"projectId":"p","workspaceId":"w","credentialId":"c"},"apiKey":"k","attributes":{"title":"App","description":"d","type":"apiKey","allowedDomains":[],"redirectUris":[]},"services":[],"registrations":{},"protected":false}}"#)
    }

    @Test(arguments: [
        (#"{"op":"intnet","name":"a"}"#, "/op", "unknown operation 'intnet' (expected intent, upsert or remove)", "did you mean 'intent'?" as String?),
        (#"{"op":"intent"}"#, "", "missing member 'name'", nil),
        (#"{"op":"remove","name":"a","integration":{}}"#, "/integration", "unknown member 'integration'", nil),
        (#"{"op":"upsert","name":"a","integration":{"apiKey":"k"}}"#, "/integration", "missing member 'ids'", nil),
        (#"{"name":"a"}"#, "", "missing member 'op'", nil),
    ])
    func entryErrors(text: String, pointer: String, problem: String, suggestion: String?) throws {
        let json = try JSON.parse(text)
        #expect(throws: StateDecodingError.invalid(pointer: pointer, problem: problem, suggestion: suggestion)) {
            try StateChange(json: json)
        }
    }

    @Test func replayingChangesBuildsTheState() {
        var state = StateDocument(lineage: "l", keyformVersion: "0.1.0")
        for change in Self.changes { change.apply(to: &state) }
        #expect(state.pendingCreates == ["newapp"])
        #expect(state.integrations.keys.sorted() == ["assetportal", "stocksearchweb"])
    }
}
