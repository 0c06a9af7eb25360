import KeyformJSON

/// The semantic diagnostics, one constructor per finding, so wording lives in one place.
extension Diagnostic {
    typealias Codes = DiagnosticCodes

    static func duplicateName(_ name: String, at location: SourceLocation, first: SourceLocation) -> Diagnostic {
        .error(
            Codes.duplicateName, "integration name '\(Self.abbreviated(name))' is already used", at: location,
            notes: [Note("'\(Self.abbreviated(name))' is first declared here", location: first)],
            suggestion: "give each integration its own name; to rename one, list its old name in \"formerNames\"")
    }

    static func formerNameIsOwnName(_ name: String, at location: SourceLocation) -> Diagnostic {
        .error(
            Codes.formerNameCollision, "former name '\(Self.abbreviated(name))' is this integration's own name", at: location,
            suggestion: "remove '\(Self.abbreviated(name))' from \"formerNames\"")
    }

    static func formerNameInUse(_ name: String, at location: SourceLocation, nameAt other: SourceLocation) -> Diagnostic {
        .error(
            Codes.formerNameCollision, "former name '\(Self.abbreviated(name))' is the name of another integration", at: location,
            notes: [Note("integration '\(Self.abbreviated(name))' is declared here", location: other)],
            suggestion: "a former name must not be in use: remove '\(Self.abbreviated(name))' from \"formerNames\"")
    }

    static func formerNameClaimedTwice(
        _ name: String, by owner: String, at location: SourceLocation, first: SourceLocation
    ) -> Diagnostic {
        .error(
            Codes.formerNameCollision, "former name '\(Self.abbreviated(name))' is also listed by integration '\(Self.abbreviated(owner))'", at: location,
            notes: [Note("'\(Self.abbreviated(owner))' lists it here", location: first)],
            suggestion: "a former name can belong to one integration only: remove it from one of them")
    }

    static func unknownService(_ code: String, known: [String], suggestion: String?, at location: SourceLocation) -> Diagnostic {
        .error(
            Codes.unknownService, "unknown service '\(Self.abbreviated(code))'", at: location,
            notes: [Note("the catalog's services are: " + known.joined(separator: ", "))],
            suggestion: suggestion.map { "did you mean '\($0)'?" })
    }

    static func serviceNotEntitled(_ service: Catalog.Service, at location: SourceLocation) -> Diagnostic {
        .error(
            Codes.serviceNotEntitled,
            "service '\(service.code)' (\(service.name)) is not available to your organization: it comes with the purchase of a product",
            at: location,
            suggestion: "remove it, or ask your organization's administrator for the product that includes \(service.name)")
    }

    static func credentialTypeNotSupported(_ service: Catalog.Service, type: CredentialType, at location: SourceLocation) -> Diagnostic {
        let working = service.credentialTypes.map(\.rawValue)
        let list = working.count == 1 ? "\(working[0]) only" : working.dropLast().joined(separator: ", ") + " or " + (working.last ?? "")
        return .error(
            Codes.credentialTypeNotSupported,
            "service '\(service.code)' (\(service.name)) does not support \(type.rawValue) credentials; it works with \(list)",
            at: location,
            suggestion: "remove it from this integration, or subscribe to it from an integration of type "
                + working.joined(separator: " or "))
    }

    static func unknownEventProvider(_ id: String, known: [String], suggestion: String?, at location: SourceLocation) -> Diagnostic {
        .error(
            Codes.unknownEventProvider, "unknown event provider '\(Self.abbreviated(id))'", at: location,
            notes: [Note("the catalog's event providers are: " + known.joined(separator: ", "))],
            suggestion: suggestion.map { "did you mean '\($0)'?" })
    }

    static func unknownEventCode(
        _ code: String, provider: Catalog.EventProvider, suggestion: String?, at location: SourceLocation
    ) -> Diagnostic {
        .error(
            Codes.unknownEventCode, "event provider '\(provider.id)' has no event code '\(Self.abbreviated(code))'", at: location,
            notes: [Note("'\(provider.id)' (\(provider.label)) offers: " + provider.eventCodes.sorted().joined(separator: ", "))],
            suggestion: suggestion.map { "did you mean '\($0)'?" })
    }

    static func insecureURL(field: String, problem: URLPolicy.Problem, at location: SourceLocation) -> Diagnostic {
        switch problem {
        case .scheme(let scheme):
            .error(
                Codes.insecureURL, "\(field) must be an https URL, not \(scheme)", at: location,
                suggestion: "use https://…; http is allowed only for localhost and 127.0.0.1, for testing")
        case .notAURL:
            .error(
                Codes.insecureURL, "\(field) is not an absolute URL", at: location,
                suggestion: "write a full https URL, such as https://hooks.example.com/adobe")
        }
    }

    static func duplicateEventName(
        _ name: String, integration: String, at location: SourceLocation, first: SourceLocation
    ) -> Diagnostic {
        .error(
            Codes.duplicateEventName, "event registration name '\(Self.abbreviated(name))' is used twice in integration '\(Self.abbreviated(integration))'",
            at: location, notes: [Note("first used here", location: first)],
            suggestion: "give each event registration of an integration its own name")
    }

    static func tooManyRegistrations(integration: String, count: Int, at location: SourceLocation) -> Diagnostic {
        .error(
            Codes.registrationsPerCredential,
            "integration '\(Self.abbreviated(integration))' has \(count) event registrations; the console allows at most \(Catalog.registrationsPerCredential) per credential",
            at: location,
            suggestion: "remove some, or spread them over several integrations")
    }

    static func tooManyRegistrationsInOrganization(count: Int, at location: SourceLocation) -> Diagnostic {
        .error(
            Codes.registrationsPerOrganization,
            "the manifests declare \(count) event registrations; the console allows at most \(Catalog.registrationsPerOrganization) per organization",
            at: location,
            notes: [Note("this is registration \(Catalog.registrationsPerOrganization + 1), in reading order (sorted files, then document order)")],
            suggestion: "remove registrations: several event codes of one provider can share one registration")
    }

    /// `isKey`: the secret is a member's name, not a value.
    static func secret(_ kind: SecretDetector.Kind, field: String?, at location: SourceLocation, isKey: Bool = false) -> Diagnostic {
        let place = isKey ? "this member name" : field.map { "'\(Self.abbreviated($0))'" } ?? "this value"
        return .error(
            Codes.secretInManifest, "\(place) looks like it holds \(kind.rawValue); secrets never belong in manifests",
            at: location,
            notes: [Note("manifests are committed and shown in plans and logs; the value is not repeated here")],
            suggestion: "remove it and revoke it if it was ever committed; the console keeps client secrets, and tokens come from the environment at run time")
    }

    static func environmentProblem(_ kind: EnvironmentSubstitution.Problem.Kind, at location: SourceLocation) -> Diagnostic {
        switch kind {
        case .undefined(let name):
            .error(
                Codes.undefinedEnvironmentVariable, "environment variable '\(Self.abbreviated(name))' is not defined", at: location,
                suggestion: "set \(Self.abbreviated(name)) in the environment Keyform runs in, or write $${env:\(Self.abbreviated(name))} for the literal text")
        case .unterminated(let reference):
            .error(
                Codes.malformedEnvironmentReference, "'\(Self.abbreviated(reference))' has no closing '}'", at: location,
                suggestion: "write ${env:NAME}; for a literal '${', write '$${'")
        case .emptyName:
            .error(
                Codes.malformedEnvironmentReference, "'${env:}' names no environment variable", at: location,
                suggestion: "write ${env:NAME}; for a literal '${', write '$${'")
        case .invalidName(let name):
            .error(
                Codes.malformedEnvironmentReference,
                "'\(Self.abbreviated(name))' is not an environment variable name (letters, digits and underscores, not starting with a digit)",
                at: location,
                suggestion: "write ${env:NAME}; for a literal '${', write '$${'")
        }
    }

    static func genericName(_ value: String, field: String, at location: SourceLocation) -> Diagnostic {
        .warning(
            Codes.genericName,
            "'\(Self.abbreviated(value))' is a generic \(field): integrations are shared across the organization, so it should say what this one is for",
            at: location,
            suggestion: "name the product and purpose, e.g. \(field == "name" ? "'stocksearchweb'" : "'Stock Search Web'")")
    }

    static func weakDescription(integration: String, empty: Bool, at location: SourceLocation) -> Diagnostic {
        .warning(
            Codes.weakDescription,
            empty ? "the description of '\(Self.abbreviated(integration))' is empty" : "the description of '\(Self.abbreviated(integration))' is a single word",
            at: location,
            suggestion: "say what the integration is for and who owns it, in a sentence")
    }

    static func catalogRulesSkipped() -> Diagnostic {
        Diagnostic(
            .note, code: Codes.catalogRulesSkipped,
            "--offline: services, entitlements, credential types, event providers and event codes were not checked against the catalog")
    }

    /// `text` cut to 60 characters with an ellipsis, for quoting user input in a message.
    static func abbreviated(_ text: String) -> String {
        text.count <= 60 ? text : String(text.prefix(59)) + "…"
    }
}

extension Diagnostic {
    static func noManifests(under path: String) -> Diagnostic {
        .error(
            DiagnosticCodes.noManifests, "no manifest files (*.json) under '\(path)'",
            suggestion: "add a manifest there, or point Keyform at the directory that holds them (keyform validate PATH, or \"manifests\" in keyform.json)")
    }
}
