import KeyformCore

/// One mutating operation as a value: it checks a request against the state and returns its
/// result and the changes to make. The engine runs it synchronously (`perform`, for server
/// threads and the public API) or asynchronously (`performAsync`, for `LocalProvider`'s tasks).
///
/// `run` must not change anything itself: an operation that throws leaves the console as it was.
struct ConsoleOperation<Output> {
    let run: (ConsoleState, inout ConsoleIdentifiers, ConsoleQuotas) throws(ConsoleError) -> (Output, [ConsoleChange])
}
