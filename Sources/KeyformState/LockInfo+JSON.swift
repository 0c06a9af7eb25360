import Foundation
import KeyformCore
import KeyformJSON

/// The lock file's content:
///
///     {
///       "id": "3f2a9c1e-…",
///       "operation": "apply",
///       "who": "alice",
///       "host": "ci-runner-7",
///       "pid": 4242,
///       "created": "2025-05-01T10:00:00Z"
///     }
extension LockInfo {
    /// Why a lock file could not be read.
    public struct DecodingError: Error, Hashable, Sendable {
        public var problem: String
    }

    static let keys = ["id", "operation", "who", "host", "pid", "created"]

    /// A lock for this process now: a new id, `$USER`, the host name, the pid, the time in UTC.
    public static func current(operation: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> LockInfo {
        LockInfo(
            id: UUID().uuidString.lowercased(), operation: operation, who: currentUser(environment),
            host: POSIX.hostName(), pid: getpid(), created: iso8601(Date()))
    }

    public var json: JSON {
        .object([
            JSONMember("id", .string(id)),
            JSONMember("operation", .string(operation)),
            JSONMember("who", .string(who)),
            JSONMember("host", .string(host)),
            JSONMember("pid", .number(Int(pid))),
            JSONMember("created", .string(created)),
        ])
    }

    func lockFileBytes() -> [UInt8] {
        Array(json.canonicalText().utf8)
    }

    /// Reads a lock file.
    public init(lockFileBytes bytes: [UInt8]) throws(DecodingError) {
        let json: JSON
        do throws(JSONSyntaxError) {
            json = try JSON.parse(bytes)
        } catch {
            throw DecodingError(problem: "not JSON (\(error.message) at byte \(error.offset))")
        }
        guard case .object(let members) = json else { throw DecodingError(problem: "expected an object") }
        if let unknown = members.first(where: { !LockInfo.keys.contains($0.key) }) {
            throw DecodingError(problem: "unknown member '\(unknown.key)'")
        }
        func string(_ key: String) throws(DecodingError) -> String {
            guard case .string(let s)? = json[key] else { throw DecodingError(problem: "/\(key): expected a string") }
            return s
        }
        guard case .number(let n)? = json["pid"], let pid = n.int, let pid32 = Int32(exactly: pid) else {
            throw DecodingError(problem: "/pid: expected a process id")
        }
        let id = try string("id")
        if id.isEmpty { throw DecodingError(problem: "/id: must not be empty") }
        self.init(
            id: id, operation: try string("operation"), who: try string("who"), host: try string("host"),
            pid: pid32, created: try string("created"))
    }

    static func currentUser(_ environment: [String: String]) -> String {
        if let user = environment["USER"], !user.isEmpty { return user }
        if let user = environment["LOGNAME"], !user.isEmpty { return user }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "uid \(getuid())"
    }

    /// `2025-05-01T10:00:00Z`.
    static func iso8601(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
