import KeyformCore
import KeyformJSON
import KeyformState

/// Reading the stored state for `show`, `output` and `state`, with errors printed.
enum StateReading {
    /// The stored state (journal replayed), or nil after printing why there is none.
    static func read(_ arguments: ParsedArguments, _ context: CommandContext) -> StateDocument? {
        let workspace = Workspace(arguments, context)
        if workspace.hasErrors {
            context.stderr.write(workspace.render(workspace.diagnostics))
            return nil
        }
        do {
            let store = try workspace.stateStore()
            guard let snapshot = try store.read() else {
                context.stderr.write(
                    "error[KF419]: no state at \(workspace.statePath)\nhelp: run 'keyform apply' first, or name the state with --state PATH\n")
                return nil
            }
            return snapshot.state
        } catch let error as WorkspaceError {
            context.stderr.write("\(error.description)\n")
        } catch {
            context.stderr.write(ApplyCommand.render(error, doing: "read the state"))
        }
        return nil
    }

    /// The record named `name`, or nil after printing an error with a suggestion. A name
    /// holding a control character (a hand-edited state, an event name from a manifest) is
    /// listed as its escape (`stock\u001bweb`), and that escape finds it too: the name itself
    /// cannot be typed as an argument.
    static func record(_ name: String, in state: StateDocument, _ context: CommandContext) -> IntegrationRecord? {
        if let record = state.integrations[name] { return record }
        if let key = state.integrations.keys.sorted().first(where: { $0 != name && Diagnostic.displayable($0) == name }) {
            return state.integrations[key]
        }
        var message = "error[KF460]: the state has no integration named '\(name)'"
        if let dot = name.firstIndex(of: "."), state.integrations[String(name[..<dot])] != nil {
            // A plan address (`web.events["sync"]`, `web.services`): the state records whole integrations.
            message += "\nhelp: '\(name)' is part of the integration '\(name[..<dot])'; the state records integrations by name"
        } else if let guess = Suggestion.closest(to: name, among: state.integrations.keys) {
            message += "\nhelp: did you mean '\(Diagnostic.displayable(guess))'?"
        } else {
            message += "\nhelp: 'keyform state list' lists the names"
        }
        context.stderr.write(message + "\n")
        return nil
    }

    /// A human-readable block for one integration: ids, API key, services, registrations.
    /// Values come from a file and are shown through `Diagnostic.displayable`, so that a
    /// control character in the state cannot act on the terminal.
    static func describe(_ record: IntegrationRecord) -> String {
        var text = Diagnostic.displayable(record.name) + "\n"
        func row(_ key: String, _ value: String) {
            text += "  " + key.padding(toLength: 15, withPad: " ", startingAt: 0) + Diagnostic.displayable(value) + "\n"
        }
        row("type", record.attributes.type.rawValue)
        row("title", record.attributes.title)
        row("apiKey", record.apiKey)
        row("projectId", record.id.projectId)
        row("workspaceId", record.id.workspaceId)
        row("credentialId", record.id.credentialId)
        if !record.attributes.allowedDomains.isEmpty { row("allowedDomains", record.attributes.allowedDomains.joined(separator: ", ")) }
        if !record.attributes.redirectUris.isEmpty { row("redirectUris", record.attributes.redirectUris.joined(separator: ", ")) }
        row("services", record.services.isEmpty ? "(none)" : record.services.joined(separator: ", "))
        if record.isProtected { row("protected", "true") }
        for registration in record.registrations {
            row("event", "\(registration.name) (\(registration.id)): \(registration.spec.provider) \(registration.spec.eventCodes.joined(separator: ", ")) → \(registration.spec.webhookUrl)")
        }
        return text
    }
}
