/// Helpers for the string sets the model keeps as sorted arrays without repeats.
enum SortedSet {
    /// `values` sorted, without repeats. Free (no hashing, no copy) when they already are,
    /// which is the usual case: manifests, state files and the console all list sets sorted.
    static func of(_ values: [String]) -> [String] {
        isSortedSet(values) ? values : Array(Set(values)).sorted()
    }

    /// Whether `values` is strictly increasing (sorted, no repeats).
    static func isSortedSet(_ values: [String]) -> Bool {
        var i = 1
        while i < values.count {
            if !(values[i - 1] < values[i]) { return false }
            i += 1
        }
        return true
    }

    /// Whether `values` is sorted by `key` (repeats allowed).
    static func isSorted<T>(_ values: [T], by key: (T) -> String) -> Bool {
        var i = 1
        while i < values.count {
            if key(values[i]) < key(values[i - 1]) { return false }
            i += 1
        }
        return true
    }
}
