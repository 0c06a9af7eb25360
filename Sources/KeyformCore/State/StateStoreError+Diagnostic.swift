import Foundation
import KeyformJSON

/// What each state store error tells the user: a message, and the fix.
///
/// Codes: KF420 state not JSON, KF421 not a state document, KF422 format too new, KF423 bad
/// journal line, KF424 unreadable lock file, KF425 locked, KF426 lineage differs, KF427 serial
/// moved, KF428 no such lock, KF429 I/O failure, KF419 no state, KF418 journal of another state.
extension StateStoreError: CustomStringConvertible {
    /// The error as a diagnostic (location only where the error has one).
    public var diagnostic: Diagnostic {
        switch self {
        case .locked(let holder):
            return .error(
                "KF425", "state is locked by \(holder.holderDescription) (lock \(holder.id))",
                suggestion: "if no apply is running: keyform force-unlock \(holder.id)")
        case .lineageMismatch(let stored, let writing):
            return .error(
                "KF426", "refusing to overwrite a different state: the stored state's lineage is \(stored), this one's is \(writing)",
                suggestion: "check that --state (or \"state\" in keyform.json) names the state you mean")
        case .staleSerial(let expected, let found):
            let was = expected.map { "serial \($0)" } ?? "no state"
            let now = found == 0 ? "no state" : "serial \(found)"
            return .error(
                "KF427", "refusing to overwrite the state: it changed since it was read (read \(was), now \(now))",
                suggestion: "run the command again to work from the current state")
        case .corrupt(_, let diagnostic):
            return diagnostic
        case .unsupportedFormat(let path, let found):
            return .error(
                "KF422", "\(path) has format \(found), newer than this build of keyform reads (\(StateDocument.currentFormat))",
                suggestion: "upgrade keyform to the version that wrote it")
        case .noSuchLock(let id):
            return .error("KF428", "no lock with id \(id)", suggestion: "the lock id is printed by the command that found the state locked")
        case .io(let path, let operation, let code):
            return .error("KF429", "cannot \(operation) \(path): \(String(cString: strerror(code)))")
        case .noState(let path):
            return .error(
                "KF419", "no state at \(path)",
                suggestion: "write the initial state first (an apply creates it)")
        case .orphanJournal(let journal, let entries, let journalState, let state):
            let changes = entries == 1 ? "1 change" : "\(entries) changes"
            let stored = state.map { "the stored state is \($0)" } ?? "there is no state file"
            return .error(
                "KF418", "\(journal) holds \(changes) for another state (\(journalState)), and \(stored)",
                notes: [.init("the state file was replaced or removed while an apply's changes were not yet saved in it; "
                    + "those changes may record integrations that exist in the console")],
                suggestion: "put back the state file the journal belongs to (its .backup may be it) and run the command again; "
                    + "if you are sure those changes are not wanted, remove the journal")
        }
    }

    /// One line: the message, then the fix after a semicolon. For `.locked` this is exactly
    /// `LockInfo.lockedMessage`.
    public var description: String {
        if case .locked(let holder) = self { return holder.lockedMessage }
        let diagnostic = diagnostic
        var text = diagnostic.message
        if let location = diagnostic.location {
            text = "\(location.file):\(location.line):\(location.column): \(text)"
        }
        if let suggestion = diagnostic.suggestion { text += "; \(suggestion)" }
        return text
    }
}
