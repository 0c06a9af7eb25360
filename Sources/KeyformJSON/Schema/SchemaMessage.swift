/// The words of violations: what is wrong, in terms of the value (never of the schema's
/// internals), and the fix where one can be guessed.
enum SchemaMessage {
    static let nothingAllowed = "no value is allowed here"

    /// "expected a string, found a number"; "expected an integer, found 1.5".
    static func type(expected: SchemaTypeSet, found: JSON) -> String {
        var names: [String] = []
        for (name, type) in SchemaTypeSet.names where expected.contains(type) {
            if type == .integer, expected.contains(.number) { continue }
            names.append(article(name))
        }
        let wanted = names.count <= 1 ? (names.first ?? "nothing") : names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
        if case .number(let number) = found, expected.contains(.integer) {
            return "expected \(wanted), found \(number.literal)"
        }
        return "expected \(wanted), found \(SchemaKeywordReader.describe(found))"
    }

    private static func article(_ name: String) -> String {
        switch name {
        case "null": return "null"
        case "object", "array", "integer": return "an \(name)"
        default: return "a \(name)"
        }
    }

    /// "expected one of 'apiKey', 'oauth', 'serviceAccount'", or "expected 'apiKey'" for one.
    static func oneOf(_ values: [JSON]) -> String {
        if values.count == 1 { return "expected \(quoted(values[0]))" }
        if values.isEmpty { return "no value is allowed here (the list of allowed values is empty)" }
        let limit = 20
        var text = "expected one of " + values.prefix(limit).map(quoted).joined(separator: ", ")
        if values.count > limit { text += " (and \(values.count - limit) more)" }
        return text
    }

    /// "did you mean 'oauth'?" when the instance is a string close to an allowed string.
    static func closest(to instance: JSON, among values: [JSON]) -> String? {
        guard case .string(let text) = instance else { return nil }
        guard let match = Suggestion.closest(to: text, among: values.compactMap(\.stringValue)) else { return nil }
        return "did you mean '\(match)'?"
    }

    /// A string value in single quotes, anything else as compact JSON.
    static func quoted(_ value: JSON) -> String {
        if case .string(let text) = value { return "'\(text)'" }
        return value.compactText()
    }

    /// "must be at most 45 characters (is 52)"; "must have at most 30 items (has 31)".
    static func atMost(_ limit: Int, _ noun: String, is actual: Int) -> String {
        "must \(verb(noun)) at most \(count(limit, noun)) (\(verb(noun) == "be" ? "is" : "has") \(actual))"
    }

    static func atLeast(_ limit: Int, _ noun: String, is actual: Int) -> String {
        "must \(verb(noun)) at least \(count(limit, noun)) (\(verb(noun) == "be" ? "is" : "has") \(actual))"
    }

    private static func verb(_ noun: String) -> String { noun == "character" ? "be" : "have" }

    /// "1 item", "2 items", "3 properties".
    static func count(_ number: Int, _ noun: String) -> String {
        if number == 1 { return "1 \(noun)" }
        if noun.hasSuffix("y") { return "\(number) \(noun.dropLast())ies" }
        return "\(number) \(noun)s"
    }

    static func pattern(_ source: String) -> String {
        "must match the pattern '\(source)'"
    }

    /// "1st", "2nd", "3rd", "4th", … for naming alternatives, counting from 1.
    static func ordinal(_ number: Int) -> String {
        let suffix: String
        switch (number % 10, number % 100) {
        case (1, let t) where t != 11: suffix = "st"
        case (2, let t) where t != 12: suffix = "nd"
        case (3, let t) where t != 13: suffix = "rd"
        default: suffix = "th"
        }
        return "\(number)\(suffix)"
    }

    /// "did you mean 'services'?" for an unknown property, or the allowed names the object
    /// does not use yet when there are few of them and none is close.
    static func unknownPropertyHelp(_ name: String, allowed: [String]) -> String? {
        if let match = Suggestion.closest(to: name, among: allowed) { return "did you mean '\(match)'?" }
        guard !allowed.isEmpty, allowed.count <= 12 else { return nil }
        return "remove it; allowed and not used yet here: " + allowed.map { "'\($0)'" }.joined(separator: ", ")
    }
}
