import KeyformJSON

/// The rules that need every file: unique names, former names that collide, the
/// organization's registration quota. The same findings, in the same order, as
/// `ManifestRules.check` on the drafts of every file, then each integration's own findings
/// (from `IntegrationScanner`) in reading order.
///
/// Names are interned first: each distinct name and former name gets a number, so the rules
/// compare integers. With only plain ASCII names (the usual case) a `ByteStringTable` does it
/// on the bytes; otherwise a dictionary of `String`s, whose equality (canonical equivalence)
/// is the one the rules are defined with.
struct CrossFileRules {
    /// One checked file: its source and what `IntegrationScanner` found.
    struct File {
        var source: SourceFile
        var scanned: ScannedIntegrations
    }

    let files: [File]
    var diagnostics: [Diagnostic] = []

    /// The interned number of each integration's name, in reading order.
    private var nameIDs: [Int] = []
    /// The interned number of each former name, by file, parallel to `formerNames`.
    private var formerIDs: [[Int]] = []
    private var distinctNames = 0

    init(files: [File]) {
        self.files = files
    }

    mutating func check(offline: Bool) {
        intern()
        // Where each name is first declared: (file, entry).
        var firstDeclared = [(file: Int, entry: Int)?](repeating: nil, count: distinctNames)
        var position = 0
        for (f, file) in files.enumerated() {
            for (e, entry) in file.scanned.entries.enumerated() {
                let id = nameIDs[position]
                position += 1
                if let (firstFile, firstEntry) = firstDeclared[id] {
                    diagnostics.append(.duplicateName(
                        file.source.string(file.source.value(at: entry.name)) ?? "", at: file.source.location(at: entry.name),
                        first: files[firstFile].source.location(at: files[firstFile].scanned.entries[firstEntry].name)))
                } else {
                    firstDeclared[id] = (f, e)
                }
            }
        }
        checkFormerNames(firstDeclared)
        appendEachIntegration()
        if offline { diagnostics.append(.catalogRulesSkipped()) }
    }

    private mutating func checkFormerNames(_ firstDeclared: [(file: Int, entry: Int)?]) {
        // The first integration to list each former name: its name's id, its file, the tape
        // index of its name, and the position of the former name in that file's list.
        var claimed = [(owner: Int, file: Int, ownerName: Int, former: Int)?](repeating: nil, count: distinctNames)
        var position = 0
        for (f, file) in files.enumerated() {
            let ids = formerIDs[f]
            for entry in file.scanned.entries {
                let own = nameIDs[position]
                position += 1
                for p in entry.formerNames where !ids[entry.formerNames.lowerBound..<p].contains(ids[p]) {
                    let id = ids[p]
                    let former = file.scanned.formerNames[p]
                    if id == own {
                        diagnostics.append(.formerNameIsOwnName(text(f, former), at: file.source.location(at: former)))
                    } else if let (otherFile, otherEntry) = firstDeclared[id] {
                        diagnostics.append(.formerNameInUse(
                            text(f, former), at: file.source.location(at: former),
                            nameAt: files[otherFile].source.location(at: files[otherFile].scanned.entries[otherEntry].name)))
                    } else if let earlier = claimed[id] {
                        guard earlier.owner != own else { continue }
                        let first = files[earlier.file]
                        diagnostics.append(.formerNameClaimedTwice(
                            text(f, former), by: text(earlier.file, earlier.ownerName), at: file.source.location(at: former),
                            first: first.source.location(at: first.scanned.formerNames[earlier.former])))
                    } else {
                        claimed[id] = (own, f, entry.name, p)
                    }
                }
            }
        }
    }

    /// Each integration's own findings, with the organization quota where it is exceeded.
    private mutating func appendEachIntegration() {
        let total = files.reduce(0) { sum, file in file.scanned.entries.reduce(sum) { $0 + $1.eventCount } }
        var registrations = 0
        for file in files {
            let found = file.scanned.diagnostics
            for entry in file.scanned.entries {
                if entry.lintStart > entry.diagnostics.lowerBound {
                    diagnostics += found[entry.diagnostics.lowerBound..<entry.lintStart]
                }
                let limit = Catalog.registrationsPerOrganization
                if registrations <= limit, registrations + entry.eventCount > limit {
                    let object = file.source.document.withTapeView { view in
                        TapeText(view: view, replacements: file.source.replacements).event(at: limit - registrations, in: entry.events)
                    }
                    if let object {
                        diagnostics.append(.tooManyRegistrationsInOrganization(count: total, at: file.source.start(at: object)))
                    }
                }
                registrations += entry.eventCount
                if entry.diagnostics.upperBound > entry.lintStart {
                    diagnostics += found[entry.lintStart..<entry.diagnostics.upperBound]
                }
            }
        }
    }

    private func text(_ file: Int, _ index: Int) -> String {
        files[file].source.string(files[file].source.value(at: index)) ?? ""
    }

    // MARK: - Interning

    private mutating func intern() {
        let entries = files.reduce(0) { $0 + $1.scanned.entries.count }
        let formers = files.reduce(0) { $0 + $1.scanned.formerNames.count }
        nameIDs.reserveCapacity(entries)
        if files.allSatisfy(\.scanned.namesAreASCII) {
            // Hashes were taken by the scanner; bytes are compared only when two are equal.
            var interner = NameInterner(capacity: entries + formers)
            for (f, file) in files.enumerated() {
                for entry in file.scanned.entries {
                    nameIDs.append(interner.intern(hash: entry.nameHash, file: f, index: entry.name, in: files))
                }
                formerIDs.append(file.scanned.formerNames.indices.map { p in
                    interner.intern(hash: file.scanned.formerHashes[p], file: f, index: file.scanned.formerNames[p], in: files)
                })
            }
            distinctNames = interner.count
        } else {
            var table: [String: Int] = [:]
            func id(_ name: String) -> Int {
                if let known = table[name] { return known }
                table[name] = table.count
                return table.count - 1
            }
            for (f, file) in files.enumerated() {
                for entry in file.scanned.entries { nameIDs.append(id(text(f, entry.name))) }
                formerIDs.append(file.scanned.formerNames.map { id(text(f, $0)) })
            }
            distinctNames = table.count
        }
    }
}

/// Numbers distinct plain ASCII names by their hash, comparing the bytes of two names only
/// when their hashes are equal (a repeated name, or a collision).
///
/// Each slot holds the high 32 bits of a name's hash beside its number, so a probe reads one
/// table: 13,000 names make a table larger than the first-level cache, and a second lookup
/// per probe was most of the time interning took.
private struct NameInterner {
    /// Per slot: the hash's high 32 bits, then name number + 1 (0: empty). The count is a power of two.
    private var slots: [UInt64]
    private var hashes: [UInt64] = []
    /// Where each numbered name is: (file, tape index).
    private var places: [(file: Int, index: Int)] = []

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        hashes.reserveCapacity(capacity)
        places.reserveCapacity(capacity)
    }

    var count: Int { hashes.count }

    mutating func intern(hash: UInt64, file: Int, index: Int, in files: [CrossFileRules.File]) -> Int {
        let mask = slots.count - 1
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            let entry = slots[slot]
            if entry & 0xFFFF_FFFF_0000_0000 == tag {
                let number = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                if hashes[number] == hash, Self.sameName(places[number], (file, index), in: files) { return number }
            }
            slot = (slot + 1) & mask
        }
        slots[slot] = tag | UInt64(hashes.count + 1)
        hashes.append(hash)
        places.append((file, index))
        if hashes.count * 2 > slots.count { grow() }
        return hashes.count - 1
    }

    private static func sameName(_ a: (file: Int, index: Int), _ b: (file: Int, index: Int), in files: [CrossFileRules.File]) -> Bool {
        files[a.file].source.document.withTapeView { first in
            files[b.file].source.document.withTapeView { second in
                first.rawString(a.index).elementsEqual(second.rawString(b.index))
            }
        }
    }

    private mutating func grow() {
        var larger = [UInt64](repeating: 0, count: slots.count * 2)
        let mask = larger.count - 1
        for number in hashes.indices {
            var slot = Int(truncatingIfNeeded: hashes[number]) & mask
            while larger[slot] != 0 { slot = (slot + 1) & mask }
            larger[slot] = (hashes[number] & 0xFFFF_FFFF_0000_0000) | UInt64(number + 1)
        }
        slots = larger
    }
}
