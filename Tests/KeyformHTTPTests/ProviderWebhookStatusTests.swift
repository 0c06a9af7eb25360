import Foundation
import KeyformCore
import Testing
@testable import KeyformHTTP

/// The Events API's `webhook_status` on registrations: anything but `verified` is reported as
/// the record's `unverifiedWebhook`, on create, replace and list.
@Suite struct ProviderWebhookStatusTests {
    /// A registration answer whose `webhook_status` is `status` (absent when `nil`).
    static func registrationJSON(id: String, status: String?) -> String {
        let json = Fixture.registrationJSON(id: id, spec: Fixture.assetSync)
        return json.replacingOccurrences(
            of: #""webhook_status":"verified","#, with: status.map { #""webhook_status":"\#($0)","# } ?? "")
    }

    static let statuses: [(String?, String?)] = [
        ("verified", nil), ("hook_unreachable", "hook_unreachable"), ("unverified", "unverified"), (nil, nil),
    ]

    @Test(arguments: statuses)
    func createReportsTheStatus(_ status: String?, _ expected: String?) async throws {
        let transport = ScriptedTransport([
            Fixture.organizations,
            ("GET /console/organizations/1234/integrations/c1", [.json(#"{"id":"c1","apikey":"ak-1","sdkList":[]}"#)]),
            ("POST \(Fixture.registrationsPath)", [.json(201, Self.registrationJSON(id: "r1", status: status))]),
        ])
        let created = try await Fixture.provider(transport).createRegistration(Fixture.id, Fixture.assetSync)
        #expect(created == RegistrationRecord(id: "r1", spec: Fixture.assetSync, unverifiedWebhook: expected))
        #expect(await transport.unscripted == [])
    }

    @Test(arguments: statuses)
    func replaceReportsTheStatus(_ status: String?, _ expected: String?) async throws {
        let transport = ScriptedTransport([
            Fixture.organizations,
            ("PUT \(Fixture.registrationsPath)/r1", [.json(Self.registrationJSON(id: "r1", status: status))]),
        ])
        let updated = try await Fixture.provider(transport).updateRegistration(Fixture.id, registrationId: "r1", to: Fixture.assetSync)
        #expect(updated == RegistrationRecord(id: "r1", spec: Fixture.assetSync, unverifiedWebhook: expected))
    }

    @Test func aReplaceAnsweredWithoutABodySaysNothingOfTheStatus() async throws {
        let transport = ScriptedTransport([Fixture.organizations, ("PUT \(Fixture.registrationsPath)/r1", [.status(204)])])
        let updated = try await Fixture.provider(transport).updateRegistration(Fixture.id, registrationId: "r1", to: Fixture.assetSync)
        #expect(updated == RegistrationRecord(id: "r1", spec: Fixture.assetSync))
    }

    @Test func aListedRegistrationCarriesItsStatusCutToSixtyCharacters() throws {
        let long = String(repeating: "z", count: 200)
        let body = #"{"_embedded":{"registrations":[\#(Self.registrationJSON(id: "r1", status: "hook_unreachable")),"#
            + #"\#(Self.registrationJSON(id: "r2", status: long).replacingOccurrences(of: "asset-sync", with: "other")),"#
            + #"\#(Self.registrationJSON(id: "r3", status: "verified").replacingOccurrences(of: "asset-sync", with: "third"))]}}"#
        let reply = ConsoleReply(
            info: .init(method: "GET", path: Fixture.registrationsPath), response: HTTPTransportResponse(status: 200, text: body))
        let listed = try ConsoleDecoding.registrations(reply)
        #expect(listed.map(\.id) == ["r1", "r2", "r3"])
        #expect(listed.map(\.unverifiedWebhook) == ["hook_unreachable", String(repeating: "z", count: 59) + "…", nil])
    }

    @Test func anAdoptedRegistrationThatMatchesKeepsTheStatusRead() async throws {
        let transport = ScriptedTransport([
            Fixture.organizations,
            ("GET /console/organizations/1234/integrations/c1", [.json(#"{"id":"c1","apikey":"ak-1","sdkList":[]}"#)]),
            ("POST \(Fixture.registrationsPath)", [.json(409, #"{"message":"taken"}"#, headers: ["x-conflicting-id": "r9"])]),
            ("GET \(Fixture.registrationsPath)/r9", [.json(Self.registrationJSON(id: "r9", status: "hook_unreachable"))]),
        ])
        let adopted = try await Fixture.provider(transport).createRegistration(Fixture.id, Fixture.assetSync)
        #expect(adopted == RegistrationRecord(id: "r9", spec: Fixture.assetSync, unverifiedWebhook: "hook_unreachable"))
        #expect(await transport.unscripted == [])
    }
}
