import Foundation
import KeyformJSON

/// Validating 10,000 generated integrations against a manifest-like schema, next to parsing
/// the same bytes (the target: validation at most 2× the parse time).
///
/// Uses `schemas/manifest.schema.json` from the current directory when there is one, else a
/// schema of the same shape embedded here.
enum SchemaBenchmark {
    static func run() throws {
        let count = 10_000
        let bytes = Array(document(integrations: count).utf8)
        let schemaFile = URL(fileURLWithPath: "schemas/manifest.schema.json")
        let schemaSource: String
        let schemaText: String
        if let text = try? String(contentsOf: schemaFile, encoding: .utf8) {
            schemaSource = schemaFile.path
            schemaText = text
        } else {
            schemaSource = "embedded manifest-like schema"
            schemaText = embeddedSchema
        }
        let schema = try JSONSchema(compiling: JSON.parse(schemaText))
        let instance = try JSON.parse(bytes)
        let violations = schema.validate(instance)
        guard violations.isEmpty else { throw GeneratedDocumentInvalid(violations: violations) }
        let parse = best(of: 7) { _ = try? JSON.parse(bytes) }
        let validate = best(of: 7) { _ = schema.validate(instance) }
        let isValid = best(of: 7) { _ = schema.isValid(instance) }
        let compile = best(of: 7) { _ = try? JSONSchema(compiling: JSON.parse(schemaText)) }
        let megabytes = Double(bytes.count) / 1_000_000
        print("schema: \(schemaSource)")
        print("document: \(count) integrations, \(String(format: "%.2f", megabytes)) MB")
        print(row("parse (JSON.parse)", parse, megabytes))
        print(row("validate (all violations)", validate, megabytes))
        print(row("isValid (first failure)", isValid, megabytes))
        print(String(format: "compile schema: %.3f ms", compile * 1000))
        print(String(format: "validate / parse = %.2f", validate / parse))
    }

    struct GeneratedDocumentInvalid: Error, CustomStringConvertible {
        let violations: [SchemaViolation]
        var description: String { "the generated document is invalid: \(violations.prefix(3))" }
    }

    private static func row(_ name: String, _ seconds: Double, _ megabytes: Double) -> String {
        String(format: "%@: %.2f ms (%.0f MB/s)", name, seconds * 1000, megabytes / seconds)
    }

    /// The fastest of `runs` timings, in seconds.
    static func best(of runs: Int, _ body: () -> Void) -> Double {
        var fastest = Double.infinity
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            fastest = min(fastest, elapsed)
        }
        return fastest
    }

    /// `{"integrations": [...]}` with a mix of the three credential types.
    static func document(integrations count: Int) -> String {
        var text = "{\n  \"$schema\": \"../schemas/manifest.schema.json\",\n  \"integrations\": [\n"
        let services = ["StockSDK", "ViewSDK", "PhotoshopSDK", "LightroomSDK", "UserMgmtSDK", "CCStorageSdk"]
        for index in 0..<count {
            let type = ["apiKey", "oauth", "serviceAccount"][index % 3]
            var fields = [
                "\"name\": \"integration\(index)\"",
                "\"title\": \"Integration number \(index)\"",
                "\"description\": \"Integration \(index) of the generated benchmark set, owned by team \(index % 17).\"",
                "\"type\": \"\(type)\"",
                "\"services\": [\"\(services[index % 6])\", \"\(services[(index + 1) % 6])\"]",
            ]
            switch type {
            case "apiKey": fields.append("\"allowedDomains\": [\"www.example\(index).com\", \"*.example.com:8443\"]")
            case "oauth": fields.append("\"redirectUris\": [\"https://app\(index).example.com/callback\"]")
            default: break
            }
            if index % 2 == 0 {
                fields.append(
                    """
                    "events": [{"name": "asset-sync-\(index)", "provider": "ccstorage", \
                    "eventCodes": ["asset_created", "asset_deleted"], \
                    "webhookUrl": "https://hooks.example.com/adobe/\(index)/assets"}]
                    """)
            }
            if index % 5 == 0 { fields.append("\"protected\": true, \"formerNames\": [\"old\(index)\"]") }
            text += "    {" + fields.joined(separator: ", ") + "}" + (index == count - 1 ? "\n" : ",\n")
        }
        return text + "  ]\n}\n"
    }

    static let embeddedSchema = #"""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "properties": {
            "$schema": {"type": "string"},
            "integrations": {"type": "array", "items": {"$ref": "#/$defs/integration"}}
          },
          "required": ["integrations"],
          "additionalProperties": false,
          "$defs": {
            "name": {"type": "string", "pattern": "^[A-Za-z0-9]{3,45}$"},
            "integration": {
              "type": "object",
              "properties": {
                "name": {"$ref": "#/$defs/name"},
                "title": {"type": "string", "pattern": "^[A-Za-z0-9 ]{3,45}$"},
                "description": {"type": "string", "maxLength": 1000},
                "type": {"enum": ["apiKey", "oauth", "serviceAccount"]},
                "allowedDomains": {"type": "array", "items": {"type": "string", "maxLength": 253,
                  "pattern": "^(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$"}},
                "redirectUris": {"type": "array", "minItems": 1,
                  "items": {"type": "string", "format": "uri", "minLength": 1, "maxLength": 4000}},
                "services": {"type": "array", "items": {"type": "string", "minLength": 1}},
                "events": {"type": "array", "items": {"$ref": "#/$defs/event"}},
                "protected": {"type": "boolean", "default": false},
                "formerNames": {"type": "array", "items": {"$ref": "#/$defs/name"}}
              },
              "required": ["name", "description", "type"],
              "additionalProperties": false,
              "allOf": [
                {"if": {"properties": {"type": {"const": "oauth"}}, "required": ["type"]},
                 "then": {"required": ["redirectUris"]}},
                {"if": {"properties": {"type": {"enum": ["apiKey", "serviceAccount"]}}, "required": ["type"]},
                 "then": {"properties": {"redirectUris": false}}},
                {"if": {"properties": {"type": {"enum": ["oauth", "serviceAccount"]}}, "required": ["type"]},
                 "then": {"properties": {"allowedDomains": false}}}
              ]
            },
            "event": {
              "type": "object",
              "properties": {
                "name": {"type": "string", "minLength": 3, "maxLength": 255},
                "provider": {"type": "string", "minLength": 1},
                "eventCodes": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
                "webhookUrl": {"type": "string", "format": "uri", "minLength": 1, "maxLength": 4000,
                  "pattern": "^(https://|http://(localhost|127\\.0\\.0\\.1)([:/]|$))"}
              },
              "required": ["name", "provider", "eventCodes", "webhookUrl"],
              "additionalProperties": false
            }
          }
        }
        """#
}
