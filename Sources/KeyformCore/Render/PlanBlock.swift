import KeyformJSON

/// One entry of a rendered plan: a symbol, an address, a sentence, and attribute lines.
/// Shared by the text and Markdown renderers, so both list the same things in the same order.
///
/// Example: the pair `delete:app` + `create:app` of a replacement becomes one block
/// `± app` whose lines compare the old integration with the new one; `no-op` actions
/// become no block at all.
struct PlanBlock: Hashable {
    enum Symbol: String, CaseIterable {
        case create = "+"
        case update = "~"
        case delete = "-"
        case replace = "±"
        case rename = "→"

        /// The legend's words.
        var meaning: String {
            switch self {
            case .create: "create"
            case .update: "update in place"
            case .delete: "delete"
            case .replace: "delete and create again"
            case .rename: "rename"
            }
        }
    }

    struct Line: Hashable {
        var key: String
        /// Already formatted: `"a"`, `"a" → "b"`, `(known after apply)`.
        var text: String
    }

    var symbol: Symbol
    var address: String
    /// The action kind(s) in words: `create`, `delete and create again`.
    var kindDescription: String
    /// `stocksearchweb will be created (new in the manifests)`.
    var sentence: String
    var lines: [Line]

    /// The plan's changes as blocks, in plan order; replacements merged, no-ops left out.
    static func blocks(of plan: Plan) -> [PlanBlock] {
        var replacementCreates: [String: PlanAction] = [:]
        for action in plan.actions where action.isReplacement && action.kind == .create {
            replacementCreates[action.address] = action
        }
        var blocks: [PlanBlock] = []
        for action in plan.actions {
            switch action.kind {
            case .noOp:
                continue
            case .create where action.isReplacement && replacementCreates[action.address] != nil:
                continue  // shown with its delete
            case .delete where action.isReplacement:
                let create = replacementCreates[action.address]
                blocks.append(PlanBlock(
                    symbol: .replace, address: action.address, kindDescription: "replace",
                    sentence: "\(action.address) \(action.reason)",
                    lines: lines(before: action.before, after: create?.after ?? .null, unknown: create?.afterUnknown ?? [])))
            default:
                // The services of a new integration are set, not changed.
                let isNew = action.kind == .subscribe && action.before == .null
                blocks.append(PlanBlock(
                    symbol: isNew ? .create : symbol(for: action.kind), address: action.address, kindDescription: action.kind.rawValue,
                    sentence: "\(action.address) \(action.reason)",
                    lines: lines(before: action.before, after: action.after, unknown: action.afterUnknown)))
            }
        }
        return blocks
    }

    static func symbol(for kind: PlanAction.Kind) -> Symbol {
        switch kind {
        case .create, .register: .create
        case .update, .subscribe, .updateRegistration, .noOp: .update
        case .rename: .rename
        case .deregister, .delete: .delete
        }
    }

    static func symbol(for kind: Drift.Kind) -> String {
        switch kind {
        case .changed: "~"
        case .added: "+"
        case .deleted: "-"
        case .unmanaged: "?"
        }
    }

    /// Attribute lines: every value of a new or removed object; only the differences of a
    /// changed one. Keys in the after value's order, then any only before, then unknown ones.
    static func lines(before: JSON, after: JSON, unknown: [String]) -> [Line] {
        let old = before.objectValue ?? []
        let new = after.objectValue ?? []
        var keys: [String] = []
        var seen = Set<String>()
        for key in new.map(\.key) + old.map(\.key) + unknown where seen.insert(key).inserted { keys.append(key) }
        let isNew = before == .null, isGone = after == .null
        var lines: [Line] = []
        for key in keys {
            let b = old.first { $0.key == key }?.value
            let a = new.first { $0.key == key }?.value
            let afterText = unknown.contains(key) ? "(known after apply)" : a.map(InlineJSON.text)
            if isNew {
                if let afterText { lines.append(Line(key: key, text: afterText)) }
            } else if isGone {
                if let b { lines.append(Line(key: key, text: InlineJSON.text(b))) }
            } else if unknown.contains(key) || a != b {
                let beforeText = b.map(InlineJSON.text) ?? "(none)"
                lines.append(Line(key: key, text: "\(beforeText) → \(afterText ?? "(none)")"))
            }
        }
        return lines
    }
}

/// JSON values written on one line for people: `["a", "b"]`, `{"k": 1}`. Characters that
/// would act on a terminal or reorder the line (C1 controls, bidirectional overrides; C0
/// controls are escaped by JSON already) are written as `\uXXXX` escapes too, which are still
/// JSON (`Diagnostic.displayable`).
enum InlineJSON {
    static func text(_ value: JSON) -> String {
        Diagnostic.displayable(compact(value))
    }

    private static func compact(_ value: JSON) -> String {
        switch value {
        case .array(let items):
            "[" + items.map(compact).joined(separator: ", ") + "]"
        case .object(let members):
            "{" + members.map { JSON.string($0.key).compactText() + ": " + compact($0.value) }.joined(separator: ", ") + "}"
        default:
            value.compactText()
        }
    }
}
