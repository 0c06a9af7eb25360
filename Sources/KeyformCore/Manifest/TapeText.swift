import KeyformJSON

/// A manifest's tape with its `${env:…}` substitutions: values as the rules read them, by
/// tape index (-1 standing for an absent member), without making strings.
struct TapeText {
    let view: JSONTapeView
    let replacements: JSONStringReplacements

    /// The kind of the value at `index`; nil for -1.
    @inline(__always)
    func kind(_ index: Int) -> JSONKind? { index >= 0 ? view.kind(index) : nil }

    /// Whether `index` is a string read as written (no escapes, no substitution) and ASCII:
    /// then its bytes in the input are its value, and comparing them is comparing `String`s.
    func isPlainASCII(_ index: Int) -> Bool {
        index >= 0 && view.isPlainString(index) && (replacements.isEmpty || replacements.replacement(tapeIndex: index) == nil)
            && ByteScan.isASCII(view.rawString(index))
    }

    /// Calls `body` with the UTF-8 of the string at `index` after substitution.
    @inline(__always)
    func withText<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if !replacements.isEmpty, var text = replacements.replacement(tapeIndex: index) { return text.withUTF8(body) }
        if view.isPlainString(index) { return body(view.rawString(index)) }
        return view.stringBytes(index).withUnsafeBufferPointer(body)
    }

    /// The string at `index` after substitution.
    func string(_ index: Int) -> String {
        if !replacements.isEmpty, let text = replacements.replacement(tapeIndex: index) { return text }
        return view.string(index)
    }

    /// The credential type the string at `index` names.
    func credentialType(_ index: Int) -> CredentialType? {
        let byBytes: CredentialType?? = withText(index) { utf8 in
            guard ByteScan.isASCII(utf8) else { return .none }  // `String` equality decides
            if Self.equals(utf8, "apiKey") { return .some(.apiKey) }
            if Self.equals(utf8, "oauth") { return .some(.oauth) }
            if Self.equals(utf8, "serviceAccount") { return .some(.serviceAccount) }
            return .some(nil)
        }
        if let byBytes { return byBytes }
        return CredentialType(rawValue: string(index))
    }

    private static func equals(_ utf8: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        literal.withUTF8Buffer { expected in
            expected.count == utf8.count && (0..<utf8.count).allSatisfy { utf8[$0] == expected[$0] }
        }
    }

    /// Calls `body` with each string element of the array at `array` (nothing if it is not one).
    func forEachString(in array: Int, _ body: (Int) -> Void) {
        guard kind(array) == .array else { return }
        let end = view.end(of: array)
        var k = array + 1
        while k < end {
            if view.kind(k) == .string { body(k) }
            k = view.next(after: k)
        }
    }

    /// The number of elements of the array at `array` (0 if it is not one).
    func elementCount(_ array: Int) -> Int {
        guard kind(array) == .array else { return 0 }
        var count = 0
        var k = array + 1
        while k < view.end(of: array) {
            count += 1
            k = view.next(after: k)
        }
        return count
    }

    /// Whether the array at `array` (if it is one) has at most `limit` items and its strings
    /// are all plain ASCII.
    func allPlainASCII(_ array: Int, limit: Int) -> Bool {
        guard kind(array) == .array else { return true }
        let end = view.end(of: array)
        var count = 0
        var k = array + 1
        while k < end {
            count += 1
            if count > limit || (view.kind(k) == .string && !isPlainASCII(k)) { return false }
            k = view.next(after: k)
        }
        return true
    }

    /// Whether the string at `index` repeats a string element before it in the array `array`
    /// (both plain: compared as bytes).
    func repeatsEarlier(_ index: Int, in array: Int) -> Bool {
        let bytes = view.rawString(index)
        var k = array + 1
        while k < index {
            if view.kind(k) == .string, view.string(k, equals: bytes) { return true }
            k = view.next(after: k)
        }
        return false
    }

    /// The members of the event registration at `object`, when it decodes as one (an object
    /// with a string `name`).
    func eventMembers(_ object: Int) -> IntegrationScanner.EventMembers? {
        guard view.kind(object) == .object else { return nil }
        var members = IntegrationScanner.EventMembers()
        let end = view.end(of: object)
        var k = object + 1
        while k < end {
            let value = k + 1
            switch IntegrationScanner.eventKeys.position(ofKey: k, in: view) {
            case 0: if members.name < 0 { members.name = value }
            case 1: if members.provider < 0 { members.provider = value }
            case 2: if members.webhookUrl < 0 { members.webhookUrl = value }
            case 3: if members.eventCodes < 0 { members.eventCodes = value }
            default: break
            }
            k = view.next(after: value)
        }
        return kind(members.name) == .string ? members : nil
    }

    /// Calls `body` with each event registration of the array at `events`, in order: its
    /// position among the registrations, its object and its members.
    func forEachEvent(in events: Int, _ body: (Int, Int, IntegrationScanner.EventMembers) -> Void) {
        guard kind(events) == .array else { return }
        let end = view.end(of: events)
        var position = 0
        var k = events + 1
        while k < end {
            if let members = eventMembers(k) {
                body(position, k, members)
                position += 1
            }
            k = view.next(after: k)
        }
    }

    /// The number of event registrations in the array at `events`.
    func eventCount(_ events: Int) -> Int {
        var count = 0
        forEachEvent(in: events) { _, _, _ in count += 1 }
        return count
    }

    /// The object of registration `position` in the array at `events`.
    func event(at position: Int, in events: Int) -> Int? {
        var found: Int?
        forEachEvent(in: events) { index, object, _ in
            if index == position { found = object }
        }
        return found
    }
}

