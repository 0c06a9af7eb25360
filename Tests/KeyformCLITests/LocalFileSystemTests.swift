import Foundation
import KeyformCLI
import KeyformCore
import KeyformTestSupport
import Testing

/// The real file system the commands read manifests through: whole files of any size, paths
/// relative to the given directory, and each failure as the error that names it.
@Suite struct LocalFileSystemTests {
    @Test func filesAreReadWholeWhateverTheirSize() throws {
        let directory = TestPaths.temporaryDirectory("local-fs")
        defer { try? FileManager.default.removeItem(at: directory) }
        var random = SeededGenerator(seed: 3)
        let fileSystem = LocalFileSystem(currentDirectory: directory.path)
        for size in [0, 1, 4_095, 65_536, 65_537, 300_001] {
            let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &random) }
            try Data(bytes).write(to: directory.appendingPathComponent("f\(size).json"))
            #expect(try fileSystem.readFile(at: "f\(size).json") == bytes, "a file of \(size) bytes")
        }
        #expect(try fileSystem.directoryEntries(at: ".").sorted().count == 6)
    }

    @Test func aMissingFileAndADirectoryAreNamedAsSuch() throws {
        let directory = TestPaths.temporaryDirectory("local-fs")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let fileSystem = LocalFileSystem(currentDirectory: directory.path)
        #expect(throws: FileSystemError.notFound(path: "missing.json")) { try fileSystem.readFile(at: "missing.json") }
        #expect(throws: FileSystemError.isADirectory(path: "sub")) { try fileSystem.readFile(at: "sub") }
        #expect(fileSystem.entryKind(at: "sub") == .directory)
        #expect(fileSystem.entryKind(at: "missing.json") == nil)
    }
}
