import KeyformJSON

/// Renders a plan for a pull-request comment: a heading with the closing line, a note when
/// the console drifted, a summary table (action, count), the changed addresses, and the text
/// plan (without colour) in a collapsible `<details>` block.
public struct MarkdownPlanRenderer: Sendable {
    /// The comment's heading (`## Keyform plan`).
    public var title: String

    public init(title: String = "Keyform plan") {
        self.title = title
    }

    /// The plan as Markdown, ending with a newline.
    public func render(_ plan: Plan) -> String {
        let blocks = PlanBlock.blocks(of: plan)
        var out = "## \(title)\n\n"
        if blocks.isEmpty {
            out += "**No changes.** The console matches the manifests.\n"
        } else {
            out += "**\(plan.summary.sentence)**\n"
        }
        if !plan.drift.isEmpty {
            let unmanaged = plan.drift.filter { $0.kind == .unmanaged }.count
            let changed = plan.drift.count - unmanaged
            var facts: [String] = []
            if changed > 0 {
                facts.append("\(changed) \(changed == 1 ? "object" : "objects") changed outside Keyform (drift)")
            }
            if unmanaged > 0 {
                facts.append("\(unmanaged) \(unmanaged == 1 ? "integration" : "integrations") in the console not managed by Keyform")
            }
            out += "\n> **Note:** " + facts.joined(separator: "; ") + ". "
            out += "The plan is made against the console as it is now; see \"Objects changed outside Keyform\" in the details.\n"
        }
        if !blocks.isEmpty {
            out += "\n| Action | Count |\n| --- | ---: |\n"
            for (kind, count) in plan.summary.actionCounts where kind != .noOp && count > 0 {
                out += "| \(kind.rawValue) | \(count) |\n"
            }
            out += "\n**Changed addresses**\n\n"
            for block in blocks {
                out += "- \(Self.code(block.symbol.rawValue)) \(Self.code(Diagnostic.displayable(block.address))) (\(block.kindDescription))\n"
            }
        }
        if !blocks.isEmpty || !plan.drift.isEmpty {
            let text = TextPlanRenderer(color: false).render(plan)
            let fence = Self.fence(for: text)
            out += "\n<details><summary>Plan details</summary>\n\n"
            out += "\(fence)text\n\(text)\(fence)\n\n</details>\n"
        }
        return out
    }

    /// An inline code span that survives backticks in `text`.
    static func code(_ text: String) -> String {
        let ticks = String(repeating: "`", count: longestBacktickRun(in: text) + 1)
        let pad = text.hasPrefix("`") || text.hasSuffix("`") ? " " : ""
        return ticks + pad + text + pad + ticks
    }

    /// A code fence longer than any run of backticks in `text` (at least three).
    static func fence(for text: String) -> String {
        String(repeating: "`", count: max(3, longestBacktickRun(in: text) + 1))
    }

    private static func longestBacktickRun(in text: String) -> Int {
        var longest = 0, run = 0
        for byte in text.utf8 {
            run = byte == UInt8(ascii: "`") ? run + 1 : 0
            longest = max(longest, run)
        }
        return longest
    }
}
