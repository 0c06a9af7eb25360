import KeyformCore
import KeyformJSON

/// A successful answer, with what error messages need to name it.
struct ConsoleReply: Sendable {
    var info: ConsoleError.RequestInfo
    var response: HTTPTransportResponse

    /// The body as JSON.
    /// - Throws: `.badResponse` when it is empty or not JSON; one whose `Content-Type` says
    ///   what it is instead (an HTML page from a proxy, a login portal or a web site at the
    ///   console's address) is named by it.
    func json() throws(ConsoleError) -> JSON {
        guard !response.body.isEmpty else {
            throw .badResponse("the answer has no body where JSON was expected", request: info)
        }
        do {
            return try JSON.parse(response.body, allowDuplicateKeys: true)
        } catch {
            if let kind = mediaType, !kind.contains("json") {
                throw .badResponse("the answer is \(kind), not JSON: is the console URL the console's API, with no proxy page in between?", request: info)
            }
            throw .badResponse("the answer is not JSON (\(error.message) at byte \(error.offset))", request: info)
        }
    }

    /// The `Content-Type` without its parameters, lower-cased and cut to 60 characters;
    /// `nil` when there is none.
    private var mediaType: String? {
        guard let value = response.header(ConsoleRoutes.Header.contentType),
            let kind = value.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased(), !kind.isEmpty
        else { return nil }
        return kind.count > 60 ? String(kind.prefix(60)) + "…" : kind
    }

    /// Reads fields of this answer, reporting a missing or mistyped one as `.badResponse`.
    var fields: ResponseFields { ResponseFields(info: info) }
}

/// Typed field access into a response body; every failure is a `.badResponse` naming the
/// field by its path in the answer (`[2].id_integration`).
struct ResponseFields: Sendable {
    var info: ConsoleError.RequestInfo

    func missing(_ what: String, at path: String) -> ConsoleError {
        .badResponse("the answer has no \(what) `\(path)`", request: info)
    }

    /// A string field; a number is taken as its literal (ids are sometimes numbers).
    func string(_ json: JSON, _ key: String, at path: String = "") throws(ConsoleError) -> String {
        guard let value = optionalString(json, key) else { throw missing("string", at: join(path, key)) }
        return value
    }

    func optionalString(_ json: JSON, _ key: String) -> String? {
        switch json[key] {
        case .string(let s)?: s
        case .number(let n)?: n.literal
        default: nil
        }
    }

    func optionalBool(_ json: JSON, _ key: String) -> Bool? { json[key]?.boolValue }

    /// An array field; absent or `null` is an empty array when `required` is false.
    func array(_ json: JSON, _ key: String, at path: String = "", required: Bool = true) throws(ConsoleError) -> [JSON] {
        switch json[key] {
        case .array(let items)?: return items
        case nil, .null?: if !required { return [] }
        default: break
        }
        throw missing("array", at: join(path, key))
    }

    /// The whole body as an array.
    func array(_ json: JSON) throws(ConsoleError) -> [JSON] {
        guard case .array(let items) = json else { throw .badResponse("the answer is not a JSON array", request: info) }
        return items
    }

    /// The whole body as an object; a one-element array holding an object is accepted too
    /// (Adobe's document describes some single results as arrays).
    func object(_ json: JSON) throws(ConsoleError) -> JSON {
        switch json {
        case .object: return json
        case .array(let items) where items.count == 1 && items[0].objectValue != nil: return items[0]
        default: throw .badResponse("the answer is not a JSON object", request: info)
        }
    }

    /// `_embedded.<key>` of a HAL document; absent means empty.
    func embedded(_ json: JSON, _ key: String, at path: String = "") throws(ConsoleError) -> [JSON] {
        guard let embedded = json[ConsoleRoutes.Field.embedded], embedded != .null else { return [] }
        guard embedded.objectValue != nil else { throw missing("object", at: join(path, ConsoleRoutes.Field.embedded)) }
        return try array(embedded, key, at: join(path, ConsoleRoutes.Field.embedded), required: false)
    }

    func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }
}
