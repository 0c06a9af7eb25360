import KeyformJSON

/// Renders a plan for a pull-request comment: a heading with the closing line, a note when
/// the console drifted, a summary table (action, count), the changed addresses, and the text
/// plan (without colour) in a collapsible `<details>` block.
///
/// A comment has a size limit (GitHub refuses one over 65,536 characters, and a plan of a
/// few thousand integrations is megabytes), so past `maxBytes` the list of addresses and the
/// details are cut at a line, with a note that says how much is shown; the heading, the
/// closing line and the table are always whole.
public struct MarkdownPlanRenderer: Sendable {
    /// The comment's heading (`## Keyform plan`).
    public var title: String
    /// The most UTF-8 bytes the Markdown may take (never fewer than the characters GitHub
    /// counts), or `nil` for no limit.
    public var maxBytes: Int?

    /// The default `maxBytes`: under GitHub's 65,536 characters, with room for a CI job's own
    /// lines around the plan.
    public static let commentLimit = 60_000

    public init(title: String = "Keyform plan", maxBytes: Int? = MarkdownPlanRenderer.commentLimit) {
        self.title = title
        self.maxBytes = maxBytes
    }

    /// The plan as Markdown, ending with a newline.
    public func render(_ plan: Plan) -> String {
        let blocks = PlanBlock.blocks(of: plan)
        var head = "## \(title)\n\n"
        if blocks.isEmpty {
            head += "**No changes.** The console matches the manifests.\n"
        } else {
            head += "**\(plan.summary.sentence)**\n"
        }
        var rest = ""
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
            rest += "\n> **Note:** " + facts.joined(separator: "; ") + ". "
            rest += "The plan is made against the console as it is now; see \"Objects changed outside Keyform\" in the details.\n"
        }
        if !blocks.isEmpty {
            rest += "\n| Action | Count |\n| --- | ---: |\n"
            for (kind, count) in plan.summary.actionCounts where kind != .noOp && count > 0 {
                rest += "| \(kind.rawValue) | \(count) |\n"
            }
        }
        let addresses = blocks.map { block in
            "- \(Self.code(block.symbol.rawValue)) \(Self.code(Diagnostic.displayable(block.address))) (\(block.kindDescription))\n"
        }
        let text = !blocks.isEmpty || !plan.drift.isEmpty ? TextPlanRenderer(color: false).render(plan) : ""
        // Parts larger than the limit need not be joined (a plan of megabytes) to know it.
        let partsBytes = head.utf8.count + rest.utf8.count + addresses.reduce(0) { $0 + $1.utf8.count } + text.utf8.count
        if let maxBytes, partsBytes > maxBytes {
            return Self.cut(head: head, rest: rest, addresses: addresses, text: text, maxBytes: maxBytes)
        }
        let whole = head + rest + Self.addressList(addresses[...], more: 0) + Self.details(text[...], more: 0)
        guard let maxBytes, whole.utf8.count > maxBytes else { return whole }
        return Self.cut(head: head, rest: rest, addresses: addresses, text: text, maxBytes: maxBytes)
    }

    /// The Markdown of a plan too long for one comment: `head` and `rest` whole, at most half
    /// of what is left for the addresses, the rest for the first lines of the details, and a
    /// note that says how much is shown.
    private static func cut(head: String, rest: String, addresses: [String], text: String, maxBytes: Int) -> String {
        let reserve = 600  // the note and the "more" lines
        var budget = max(0, maxBytes - head.utf8.count - rest.utf8.count - reserve)
        var listed = 0, listBytes = 0
        while listed < addresses.count, listBytes + addresses[listed].utf8.count <= budget / 2 {
            listBytes += addresses[listed].utf8.count
            listed += 1
        }
        budget -= listBytes
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        var shownLines = 0, textBytes = 0
        while shownLines < lines.count, textBytes + lines[lines.startIndex + shownLines].utf8.count + 1 <= budget {
            textBytes += lines[lines.startIndex + shownLines].utf8.count + 1
            shownLines += 1
        }
        var note = "\n> **Note:** this plan is too long for one comment: it lists \(listed) of \(addresses.count) changed "
        note += "addresses and the first \(shownLines) of \(lines.count) lines of its details. "
        note += "`keyform show PLANFILE` (or the plan job's log) has the whole plan.\n"
        return head + note + rest + addressList(addresses.prefix(listed), more: addresses.count - listed)
            + details(Substring(text.utf8.prefix(textBytes)), more: lines.count - shownLines)
    }

    /// The "Changed addresses" section, with a last item for those left out.
    private static func addressList(_ items: ArraySlice<String>, more: Int) -> String {
        guard !items.isEmpty || more > 0 else { return "" }
        var out = "\n**Changed addresses**\n\n" + items.joined()
        if more > 0 { out += "- … and \(more) more\n" }
        return out
    }

    /// The text plan in a collapsible block, with a last line for the lines left out.
    private static func details(_ text: Substring, more: Int) -> String {
        guard !text.isEmpty || more > 0 else { return "" }
        var shown = String(text)
        if more > 0 { shown += "… \(more) more lines\n" }
        let fence = fence(for: shown)
        return "\n<details><summary>Plan details</summary>\n\n\(fence)text\n\(shown)\(fence)\n\n</details>\n"
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
