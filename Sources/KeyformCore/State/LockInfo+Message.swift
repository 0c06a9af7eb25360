extension LockInfo {
    /// The holder in the words of DESIGN.md, for the error a second apply prints:
    /// `state is locked by alice@ci-7 (pid 4242) for apply since 2025-05-01T10:00:00Z
    /// (lock 3f2a…); if no apply is running: keyform force-unlock 3f2a…`.
    public var lockedMessage: String {
        "state is locked by \(holderDescription) (lock \(id)); if no apply is running: keyform force-unlock \(id)"
    }

    /// `alice@ci-7 (pid 4242) for apply since 2025-05-01T10:00:00Z`.
    public var holderDescription: String {
        "\(who)@\(host) (pid \(pid)) for \(operation) since \(created)"
    }
}
