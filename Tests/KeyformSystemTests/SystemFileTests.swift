import Foundation
import KeyformSystem
import KeyformTestSupport
import Testing

@Suite struct SystemFileTests {
    @Test func aMissingFileReadsAsNil() throws {
        let directory = TestPaths.temporaryDirectory("system")
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try SystemFile.read(directory.appendingPathComponent("absent").path) == nil)
    }

    @Test(arguments: [0, 1, 4_095, 65_537, 3_000_001])
    func writeAllThenReadGivesTheSameBytes(count: Int) throws {
        let directory = TestPaths.temporaryDirectory("system")
        defer { try? FileManager.default.removeItem(at: directory) }
        try SystemFile.makeDirectories(directory.path, mode: 0o700)
        let path = directory.appendingPathComponent("data").path
        var random = SeededGenerator(seed: UInt64(count))
        let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
        let fd = try SystemFile.open(path, O_WRONLY | O_CREAT | O_TRUNC, mode: 0o600)
        try SystemFile.writeAll(fd: fd, bytes, path: path)
        try SystemFile.fsync(fd: fd, path: path)
        close(fd)
        let read = try #require(try SystemFile.read(path))
        #expect(read.bytes == bytes)
        #expect(Int(read.info.st_size) == count)
        #expect(read.info.st_mode & 0o777 == 0o600)
    }

    @Test func aPrefixIsAtMostTheFile() throws {
        let directory = TestPaths.temporaryDirectory("system")
        defer { try? FileManager.default.removeItem(at: directory) }
        try SystemFile.makeDirectories(directory.path, mode: 0o700)
        let path = directory.appendingPathComponent("short").path
        try Data("hello".utf8).write(to: URL(fileURLWithPath: path))
        let fd = try SystemFile.open(path, O_RDONLY)
        defer { close(fd) }
        #expect(try SystemFile.readPrefix(fd: fd, count: 3, path: path) == Array("hel".utf8))
        #expect(try SystemFile.readPrefix(fd: fd, count: 100, path: path) == Array("hello".utf8))
    }

    @Test func makeDirectoriesCreatesParentsAndRefusesAFileInTheWay() throws {
        let directory = TestPaths.temporaryDirectory("system")
        defer { try? FileManager.default.removeItem(at: directory) }
        let nested = directory.appendingPathComponent("a/b/c").path
        try SystemFile.makeDirectories(nested, mode: 0o700)
        try SystemFile.makeDirectories(nested, mode: 0o700)  // already there: nothing to do
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: nested, isDirectory: &isDirectory) && isDirectory.boolValue)
        let file = directory.appendingPathComponent("a/file").path
        try Data().write(to: URL(fileURLWithPath: file))
        // The file in the way is named, not the directory asked for.
        #expect(throws: SystemCallError(path: file, operation: "create directory", errno: ENOTDIR)) {
            try SystemFile.makeDirectories(file + "/d", mode: 0o700)
        }
    }

    @Test func errorsNameTheFileAndTheStep() {
        #expect(throws: SystemCallError(path: "/nonexistent-keyform/x", operation: "open", errno: ENOENT)) {
            try SystemFile.open("/nonexistent-keyform/x", O_RDONLY)
        }
        #expect(throws: SystemCallError(path: "/nonexistent-keyform", operation: "open directory", errno: ENOENT)) {
            try SystemFile.syncDirectory("/nonexistent-keyform")
        }
    }

    @Test(arguments: [
        ("keyform.state.json", "."), ("a/b.json", "a"), ("/b.json", "/"), ("/a/b/c", "/a/b"), ("a/b/", "a"), ("/", "/"),
    ])
    func directoryOfAPath(path: String, expected: String) {
        #expect(SystemFile.directory(of: path) == expected)
    }
}
