/// Objects: an object's keys are numbered once (as the program numbers property names), then
/// every node applied to it finds its properties by table lookups on those numbers.
extension SchemaTapeValidator {
    /// The entries of `memberNames`/`memberValues` for the object at `object`, numbered now
    /// unless it is open already, and the set of its keys' name numbers below 64 (bit `n` set:
    /// some key is name `n`), which settles most lookups of an absent property at once.
    /// Objects that do not contain it are closed first.
    private func members(of object: Int) -> (range: Range<Int>, names: UInt64) {
        while openCount > 0 {
            let top = openObjects[openCount - 1]
            if top.object == object { return (top.start..<(top.start + top.count), top.names) }
            if top.object < object, object < top.end { break }
            openCount -= 1
            memberCount = top.start
        }
        let end = view.end(of: object)
        let start = memberCount
        var names: UInt64 = 0
        var k = object + 1
        while k < end {
            let name = view.isPlainString(k)
                ? program.nameNumber(view.rawString(k))
                : view.stringBytes(k).withUnsafeBufferPointer(program.nameNumber)
            memberNames[memberCount] = name
            if name >= 0, name < 64 { names |= 1 << UInt64(name) }
            memberValues[memberCount] = k + 1
            memberCount += 1
            k = view.next(after: k + 1)
        }
        openObjects[openCount] = (object, end, start, memberCount - start, names)
        openCount += 1
        return (start..<memberCount, names)
    }

    /// Whether no key of the object is name number `name`, known from `names` when the number
    /// is below 64 (false otherwise: the members must be searched).
    @inline(__always)
    private static func isAbsent(_ name: Int, from names: UInt64) -> Bool {
        name >= 0 && name < 64 && names & (1 << UInt64(name)) == 0
    }

    func validObject(_ node: UnsafeMutablePointer<SchemaTapeProgram.Node>, _ value: Int) -> Bool {
        let (members, names) = members(of: value)
        if node.pointee.minProperties >= 0, members.count < node.pointee.minProperties { return false }
        if node.pointee.maxProperties >= 0, members.count > node.pointee.maxProperties { return false }
        // Declared properties seen, by position in `properties` (the first 64).
        var present: UInt64 = 0
        if node.pointee.visitsMembers {
            let properties = node.pointee.properties
            if node.pointee.onlyProperties, properties.count <= 4 {
                // Find each declared property among the members.
                for entry in properties {
                    let number = program.properties[entry].name
                    if Self.isAbsent(number, from: names) { continue }
                    let name = Int32(number)
                    for member in members where memberNames[member] == name {
                        let position = entry - properties.lowerBound
                        if position < 64 { present |= 1 << UInt64(position) }
                        if !validProperty(program.properties[entry].node, memberValues[member]) { return false }
                    }
                }
            } else {
                for member in members where !validMember(node, member, present: &present) { return false }
            }
        }
        for entry in node.pointee.required {
            let required = program.required[entry]
            if node.pointee.visitsMembers, required.property >= 0 {
                if present & (1 << UInt64(required.property)) == 0 { return false }
            } else if Self.isAbsent(required.name, from: names)
                || !members.contains(where: { memberNames[$0] == Int32(required.name) }) {
                return false
            }
        }
        return true
    }

    /// A node about one member only (see `SchemaTapeProgram.Node.memberTest`); a value that is
    /// not an object passes, as object keywords do not apply to it.
    func validMemberTest(_ node: UnsafeMutablePointer<SchemaTapeProgram.Node>, _ value: Int) -> Bool {
        guard view.kind(value) == .object else { return true }
        let (members, names) = members(of: value)
        let name = node.pointee.memberTest
        if Self.isAbsent(name, from: names) { return !node.pointee.memberTestRequired }
        var found = false
        for member in members where memberNames[member] == Int32(name) {
            found = true
            if node.pointee.memberTestNode >= 0, !validProperty(node.pointee.memberTestNode, memberValues[member]) { return false }
        }
        return found || !node.pointee.memberTestRequired
    }

    /// One member: its declared property, matching patterns, `additionalProperties` and
    /// `propertyNames`.
    private func validMember(_ node: UnsafeMutablePointer<SchemaTapeProgram.Node>, _ member: Int, present: inout UInt64) -> Bool {
        let value = memberValues[member]
        let key = value - 1
        var matched = false
        let name = Int(memberNames[member])
        if node.pointee.positions >= 0, name >= 0 {
            let position = Int(program.positions[node.pointee.positions + name])
            if position >= 0 {
                matched = true
                if position < 64 { present |= 1 << UInt64(position) }
                if !validProperty(program.properties[node.pointee.properties.lowerBound + position].node, value) { return false }
            }
        }
        for entry in node.pointee.patternProperties {
            let (pattern, child) = program.patternProperties[entry]
            if withKey(key, { program.matches(pattern, $0) }) {
                matched = true
                if !validProperty(child, value) { return false }
            }
        }
        if !matched, node.pointee.additionalProperties >= 0, !validProperty(node.pointee.additionalProperties, value) { return false }
        if node.pointee.propertyNames >= 0, !validChild(node.pointee.propertyNames, key) { return false }
        return true
    }

    /// Calls `body` with the UTF-8 of the key at `key` (keys are never replaced).
    @inline(__always)
    private func withKey<R>(_ key: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if view.isPlainString(key) { return body(view.rawString(key)) }
        return view.stringBytes(key).withUnsafeBufferPointer(body)
    }
}
