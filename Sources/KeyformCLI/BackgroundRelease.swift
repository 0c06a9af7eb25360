import Dispatch

/// Frees a large value on a background thread, so that a command can return — and the
/// process exit — without first spending tens of milliseconds taking apart a plan of 10,000
/// integrations, its manifests and its state. When the process exits first, the memory goes
/// back to the system with it; inside a long-lived process (the tests), the value is freed a
/// moment later.
enum BackgroundRelease {
    /// Takes `value` (the caller's last reference to it) and frees it on another thread.
    static func release<T: Sendable>(_ value: consuming T) {
        let box = Box(value)
        DispatchQueue.global(qos: .utility).async { box.empty() }
    }

    /// Holds the value until the background thread lets go of it.
    private final class Box<Value: Sendable>: @unchecked Sendable {
        // @unchecked: `value` is set once here and cleared once, by the one queued block.
        private var value: Value?

        init(_ value: consuming Value) {
            self.value = value
        }

        func empty() {
            value = nil
        }
    }
}
