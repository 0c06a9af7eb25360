/// The one organization an embedded console holds, as `GET /console/organizations` lists it.
public struct ConsoleOrganization: Hashable, Sendable {
    /// The numeric console id used in request paths, e.g. `"1234567"`.
    public var id: String
    /// The IMS organization code, e.g. `"3F2A…@AdobeOrg"`.
    public var code: String
    public var name: String

    public init(id: String, code: String, name: String) {
        self.id = id
        self.code = code
        self.name = name
    }

    /// The organization `type` the console reports (an enterprise organization).
    public static let type = "entp"
    /// The `role` the console reports for the caller.
    public static let role = "ADMIN"
}
