import Foundation

/// Where a command writes text: the real stdout/stderr, or a buffer in tests.
public protocol OutputSink: Sendable {
    func write(_ text: String)
    /// Whether a person is looking (colour and prompts only then).
    var isTerminal: Bool { get }
}

/// Where a command reads answers to prompts.
public protocol InputSource: Sendable {
    func readLine() -> String?
    var isTerminal: Bool { get }
}

/// The process's standard streams.
public struct StandardStream: OutputSink, InputSource {
    let fd: Int32

    public static let stdout = StandardStream(fd: 1)
    public static let stderr = StandardStream(fd: 2)
    public static let stdin = StandardStream(fd: 0)

    public func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { buffer in
                Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += n
        }
    }

    public func readLine() -> String? { Swift.readLine() }

    public var isTerminal: Bool { isatty(fd) == 1 }
}

/// Collects output in memory; for tests.
public final class OutputBuffer: OutputSink, InputSource, @unchecked Sendable {
    // @unchecked: every access to `storage` and `lines` goes through `lock`.
    private let lock = NSLock()
    private var storage = ""
    private var lines: [String]
    public let isTerminal: Bool

    public init(isTerminal: Bool = false, input: [String] = []) {
        self.isTerminal = isTerminal
        self.lines = input
    }

    public func write(_ text: String) {
        lock.withLock { storage += text }
    }

    public func readLine() -> String? {
        lock.withLock { lines.isEmpty ? nil : lines.removeFirst() }
    }

    public var text: String { lock.withLock { storage } }
}
