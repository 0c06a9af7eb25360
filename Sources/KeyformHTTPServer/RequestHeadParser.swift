/// Parses a request head — request line and header fields — from raw bytes, strictly
/// (RFC 9112 §2–§6): CRLF line ends, single spaces in the request line, token names followed
/// directly by `:`, no obsolete line folding, exactly one `Host` for HTTP/1.1, at most one
/// decimal `Content-Length`, no `Transfer-Encoding`. Empty lines before the request line are
/// skipped (§2.2).
///
///     GET /v1/orgs?page=2 HTTP/1.1␍␊        request line   (≤ maxRequestLineBytes, else 414)
///     Host: 127.0.0.1:8080␍␊                header fields  (≤ maxHeaderBytes and
///     Content-Length: 0␍␊                                      ≤ maxHeaderFields, else 431)
///     ␍␊                                    end of head
enum RequestHeadParser {
    /// How far a buffer holds a request head.
    enum Scan: Equatable {
        /// The head is not complete yet, and no limit is exceeded.
        case incomplete
        /// The head occupies `start..<end` (`end` is just past the empty line).
        case complete(start: Int, end: Int)
        /// A limit is exceeded before the head ended.
        case failed(HTTPRequestError)
    }

    /// Finds the end of the head that starts at `from`, checking the size limits and the line
    /// ends on the way (a bare LF fails at once instead of waiting for the timeout).
    static func scan(_ buffer: [UInt8], from: Int, limits: RequestHeadLimits) -> Scan {
        var start = from
        while start + 1 < buffer.count && buffer[start] == ASCII.cr && buffer[start + 1] == ASCII.lf {
            start += 2
        }
        var lineStart = start
        var lineNumber = 1
        var fieldsStart = -1
        while let lf = buffer[lineStart...].firstIndex(of: ASCII.lf) {
            guard lf > lineStart, buffer[lf - 1] == ASCII.cr else {
                return .failed(lineNumber == 1 ? .malformedRequestLine : .malformedHeaderField(line: lineNumber))
            }
            let lineEnd = lf - 1
            if lineNumber == 1 {
                if lineEnd - start > limits.maxRequestLineBytes {
                    return .failed(.requestLineTooLong(limit: limits.maxRequestLineBytes))
                }
                fieldsStart = lf + 1
            } else if lineEnd == lineStart {
                if lineStart - fieldsStart > limits.maxHeaderBytes {
                    return .failed(.headerSectionTooLarge(limit: limits.maxHeaderBytes))
                }
                return .complete(start: start, end: lf + 1)
            }
            lineStart = lf + 1
            lineNumber += 1
        }
        if fieldsStart < 0 {
            // Leading empty lines count towards the request line, so they cannot pile up.
            if buffer.count - from > limits.maxRequestLineBytes + 1 {
                return .failed(.requestLineTooLong(limit: limits.maxRequestLineBytes))
            }
        } else if buffer.count - fieldsStart > limits.maxHeaderBytes + 1 {
            return .failed(.headerSectionTooLarge(limit: limits.maxHeaderBytes))
        }
        return .incomplete
    }

    /// Parses the complete head in `buffer[start..<end]` (as found by `scan`).
    static func parse(_ buffer: [UInt8], start: Int, end: Int, limits: RequestHeadLimits) -> Result<RequestHead, HTTPRequestError> {
        guard let lineEnd = findCRLF(buffer, from: start), lineEnd < end else { return .failure(.malformedRequestLine) }
        let line = buffer[start..<lineEnd]
        let parts = line.split(separator: ASCII.space, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty,
              !parts[2].contains(ASCII.space), !line.contains(ASCII.tab)
        else { return .failure(.malformedRequestLine) }
        guard parts[0].allSatisfy(ASCII.isToken) else { return .failure(.invalidMethod) }
        let method = String(decoding: parts[0], as: UTF8.self)
        let minorVersion: Int
        switch parseVersion(parts[2]) {
        case .success(let minor): minorVersion = minor
        case .failure(let error): return .failure(error)
        }
        let target: RequestTarget
        switch RequestTarget.parse(parts[1], method: method) {
        case .success(let parsed): target = parsed
        case .failure(let error): return .failure(error)
        }
        var headers = HTTPHeaders()
        var lineNumber = 1
        var lineStart = lineEnd + 2
        while lineStart < end - 2 {
            lineNumber += 1
            guard let fieldEnd = findCRLF(buffer, from: lineStart) else { return .failure(.malformedHeaderField(line: lineNumber)) }
            if headers.count == limits.maxHeaderFields { return .failure(.tooManyHeaderFields(limit: limits.maxHeaderFields)) }
            switch parseField(buffer[lineStart..<fieldEnd], line: lineNumber) {
            case .success(let field): headers.add(field.name, field.value)
            case .failure(let error): return .failure(error)
            }
            lineStart = fieldEnd + 2
        }
        return interpret(method: method, target: target, minorVersion: minorVersion, headers: headers)
    }

    /// Reads `HTTP/1.x`; another major version is 505, anything else 400.
    private static func parseVersion(_ bytes: ArraySlice<UInt8>) -> Result<Int, HTTPRequestError> {
        let text = String(decoding: bytes, as: UTF8.self)
        let chars = Array(bytes)
        guard chars.count == 8, text.hasPrefix("HTTP/"), chars[6] == UInt8(ascii: "."),
              let major = Int(String(decoding: chars[5...5], as: UTF8.self)),
              let minor = Int(String(decoding: chars[7...7], as: UTF8.self))
        else { return .failure(.malformedRequestLine) }
        guard major == 1 else { return .failure(.unsupportedVersion(text)) }
        return .success(minor)
    }

    /// Reads one `name: value` line.
    private static func parseField(_ line: ArraySlice<UInt8>, line number: Int) -> Result<HTTPHeaders.Field, HTTPRequestError> {
        guard let first = line.first else { return .failure(.malformedHeaderField(line: number)) }
        if first == ASCII.space || first == ASCII.tab { return .failure(.obsoleteLineFolding(line: number)) }
        guard let colon = line.firstIndex(of: ASCII.colon), colon > line.startIndex,
              line[..<colon].allSatisfy(ASCII.isToken)
        else { return .failure(.malformedHeaderField(line: number)) }
        var value = line[(colon + 1)...]
        guard value.allSatisfy(ASCII.isFieldValue) else { return .failure(.malformedHeaderField(line: number)) }
        while let byte = value.first, byte == ASCII.space || byte == ASCII.tab { value = value.dropFirst() }
        while let byte = value.last, byte == ASCII.space || byte == ASCII.tab { value = value.dropLast() }
        return .success(HTTPHeaders.Field(
            name: String(decoding: line[..<colon], as: UTF8.self),
            value: String(decoding: value, as: UTF8.self)
        ))
    }

    /// Applies the header fields that frame the message: Host, Content-Length,
    /// Transfer-Encoding, Connection and Expect.
    private static func interpret(method: String, target: RequestTarget, minorVersion: Int, headers: HTTPHeaders) -> Result<RequestHead, HTTPRequestError> {
        let hosts = headers.values(for: "host")
        if hosts.count > 1 { return .failure(.duplicateHost) }
        if hosts.isEmpty && minorVersion >= 1 { return .failure(.missingHost) }
        if let encoding = headers["transfer-encoding"] { return .failure(.unsupportedTransferEncoding(encoding)) }
        var contentLength = 0
        let lengths = headers.values(for: "content-length")
        if lengths.count > 1 { return .failure(.duplicateContentLength) }
        if let text = lengths.first {
            guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  let value = Int(text)
            else { return .failure(.invalidContentLength(text)) }
            contentLength = value
        }
        let tokens = headers.values(for: "connection")
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingOptionalWhitespace().lowercased() }
        let keepAlive = minorVersion >= 1 ? !tokens.contains("close") : tokens.contains("keep-alive")
        var expectsContinue = false
        if let expectation = headers["expect"] {
            guard expectation.lowercased() == "100-continue" else { return .failure(.unsupportedExpectation(expectation)) }
            expectsContinue = true
        }
        return .success(RequestHead(
            method: method, target: target, minorVersion: minorVersion, headers: headers,
            contentLength: contentLength, keepAlive: keepAlive, expectsContinue: expectsContinue
        ))
    }

    /// The index of the next CR LF at or after `from`, or `nil`.
    private static func findCRLF(_ buffer: [UInt8], from: Int) -> Int? {
        var index = from
        while index + 1 < buffer.count {
            if buffer[index] == ASCII.cr {
                if buffer[index + 1] == ASCII.lf { return index }
            }
            index += 1
        }
        return nil
    }
}
