import Dispatch
import Foundation
import KeyformSystem
import Testing

@Suite(.serialized) struct SignalPipeTests {
    /// A signal raised the moment `catch` returns reaches the handler: nothing is armed later.
    @Test func aSignalRightAfterCatchingIsDelivered() {
        let received = DispatchSemaphore(value: 0)
        #expect(SignalPipe.catch([SIGUSR1]) { number in if number == SIGUSR1 { received.signal() } })
        defer { SignalPipe.release([SIGUSR1], restoringDefault: true) }
        for _ in 0..<50 {
            kill(getpid(), SIGUSR1)
            #expect(received.wait(timeout: .now() + 5) == .success)
        }
    }

    /// Released without the default action, a signal is dropped (the process lives on).
    @Test func aReleasedSignalIsDropped() {
        let received = DispatchSemaphore(value: 0)
        SignalPipe.catch([SIGUSR2]) { _ in received.signal() }
        SignalPipe.release([SIGUSR2], restoringDefault: false)
        kill(getpid(), SIGUSR2)
        #expect(received.wait(timeout: .now() + 0.2) == .timedOut)
    }
}
