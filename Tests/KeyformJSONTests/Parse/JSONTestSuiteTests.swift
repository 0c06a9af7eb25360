import Foundation
import KeyformJSON
import KeyformTestSupport
import Testing

/// Every file of nst/JSONTestSuite (`../shared/testdata/json-parsing/`): `y_` accepted, `n_`
/// rejected with a located diagnostic, `i_` answered as the table below says.
@Suite struct JSONTestSuiteTests {
    static let directory = TestPaths.sharedTestdata.appendingPathComponent("json-parsing")

    static func files(_ prefix: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(".json") }.sorted()
    }

    static func bytes(_ name: String) -> [UInt8] {
        (try? [UInt8](Data(contentsOf: directory.appendingPathComponent(name)))) ?? []
    }

    /// Our verdict for each implementation-defined file: nil = accepted, otherwise the code
    /// of the error.
    static let implementationDefined: [String: String?] = [
        // Numbers of any size are accepted and kept as written (no precision is lost).
        "i_number_double_huge_neg_exp.json": nil,
        "i_number_huge_exp.json": nil,
        "i_number_neg_int_huge_exp.json": nil,
        "i_number_pos_double_huge_exp.json": nil,
        "i_number_real_neg_overflow.json": nil,
        "i_number_real_pos_overflow.json": nil,
        "i_number_real_underflow.json": nil,
        "i_number_too_big_neg_int.json": nil,
        "i_number_too_big_pos_int.json": nil,
        "i_number_very_big_negative_int.json": nil,
        // A \u escape of a lone surrogate names no character: rejected (KF115).
        "i_object_key_lone_2nd_surrogate.json": "KF115",
        "i_string_1st_surrogate_but_2nd_missing.json": "KF115",
        "i_string_1st_valid_surrogate_2nd_invalid.json": "KF115",
        "i_string_incomplete_surrogate_and_escape_valid.json": "KF115",
        "i_string_incomplete_surrogate_pair.json": "KF115",
        "i_string_incomplete_surrogates_escape_valid.json": "KF115",
        "i_string_invalid_lonely_surrogate.json": "KF115",
        "i_string_invalid_surrogate.json": "KF115",
        "i_string_inverted_surrogates_U+1D11E.json": "KF115",
        "i_string_lone_second_surrogate.json": "KF115",
        // Input must be UTF-8: anything else is rejected (KF113).
        "i_string_UTF-16LE_with_BOM.json": "KF113",
        "i_string_UTF-8_invalid_sequence.json": "KF113",
        "i_string_UTF8_surrogate_U+D800.json": "KF113",
        "i_string_invalid_utf-8.json": "KF113",
        "i_string_iso_latin_1.json": "KF113",
        "i_string_lone_utf8_continuation_byte.json": "KF113",
        "i_string_not_in_unicode_range.json": "KF113",
        "i_string_overlong_sequence_2_bytes.json": "KF113",
        "i_string_overlong_sequence_6_bytes.json": "KF113",
        "i_string_overlong_sequence_6_bytes_null.json": "KF113",
        "i_string_truncated-utf-8.json": "KF113",
        "i_string_utf16BE_no_BOM.json": "KF113",
        "i_string_utf16LE_no_BOM.json": "KF113",
        // 500 levels are within the 512-level limit.
        "i_structure_500_nested_arrays.json": nil,
        // A UTF-8 byte order mark is rejected (KF116).
        "i_structure_UTF-8_BOM_empty_object.json": "KF116",
    ]

    @Test func theCorpusIsThere() {
        #expect(Self.files("y_").count == 95)
        #expect(Self.files("n_").count == 188)
        #expect(Set(Self.files("i_")) == Set(Self.implementationDefined.keys))
    }

    @Test(arguments: files("y_"))
    func accepted(_ name: String) throws {
        let bytes = Self.bytes(name)
        let document = try JSONDocument.parse(bytes, file: name, allowDuplicateKeys: true)
        #expect(document.root.byteRange.upperBound <= bytes.count)
        // Everything Keyform reads refuses duplicate keys; all else is accepted the same way.
        if name.contains("duplicated_key") {
            #expect(document.duplicateKeys.count == 1)
            #expect(throws: JSONDocumentError.self) { try JSONDocument.parse(bytes, file: name) }
        } else {
            #expect(document.duplicateKeys.isEmpty)
            #expect(throws: Never.self) { try JSON.parse(bytes) }
        }
    }

    @Test(arguments: files("n_"))
    func rejected(_ name: String) {
        let bytes = Self.bytes(name)
        #expect(throws: JSONSyntaxError.self) { try JSON.parse(bytes) }
        do {
            _ = try JSONDocument.parse(bytes, file: name)
            Issue.record("\(name) was accepted")
        } catch {
            #expect(error.diagnostics.count == 1)
            let diagnostic = error.diagnostics[0]
            #expect(diagnostic.code.hasPrefix("KF1"))
            let location = diagnostic.location
            #expect(location?.file == name)
            #expect((location?.line ?? 0) >= 1)
            #expect((location?.column ?? 0) >= 1)
            #expect((location?.offset ?? -1) <= bytes.count)
            let text = DiagnosticRenderer(sources: [name: bytes]).render(error.diagnostics)
            #expect(text.hasPrefix("\(name):\(location?.line ?? 0):\(location?.column ?? 0): error[\(diagnostic.code)]: "))
        }
    }

    @Test(arguments: files("i_"))
    func implementationDefined(_ name: String) {
        let bytes = Self.bytes(name)
        let expected = Self.implementationDefined[name] ?? "missing from the table"
        do {
            _ = try JSONDocument.parse(bytes, file: name)
            #expect(expected == nil, "\(name) was accepted")
        } catch {
            #expect(error.diagnostics.map(\.code) == [expected ?? "accepted"], "\(name): \(error.diagnostics.map(\.message))")
            #expect((error.diagnostics.first?.location?.line ?? 0) >= 1)
        }
    }
}
