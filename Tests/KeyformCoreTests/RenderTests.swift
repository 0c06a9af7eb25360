import KeyformCore
import Testing

@Suite struct RenderTests {
    typealias F = PlanFixtures

    func plan(_ name: String) throws -> Plan {
        try #require(try PlanScenario.all.first { $0.name == name }?.run().get())
    }

    @Test func colourOnlyWhenAsked() throws {
        let plan = try plan("create")
        let plain = TextPlanRenderer().render(plan)
        let coloured = TextPlanRenderer(color: true).render(plan)
        #expect(!plain.contains("\u{1B}"))
        #expect(coloured.contains("  \u{1B}[32m+\u{1B}[0m ccassets\n"))
        #expect(coloured.contains("\u{1B}[1mPlan: 3 to create, 0 to update, 0 to delete.\u{1B}[0m\n"))
        // Stripping the escapes gives the plain text back.
        var stripped = coloured
        for code in ["\u{1B}[0m", "\u{1B}[1m", "\u{1B}[32m", "\u{1B}[33m"] { stripped = stripped.split(separator: code, omittingEmptySubsequences: false).joined() }
        #expect(stripped == plain)
    }

    @Test func theClosingLineIsExact() throws {
        #expect(try plan("update").summary.sentence == "Plan: 0 to create, 1 to update, 0 to delete.")
        #expect(TextPlanRenderer().render(try plan("update")).hasSuffix("\n\nPlan: 0 to create, 1 to update, 0 to delete.\n"))
        #expect(TextPlanRenderer().render(try plan("no-changes")) == "No changes. The console matches the manifests.\n")
        #expect(TextPlanRenderer.noChanges == "No changes. The console matches the manifests.")
    }

    @Test func driftComesFirst() throws {
        let text = TextPlanRenderer().render(try plan("drift"))
        #expect(text.hasPrefix("Objects changed outside Keyform\n"))
        #expect(try #require(text.range(of: "Objects changed")).lowerBound < #require(text.range(of: "Keyform will perform")).lowerBound)
    }

    @Test func markdownSurvivesBackticksInNames() throws {
        var spec = F.ccAssets
        spec.description = "Uses ``` fences and `code`."
        spec.events = [.init(name: "odd`name", provider: "ccstorage", eventCodes: ["asset_created"], webhookUrl: "https://h.example.com")]
        let plan = try Planner.plan(desired: [spec], stored: [], allowDelete: false, header: F.header)
        let markdown = MarkdownPlanRenderer().render(plan)
        #expect(markdown.contains("- `+` ``ccassets.events[\"odd`name\"]`` (register)\n"))
        #expect(markdown.contains("<details><summary>Plan details</summary>\n\n````text\n"))
        #expect(markdown.hasSuffix("````\n\n</details>\n"))
    }

    /// GitHub refuses a comment over 65,536 characters; the Markdown of 1000 new integrations
    /// is some 500 kB. It is cut at lines, under the limit, and says how much it shows.
    @Test func markdownTooLongForACommentIsCutAndSaysSo() throws {
        let specs = (0..<1000).map { i in
            IntegrationSpec(
                name: "batchjob\(i)", title: "Batch Job \(i)", description: "Nightly batch job number \(i).", type: .serviceAccount,
                services: ["UserMgmtSDK"])
        }
        let plan = try Planner.plan(desired: specs, stored: [], allowDelete: false, header: F.header)
        let whole = MarkdownPlanRenderer(maxBytes: nil).render(plan)
        #expect(whole.utf8.count > 400_000)
        let markdown = MarkdownPlanRenderer().render(plan)
        #expect(markdown.utf8.count <= MarkdownPlanRenderer.commentLimit)
        #expect(markdown.hasPrefix("""
            ## Keyform plan

            **Plan: 1000 to create, 0 to update, 0 to delete.**

            > **Note:** this plan is too long for one comment: it lists 849 of 2000 changed addresses and the first 894 of \
            12003 lines of its details. `keyform show PLANFILE` (or the plan job's log) has the whole plan.

            | Action | Count |
            | --- | ---: |
            | create | 1000 |
            | subscribe | 1000 |

            **Changed addresses**

            - `+` `batchjob0` (create)

            """))
        #expect(markdown.contains("- `+` `batchjob480` (create)\n- … and 1151 more\n\n<details><summary>Plan details</summary>\n\n```text\n"))
        #expect(markdown.hasSuffix("      type:        \"serviceAccount\"\n… 11109 more lines\n```\n\n</details>\n"))
        // The lines shown are the whole plan's first ones.
        let details = try #require(markdown.range(of: "```text\n")).upperBound
        let shown = try #require(markdown[details...].range(of: "… 11109 more lines")).lowerBound
        #expect(TextPlanRenderer().render(plan).hasPrefix(markdown[details..<shown]))
    }

    @Test func markdownWithoutChangesSaysSo() throws {
        #expect(MarkdownPlanRenderer().render(try plan("no-changes"))
            == "## Keyform plan\n\n**No changes.** The console matches the manifests.\n")
    }

    @Test func jsonIsThePlanFile() throws {
        let plan = try plan("drift")
        #expect(JSONPlanRenderer().render(plan) == PlanFile.encode(plan))
    }

    /// A description holding an escape sequence, a bell and a right-to-left override: the text
    /// and Markdown plans show all three as JSON escapes, so a manifest cannot colour or
    /// reorder the plan a reviewer reads.
    @Test func valuesCannotActOnTheTerminalOrReorderTheLine() throws {
        var spec = F.ccAssets
        spec.description = "Esc \u{1B}[31m red \u{202E} x \u{7} bell"
        let plan = try Planner.plan(desired: [spec], stored: [], allowDelete: false, header: F.header)
        for rendered in [TextPlanRenderer().render(plan), MarkdownPlanRenderer().render(plan)] {
            #expect(rendered.contains(#""Esc \u001b[31m red \u202e x \u0007 bell""#))
            #expect(!rendered.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{202E}" || $0 == "\u{7}" })
        }
    }
}
