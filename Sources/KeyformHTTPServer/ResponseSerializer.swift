/// Turns a handler's `HTTPResponse` into the bytes sent on the wire:
///
///     HTTP/1.1 404 Not Found␍␊
///     content-type: application/json␍␊       handler fields, in order
///     content-length: 27␍␊                   added by the server …
///     date: Tue, 03 Mar 2026 10:00:00 GMT␍␊
///     x-request-id: 5f0c…␍␊
///     connection: close␍␊                    … only when the connection ends
///     ␍␊
///     {"error_code":"not_found"}
enum ResponseSerializer {
    /// Fields only the server sets; the handler's values for them are dropped.
    private static let serverFields = ["content-length", "transfer-encoding", "connection", "keep-alive", "date", "x-request-id"]

    /// What the serializer needs to know about the request and the connection.
    struct Context {
        var isHead: Bool
        var minorVersion: Int
        var keepAlive: Bool
        var requestId: String
        var date: String
    }

    /// The bytes of `response`; a response with a status outside 200–599 or an invalid header
    /// field becomes a 500 (a handler bug must not let header injection through).
    static func serialize(_ response: HTTPResponse, context: Context) -> [UInt8] {
        guard (200...599).contains(response.status), response.headers.allSatisfy(isValid) else {
            let fallback = HTTPResponse.text(status: 500, "the handler produced an invalid status or header field\n")
            return serialize(fallback, context: context)
        }
        let status = response.status
        let bodyAllowed = status != 204 && status != 304
        var text = "HTTP/1.1 \(status) \(HTTPResponse.reasonPhrase(for: status))\r\n"
        for field in response.headers where !serverFields.contains(where: { HTTPHeaders.namesMatch($0, field.name) }) {
            text += "\(field.name): \(field.value)\r\n"
        }
        if bodyAllowed {
            text += "content-length: \(response.body.count)\r\n"
        }
        text += "date: \(context.date)\r\nx-request-id: \(context.requestId)\r\n"
        if !context.keepAlive {
            text += "connection: close\r\n"
        } else if context.minorVersion == 0 {
            text += "connection: keep-alive\r\n"
        }
        text += "\r\n"
        var bytes = Array(text.utf8)
        if bodyAllowed && !context.isHead {
            bytes.append(contentsOf: response.body)
        }
        return bytes
    }

    /// The answer to a request refused before the handler: plain text, connection closing.
    static func errorResponse(_ error: HTTPRequestError, requestId: String, date: String) -> [UInt8] {
        let response = HTTPResponse.json(status: error.status, body: errorBody(status: error.status, message: "\(error)"))
        let context = Context(isHead: false, minorVersion: 1, keepAlive: false, requestId: requestId, date: date)
        return serialize(response, context: context)
    }

    /// The JSON error body the console's API answers with, for the server's own refusals:
    /// `{"status":413,"error_code":"ERR_CONTENT_TOO_LARGE","message":"…"}`.
    static func errorBody(status: Int, message: String) -> [UInt8] {
        let code = "ERR_" + HTTPResponse.reasonPhrase(for: status).uppercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
        return Array("{\"status\":\(status),\"error_code\":\"\(code)\",\"message\":\(jsonString(message))}".utf8)
    }

    /// `text` as a JSON string literal.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// The answer to a connection beyond the limit, written before it is closed.
    static func tooManyConnections() -> [UInt8] {
        let body = errorBody(status: 503, message: "the server has as many connections as it takes; try again shortly")
        return Array("HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: \(body.count)\r\nretry-after: 1\r\nconnection: close\r\n\r\n".utf8) + body
    }

    /// The interim answer to `Expect: 100-continue`.
    static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    private static func isValid(_ field: HTTPHeaders.Field) -> Bool {
        !field.name.isEmpty && field.name.utf8.allSatisfy(ASCII.isToken) && field.value.utf8.allSatisfy(ASCII.isFieldValue)
    }
}
