import KeyformJSON

/// One pass over every string value of a manifest file: `${env:NAME}` substitution, then the
/// secret check on the value that results (a secret may arrive through a variable too).
///
/// Member keys are not values: they get the secret check alone (a secret pasted as a key
/// would be quoted by the unknown-property finding). Most strings need neither: the offsets of
/// every `$` in the file are found first, 8 bytes at a time, so a string holding none (and
/// no escape that could decode to one) is never searched again; a string without escapes is
/// substituted on its bytes in place; and `SecretDetector.mayHoldSecret` rules out most
/// values without a full inspection.
struct StringScan {
    let environment: [String: String]
    var diagnostics: [Diagnostic] = []
    /// Byte ranges of values that look like secrets: masked when the source line is shown.
    var redactions: [Range<Int>] = []

    init(environment: [String: String]) {
        self.environment = environment
    }

    mutating func scan(_ source: SourceFile) {
        let dollars = source.document.bytes.withUnsafeBufferPointer { ByteScan.offsets(of: UInt8(ascii: "$"), in: $0) }
        source.document.withTapeView { view in
            var walk = Walk(view: view, dollars: dollars)
            walk.visit(0, field: -1, into: &self, source)
        }
    }

    /// The same findings as `scan`, decoding every string value (what tests compare `scan` with).
    mutating func scanEveryString(_ source: SourceFile) {
        func visit(_ value: JSONValueRef, field: String?) {
            switch value.kind {
            case .string: visitString(value, field: field, in: source)
            case .array: for element in value.elements { visit(element, field: field) }
            case .object:
                for member in value.members {
                    let secretKey = visitKey(member, in: source)
                    visit(member.value, field: secretKey ? nil : member.key)
                }
            default: break
            }
        }
        visit(source.document.root, field: nil)
    }

    /// The tape walk, with its position in the list of `$` offsets (strings come in document order).
    private struct Walk {
        let view: JSONTapeView
        let dollars: [Int]
        var cursor = 0

        init(view: JSONTapeView, dollars: [Int]) {
            self.view = view
            self.dollars = dollars
        }

        /// `field` is the tape index of the key of the member the value belongs to (for array
        /// items, the array's), or -1; the key is decoded only when a finding needs it.
        mutating func visit(_ index: Int, field: Int, into scan: inout StringScan, _ source: SourceFile) {
            switch view.kind(index) {
            case .string:
                visitString(index, field: field, into: &scan, source)
            case .array:
                let end = view.end(of: index)
                var k = index + 1
                while k < end {
                    visit(k, field: field, into: &scan, source)
                    k = view.next(after: k)
                }
            case .object:
                let end = view.end(of: index)
                var k = index + 1
                while k < end {
                    // A key that is a secret is not quoted as the field of its value's finding.
                    let secretKey = inspectKey(k, into: &scan, source)
                    visit(k + 1, field: secretKey ? -1 : k, into: &scan, source)
                    k = view.next(after: k + 1)
                }
            default:
                break
            }
        }

        private mutating func visitString(_ index: Int, field: Int, into scan: inout StringScan, _ source: SourceFile) {
            let raw = view.rawString(index)
            let start = view.offset(index) + 1
            while cursor < dollars.count, dollars[cursor] < start { cursor += 1 }
            let hasDollar = cursor < dollars.count && dollars[cursor] < start + raw.count
            guard view.isPlainString(index) else {
                scan.visitString(source.value(at: index), field: field >= 0 ? view.string(field) : nil, in: source)
                return
            }
            guard hasDollar else {
                inspect(raw, at: index, field: field, into: &scan, source)
                return
            }
            // The literal's bytes are the string's: substitute them in place.
            let (substituted, problems) = EnvironmentSubstitution.substitute(utf8: raw, environment: scan.environment)
            if !problems.isEmpty { source.failedSubstitutions.insert(start - 1) }
            for problem in problems {
                let location = source.lines.location(offset: start + problem.range.lowerBound, length: problem.range.count)
                scan.diagnostics.append(.environmentProblem(problem.kind, at: location))
            }
            guard let substituted else {
                inspect(raw, at: index, field: field, into: &scan, source)
                return
            }
            source.replacements.replace(tapeIndex: index, with: String(decoding: substituted, as: UTF8.self))
            _ = substituted.withUnsafeBufferPointer { inspect($0, at: index, field: field, into: &scan, source) }
        }

        /// The secret check of the key at `index`; whether it looks like one.
        private func inspectKey(_ index: Int, into scan: inout StringScan, _ source: SourceFile) -> Bool {
            if view.isPlainString(index) {
                return inspect(view.rawString(index), at: index, field: -1, isKey: true, into: &scan, source)
            }
            return view.stringBytes(index).withUnsafeBufferPointer { inspect($0, at: index, field: -1, isKey: true, into: &scan, source) }
        }

        /// The secret check of the string at `index`, whose value is `text`; whether it looks
        /// like one.
        @discardableResult
        private func inspect(
            _ text: UnsafeBufferPointer<UInt8>, at index: Int, field: Int, isKey: Bool = false, into scan: inout StringScan,
            _ source: SourceFile
        ) -> Bool {
            guard SecretDetector.mayHoldSecret(text) else { return false }
            let name = field >= 0 ? view.string(field) : nil
            guard let kind = SecretDetector.inspect(bytes: text, field: name) else { return false }
            scan.diagnostics.append(.secret(kind, field: name, at: source.location(at: index), isKey: isKey))
            scan.redactions.append(view.byteRange(index))
            return true
        }
    }

    /// The secret check of a member's key (what `scan` does with keys); whether it looks like one.
    mutating func visitKey(_ member: JSONMemberRef, in source: SourceFile) -> Bool {
        let key = member.key
        guard key.utf8.count >= SecretDetector.shortestSecret, let kind = SecretDetector.inspect(key, field: nil) else { return false }
        diagnostics.append(.secret(kind, field: nil, at: source.location(ofKey: member), isKey: true))
        redactions.append(member.keyRange)
        return true
    }

    /// A string that may hold `$` (or escapes): decoded, substituted, then inspected.
    mutating func visitString(_ value: JSONValueRef, field: String?, in source: SourceFile) {
        guard let raw = value.stringValue else { return }
        var text = raw
        let range = value.byteRange
        if raw.utf8.contains(UInt8(ascii: "$")) {
            let result = EnvironmentSubstitution.substitute(raw, environment: environment)
            if let substituted = result.substituted {
                source.replacements.replace(value, with: substituted)
                text = substituted
            }
            if !result.problems.isEmpty { source.failedSubstitutions.insert(range.lowerBound) }
            // Without escapes the literal's bytes are the string's bytes, one quote later.
            let exact = range.count - 2 == raw.utf8.count
            for problem in result.problems {
                let location = exact
                    ? source.lines.location(offset: range.lowerBound + 1 + problem.range.lowerBound, length: problem.range.count)
                    : source.location(of: value)
                diagnostics.append(.environmentProblem(problem.kind, at: location))
            }
        }
        guard text.utf8.count >= SecretDetector.shortestSecret else { return }
        if let kind = SecretDetector.inspect(text, field: field) {
            diagnostics.append(.secret(kind, field: field, at: source.location(of: value)))
            redactions.append(range)
        }
    }

    /// The secrets in a file that does not parse: every string literal of the text (read
    /// loosely, to its closing quote or the end of its line) that is a value, not a key, is
    /// inspected as written. Findings and redactions as `scan` makes them.
    static func secretsInUnparsedText(_ bytes: [UInt8], file: String) -> (diagnostics: [Diagnostic], redactions: [Range<Int>]) {
        var diagnostics: [Diagnostic] = []
        var redactions: [Range<Int>] = []
        var lines: LineIndex?
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), newline = UInt8(ascii: "\n")
        var lastKey: String?
        bytes.withUnsafeBufferPointer { text in
            var i = 0
            while i < text.count {
                guard text[i] == quote else { i += 1; continue }
                var end = i + 1
                while end < text.count, text[end] != quote, text[end] != newline {
                    end += text[end] == backslash ? 2 : 1
                }
                end = min(end, text.count)
                let content = UnsafeBufferPointer(rebasing: text[(i + 1)..<end])
                var next = min(end + 1, text.count)
                while next < text.count, text[next] == 0x20 || text[next] == 0x09 || text[next] == 0x0D || text[next] == newline { next += 1 }
                let isKey = next < text.count && text[next] == UInt8(ascii: ":")
                let field = isKey ? nil : lastKey
                if SecretDetector.mayHoldSecret(content), let kind = SecretDetector.inspect(bytes: content, field: field) {
                    let range = i..<min(end + 1, text.count)
                    if lines == nil { lines = LineIndex(file: file, bytes: bytes) }
                    diagnostics.append(.secret(kind, field: field, at: lines!.location(of: range), isKey: isKey))
                    redactions.append(range)
                    if isKey { lastKey = nil }  // never quoted as the field of what follows
                } else if isKey {
                    lastKey = String(decoding: content, as: UTF8.self)
                }
                i = end + 1
            }
        }
        return (diagnostics, redactions)
    }
}
