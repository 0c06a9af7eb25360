/// A hash set of byte strings that numbers its entries in insertion order, for the rules'
/// lookups of names and codes without making `String`s (integration names across 10,000
/// integrations, catalog codes).
///
/// Keys are compared byte for byte, which is `String` equality only for ASCII: callers keep
/// other keys out (and take the `String` path for them). Open addressing with linear
/// probing; the key bytes are copied, so a table outlives the buffers it was filled from.
///
///     var table = ByteStringTable()
///     table.insert("web")      // (entry: 0, inserted: true)
///     table.insert("web")      // (entry: 0, inserted: false)
///     table.find("api")        // nil
struct ByteStringTable {
    /// Entry number + 1 per slot; 0 is empty. The count is a power of two.
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var starts: [Int] = []
    private var storage: [UInt8] = []

    init(capacity: Int = 8) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        hashes.reserveCapacity(capacity)
        starts.reserveCapacity(capacity + 1)
        starts.append(0)
    }

    /// The number of entries.
    var count: Int { hashes.count }

    /// The entry equal to `key`, if any.
    func find(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let stored = Int(slots[slot])
            if stored == 0 { return nil }
            if hashes[stored - 1] == hash, equals(stored - 1, key) { return stored - 1 }
            slot = (slot + 1) & mask
        }
    }

    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? { find(key, hash: ByteScan.hash(key)) }

    /// Adds `key` unless it is there; either way, its entry number.
    @discardableResult
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> (entry: Int, inserted: Bool) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let stored = Int(slots[slot])
            if stored == 0 { break }
            if hashes[stored - 1] == hash, equals(stored - 1, key) { return (stored - 1, false) }
            slot = (slot + 1) & mask
        }
        let entry = hashes.count
        hashes.append(hash)
        storage.append(contentsOf: key)
        starts.append(storage.count)
        slots[slot] = Int32(truncatingIfNeeded: entry + 1)
        if hashes.count * 2 > slots.count { grow() }
        return (entry, true)
    }

    @discardableResult
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> (entry: Int, inserted: Bool) {
        insert(key, hash: ByteScan.hash(key))
    }

    @discardableResult
    mutating func insert(_ key: String) -> (entry: Int, inserted: Bool) {
        var key = key
        return key.withUTF8 { insert($0) }
    }

    func find(_ key: String) -> Int? {
        var key = key
        return key.withUTF8 { find($0) }
    }

    private func equals(_ entry: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[entry]
        guard starts[entry + 1] - start == key.count else { return false }
        for i in 0..<key.count where storage[start + i] != key[i] { return false }
        return true
    }

    private mutating func grow() {
        var larger = [Int32](repeating: 0, count: slots.count * 2)
        let mask = larger.count - 1
        for entry in hashes.indices {
            var slot = Int(truncatingIfNeeded: hashes[entry]) & mask
            while larger[slot] != 0 { slot = (slot + 1) & mask }
            larger[slot] = Int32(truncatingIfNeeded: entry + 1)
        }
        slots = larger
    }
}
