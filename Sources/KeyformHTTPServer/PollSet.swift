import Glibc

/// The descriptors the event loop waits on with `poll(2)`, each under a key, kept in one
/// `pollfd` array that is updated in place (removal swaps the last entry into the hole).
/// (The toolchain's Glibc module does not expose epoll; poll's cost per wait grows with the
/// number of connections, which stays small next to the work per request at our scale.)
struct PollSet {
    private var descriptors: [pollfd] = []
    private var keys: [UInt64] = []
    private var slots: [UInt64: Int] = [:]

    /// Starts watching `descriptor` for `events` under `key`.
    mutating func add(_ descriptor: Int32, key: UInt64, events: Int16) {
        slots[key] = descriptors.count
        descriptors.append(pollfd(fd: descriptor, events: events, revents: 0))
        keys.append(key)
    }

    /// Changes the events watched under `key`.
    mutating func update(key: UInt64, events: Int16) {
        guard let slot = slots[key] else { return }
        descriptors[slot].events = events
    }

    /// Stops watching the descriptor under `key`.
    mutating func remove(key: UInt64) {
        guard let slot = slots.removeValue(forKey: key) else { return }
        let last = descriptors.count - 1
        if slot != last {
            descriptors[slot] = descriptors[last]
            keys[slot] = keys[last]
            slots[keys[slot]] = slot
        }
        descriptors.removeLast()
        keys.removeLast()
    }

    /// Waits up to `milliseconds` and returns the keys with something to report, with the
    /// reported events (`POLLHUP`, `POLLERR` and `POLLNVAL` come even when not asked for).
    mutating func wait(milliseconds: Int32) -> [(key: UInt64, events: Int16)] {
        let count = descriptors.withUnsafeMutableBufferPointer {
            poll($0.baseAddress, nfds_t($0.count), milliseconds)
        }
        guard count > 0 else { return [] }
        var ready: [(key: UInt64, events: Int16)] = []
        ready.reserveCapacity(Int(count))
        for slot in descriptors.indices where descriptors[slot].revents != 0 {
            ready.append((keys[slot], descriptors[slot].revents))
        }
        return ready
    }
}
