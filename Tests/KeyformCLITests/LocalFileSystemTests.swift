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

    /// A symbolic link back up the tree is found the first time the walk meets its target
    /// again: reported once, and no manifest is read twice through it.
    @Test func aSymbolicLinkLoopIsReportedOnceAndNothingIsReadTwice() throws {
        let directory = TestPaths.temporaryDirectory("local-fs")
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifests = directory.appendingPathComponent("m/team")
        try FileManager.default.createDirectory(at: manifests, withIntermediateDirectories: true)
        try Data(#"{"integrations": []}"#.utf8).write(to: manifests.appendingPathComponent("a.json"))
        try FileManager.default.createSymbolicLink(atPath: manifests.appendingPathComponent("up").path, withDestinationPath: "..")
        // A link to a directory elsewhere is followed as usual.
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("shared"), withIntermediateDirectories: true)
        try Data(#"{"integrations": []}"#.utf8).write(to: directory.appendingPathComponent("shared/b.json"))
        try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("m/shared").path, withDestinationPath: "../shared")
        let result = ManifestLoader.load(
            path: "m", fileSystem: LocalFileSystem(currentDirectory: directory.path), environment: [:], catalog: .default)
        #expect(result.files == ["m/shared/b.json", "m/team/a.json"])
        #expect(result.diagnostics.map(\.message) == ["'m/team/up' is 'm' again (a symbolic link loop); not read a second time"])
    }

    /// A manifest that is a broken symbolic link is an error: skipped in silence, its
    /// integrations would be planned as deleted.
    @Test func aBrokenLinkNamedLikeAManifestIsAnError() throws {
        let directory = TestPaths.temporaryDirectory("local-fs")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("m"), withIntermediateDirectories: true)
        try Data(#"{"integrations": []}"#.utf8).write(to: directory.appendingPathComponent("m/a.json"))
        try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("m/gone.json").path, withDestinationPath: "nowhere.json")
        try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("m/notes").path, withDestinationPath: "nowhere")
        let result = ManifestLoader.load(
            path: "m", fileSystem: LocalFileSystem(currentDirectory: directory.path), environment: [:], catalog: .default)
        #expect(result.files == ["m/a.json"])
        #expect(result.diagnostics.map { "\($0.code) \($0.message)" } == [
            "KF300 cannot read 'm/gone.json': it is in its directory but leads to nothing (a broken symbolic link?)"
        ])
    }

    @Test func aPathThatIsNeitherFileNorDirectoryIsNamedAsSuch() throws {
        let directory = TestPaths.temporaryDirectory("local-fs")
        defer { try? FileManager.default.removeItem(at: directory) }
        let fifo = directory.appendingPathComponent("pipe.json").path
        #expect(mkfifo(fifo, 0o600) == 0)
        // Inside a directory it is skipped; named, it is an error (and never opened, which would block).
        try Data(#"{"integrations": []}"#.utf8).write(to: directory.appendingPathComponent("a.json"))
        let fileSystem = LocalFileSystem(currentDirectory: directory.path)
        #expect(fileSystem.entryKind(at: "pipe.json") == .other)
        let all = ManifestLoader.load(path: ".", fileSystem: fileSystem, environment: [:], catalog: .default)
        #expect(all.files == ["a.json"])
        #expect(all.diagnostics.isEmpty)
        let named = ManifestLoader.load(path: "pipe.json", fileSystem: fileSystem, environment: [:], catalog: .default)
        #expect(named.diagnostics.map(\.message) == ["'pipe.json' is not a regular file or a directory (a FIFO, a socket or a device?)"])
    }

    /// Every reader of the real binary, given a FIFO with no writer, a device or a file over the
    /// 1 GiB limit (sparse, so it costs no disk), answers at once with what the file is, where
    /// each used to block or read without end.
    @Test func readersRefuseFIFOsDevicesAndHugeFilesAtOnce() async throws {
        let directory = TestPaths.temporaryDirectory("local-fs")
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(mkfifo(directory.appendingPathComponent("pipe.json").path, 0o600) == 0)
        let huge = directory.appendingPathComponent("huge.json").path
        #expect(FileManager.default.createFile(atPath: huge, contents: nil))
        #expect(truncate(huge, 2 << 30) == 0)
        let notRegular = "not a regular file (a FIFO, socket or device)"
        let tooLarge = "larger than 1 GiB, more than Keyform reads"
        let cases: [([String], String)] = [
            (["fmt", "--check", "pipe.json"], "cannot read 'pipe.json': \(notRegular)"),
            (["fmt", "--check", "/dev/zero"], "cannot read '/dev/zero': \(notRegular)"),
            (["validate", "--config", "pipe.json"], "cannot read configuration 'pipe.json': \(notRegular)"),
            (["state", "list", "--state", "/dev/zero"], "cannot read /dev/zero: \(notRegular)"),
            (["console", "list", "--console", "local:pipe.json"], "pipe.json: read failed: \(notRegular)"),
            (["show", "pipe.json"], "cannot read the plan file pipe.json: \(notRegular)"),
            (["state", "push", "pipe.json", "--state", "s.json"], "cannot read pipe.json: \(notRegular)"),
            (["apply", "pipe.json", "--state", "s.json"], "cannot read pipe.json: \(notRegular)"),
            (["show", "missing.plan"], "cannot read the plan file missing.plan: no such file or directory"),
            (["validate", "huge.json"], "cannot read 'huge.json': \(tooLarge)"),
            (["fmt", "--check", "huge.json"], "cannot read 'huge.json': \(tooLarge)"),
        ]
        for (arguments, message) in cases {
            let run = try await ChildProcess.keyform(arguments, in: directory, timeout: 20)
            #expect(run.status == 1, "\(arguments)")
            #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
        }
    }

    /// Two files whose names are the same text in Unicode, composed differently (NFC `é` and
    /// NFD `e` + U+0301), are two files on disk but one `String`: the second in byte order is
    /// reported and not read, and findings stay in byte order of their files.
    @Test func namesEqualInUnicodeButNotInBytesAreReportedNotMixedUp() throws {
        let directory = TestPaths.temporaryDirectory("local-fs")
        defer { try? FileManager.default.removeItem(at: directory) }
        let decomposed = "e\u{301}.json", composed = "\u{E9}.json"
        func write(_ name: String, _ text: String) throws {
            let path = directory.path + "/" + name
            #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
        }
        try write(decomposed, #"{"integrations": [{"name": "nfdfile", "description": "Word", "type": "apiKey"}]}"#)
        try write(composed, #"{"integrations": [{"name": "nfcfile", "description": "Single", "type": "apiKey"}]}"#)
        try write("f.json", #"{"integrations": [{"name": "ffile", "description": "Lone", "type": "apiKey"}]}"#)
        let result = ManifestLoader.load(
            path: ".", fileSystem: LocalFileSystem(currentDirectory: directory.path), environment: [:], catalog: nil)
        #expect(result.files.map { Array($0.utf8) } == [Array(decomposed.utf8), Array("f.json".utf8)])
        let placed = result.diagnostics.compactMap { $0.location.map { Array($0.file.utf8) } }
        #expect(placed == [Array(decomposed.utf8), Array("f.json".utf8)])
        #expect(result.diagnostics.contains { $0.code == "KF300" && $0.message.hasSuffix("(its characters are composed differently); it is not read") })
    }
}
