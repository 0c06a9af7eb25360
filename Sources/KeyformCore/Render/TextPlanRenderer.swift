import KeyformJSON

/// Renders a plan for a terminal, the way Terraform does: drift first ("Objects changed
/// outside Keyform"), then one block per change with a `+ ~ - ± →` symbol and its attribute
/// lines, then the closing line.
///
/// Example (no colour):
///
///     Keyform will perform these actions (+ create):
///
///       # stocksearchweb will be created (new in the manifests)
///       + stocksearchweb
///           name:        "stocksearchweb"
///           ...
///
///     Plan: 1 to create, 0 to update, 0 to delete.
public struct TextPlanRenderer: Sendable {
    /// Whether to use ANSI colours (only when asked: the CLI decides from the terminal and
    /// `--no-color`/`NO_COLOR`).
    public var color: Bool

    public init(color: Bool = false) {
        self.color = color
    }

    /// The closing line when there is nothing to do.
    public static let noChanges = "No changes. The console matches the manifests."

    /// The plan as text, ending with a newline.
    public func render(_ plan: Plan) -> String {
        var out = ""
        if !plan.drift.isEmpty {
            out += renderDrift(plan.drift)
            out += "\n"
        }
        let blocks = PlanBlock.blocks(of: plan)
        if blocks.isEmpty {
            out += style(Self.noChanges, .bold) + "\n"
            return out
        }
        let used = PlanBlock.Symbol.allCases.filter { symbol in blocks.contains { $0.symbol == symbol } }
        let legend = used.map { "\(style($0.rawValue, $0.color)) \($0.meaning)" }.joined(separator: ", ")
        out += "Keyform will perform these actions (\(legend)):\n"
        for block in blocks {
            out += "\n"
            out += "  " + style("# \(Diagnostic.displayable(block.sentence))", .bold) + "\n"
            out += "  \(style(block.symbol.rawValue, block.symbol.color)) \(Diagnostic.displayable(block.address))\n"
            out += attributeLines(block.lines)
        }
        out += "\n" + style(plan.summary.sentence, .bold) + "\n"
        return out
    }

    /// The drift section alone ("Objects changed outside Keyform").
    func renderDrift(_ drift: [Drift]) -> String {
        var out = style("Objects changed outside Keyform", .bold) + "\n\n"
        out += "Keyform found these changes in the console since the last apply:\n\n"
        for entry in drift {
            let symbol = PlanBlock.symbol(for: entry.kind)
            out += "  \(style(symbol, entry.kind.color)) \(Diagnostic.displayable(entry.address)): \(Diagnostic.displayable(entry.message))\n"
            if entry.kind == .changed {
                out += attributeLines(PlanBlock.lines(before: entry.before, after: entry.after, unknown: []))
            }
        }
        out += "\nThe plan below is made against the console as it is now.\n"
        return out
    }

    private func attributeLines(_ lines: [PlanBlock.Line]) -> String {
        let width = lines.map { $0.key.count }.max() ?? 0
        var out = ""
        for line in lines {
            let padding = String(repeating: " ", count: width - line.key.count)
            out += "      \(line.key):\(padding) \(Diagnostic.displayable(line.text))\n"
        }
        return out
    }

    enum Style: String {
        case bold = "1"
        case red = "31"
        case green = "32"
        case yellow = "33"
        case magenta = "35"
        case cyan = "36"
    }

    private func style(_ text: String, _ style: Style) -> String {
        color ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }
}

extension PlanBlock.Symbol {
    var color: TextPlanRenderer.Style {
        switch self {
        case .create: .green
        case .update: .yellow
        case .delete: .red
        case .replace: .magenta
        case .rename: .cyan
        }
    }
}

extension Drift.Kind {
    var color: TextPlanRenderer.Style {
        switch self {
        case .changed: .yellow
        case .added: .green
        case .deleted: .red
        case .unmanaged: .cyan
        }
    }
}
