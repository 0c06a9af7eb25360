import KeyformJSON

/// A journal entry as one compact JSON line:
///
///     {"op":"intent","name":"newapp"}
///     {"op":"upsert","name":"web","formerName":"oldweb","integration":{"ids":{…},…}}
///     {"op":"remove","name":"web"}
///
/// `integration` has the state file's form of a record (see `IntegrationRecord.stateJSON`);
/// `formerName` is present only for a rename.
extension StateChange {
    static let operations = ["intent", "upsert", "remove"]

    /// The entry as a JSON value.
    public var json: JSON {
        switch self {
        case .intent(let name):
            return .object([JSONMember("op", "intent"), JSONMember("name", .string(name))])
        case .upsert(let record, let formerName):
            var members = [JSONMember("op", "upsert"), JSONMember("name", .string(record.name))]
            if let formerName { members.append(JSONMember("formerName", .string(formerName))) }
            members.append(JSONMember("integration", record.stateJSON))
            return .object(members)
        case .remove(let name):
            return .object([JSONMember("op", "remove"), JSONMember("name", .string(name))])
        }
    }

    /// The entry on one line, without the line feed.
    public func compactLine() -> String {
        json.compactText()
    }

    /// Decodes a journal entry.
    /// - Throws: `StateDecodingError.invalid` with the JSON Pointer of the problem.
    public init(json: JSON) throws(StateDecodingError) {
        guard case .object = json else {
            throw StateDecodingError.here("expected an object, found \(json.kindName)")
        }
        let opReader = try StateObjectReader(json, allowed: ["op", "name", "formerName", "integration"])
        let op = try opReader.string("op")
        switch op {
        case "intent":
            let entry = try StateObjectReader(json, allowed: ["op", "name"])
            self = .intent(name: try entry.nonEmptyString("name"))
        case "remove":
            let entry = try StateObjectReader(json, allowed: ["op", "name"])
            self = .remove(name: try entry.nonEmptyString("name"))
        case "upsert":
            let name = try opReader.nonEmptyString("name")
            let formerName = opReader.optionalValue("formerName") == nil ? nil : try opReader.nonEmptyString("formerName")
            let integration = try opReader.value("integration")
            do throws(StateDecodingError) {
                self = .upsert(try IntegrationRecord(name: name, stateJSON: integration), formerName: formerName)
            } catch {
                throw error.under("integration")
            }
        default:
            throw StateDecodingError.here(
                "unknown operation '\(op)' (expected intent, upsert or remove)",
                suggestion: Suggestion.closest(to: op, among: StateChange.operations).map { "did you mean '\($0)'?" }
            ).under("op")
        }
    }
}
