import Foundation
import KeyformJSON
import KeyformTestSupport
import Testing

/// The official JSON-Schema-Test-Suite (draft 2020-12), read from `../shared/testdata`.
/// Every case must pass except those needing a remote schema, skipped by name below.
@Suite struct SchemaSuiteTests {
    static let directory = TestPaths.sharedTestdata.appendingPathComponent("json-schema-suite/draft2020-12")

    static let files: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }()

    /// Groups whose schema `$ref`s the draft 2020-12 meta-schema at json-schema.org, which is
    /// not in the document and is not fetched: "file / group description".
    static let remoteReferenceCases: Set<String> = [
        "defs.json / validate definition against metaschema",
        "ref.json / remote ref, containing refs itself",
    ]

    static func groups(in file: String) throws -> [JSON] {
        let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent(file)))
        return try JSON.parse(bytes, allowDuplicateKeys: true).arrayValue ?? []
    }

    @Test func theSuiteIsThere() {
        #expect(Self.files.count == 38, "found \(Self.files) in \(Self.directory.path)")
    }

    @Test func everySkippedCaseExists() throws {
        var names = Set<String>()
        for file in Self.files {
            for group in try Self.groups(in: file) {
                names.insert("\(file) / \(group["description"]?.stringValue ?? "")")
            }
        }
        #expect(Self.remoteReferenceCases.subtracting(names).isEmpty)
    }

    @Test(arguments: files)
    func suiteFile(_ file: String) throws {
        // The same file parsed in place, to check validation on the parser's tape as well.
        let bytes = try [UInt8](Data(contentsOf: Self.directory.appendingPathComponent(file)))
        let document = try JSONDocument.parse(bytes, file: file, allowDuplicateKeys: true)
        for (groupIndex, group) in try Self.groups(in: file).enumerated() {
            let groupName = "\(file) / \(group["description"]?.stringValue ?? "")"
            if Self.remoteReferenceCases.contains(groupName) { continue }
            let schema: JSONSchema
            do {
                schema = try JSONSchema(compiling: group["schema"] ?? .null)
            } catch {
                Issue.record("\(groupName): does not compile: \(error)")
                continue
            }
            for (testIndex, test) in (group["tests"]?.arrayValue ?? []).enumerated() {
                let name = "\(groupName) / \(test["description"]?.stringValue ?? "")"
                let data = test["data"] ?? .null
                let expected = test["valid"]?.boolValue ?? false
                let violations = schema.validate(data)
                #expect(violations.isEmpty == expected, "\(name): \(violations)")
                #expect(schema.isValid(data) == expected, "\(name): isValid disagrees")
                let inPlace = try #require(document.root[groupIndex]?["tests"]?[testIndex]?["data"])
                #expect(schema.isValid(inPlace) == expected, "\(name): isValid on the parsed document disagrees")
            }
        }
    }
}
