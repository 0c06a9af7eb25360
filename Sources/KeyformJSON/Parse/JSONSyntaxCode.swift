/// The stable codes of JSON syntax diagnostics. A code never changes meaning once released.
///
/// | code  | meaning |
/// | ----- | ------- |
/// | KF100 | the file cannot be read (used by commands that read JSON files) |
/// | KF101 | unexpected end of input (empty document, unclosed string escape, container or key) |
/// | KF102 | data after the document's single value |
/// | KF103 | missing ',' (or closing bracket) after an object member or array element |
/// | KF104 | expected a value: a stray character, a single-quoted string, `NaN`, `True`, … |
/// | KF105 | expected a double-quoted string as an object key |
/// | KF106 | expected ':' after an object key |
/// | KF107 | invalid number (leading zero, missing digits, '+' or '.' first) |
/// | KF108 | unterminated string (no closing '"' before the end of the input) |
/// | KF109 | duplicate key in an object (an error for everything Keyform reads) |
/// | KF110 | nesting deeper than `JSONDocument.maximumDepth` (512) levels |
/// | KF111 | unescaped control character (U+0000–U+001F) in a string |
/// | KF112 | invalid escape sequence in a string |
/// | KF113 | invalid UTF-8 (bad byte, overlong form, encoded surrogate, truncated sequence, UTF-16 input) |
/// | KF114 | trailing comma before '}' or ']' |
/// | KF115 | `\u` escape of a lone surrogate (one half of a pair only) |
/// | KF116 | byte order mark at the start of the input |
/// | KF117 | comment (JSON has none) |
/// | KF118 | the file cannot be written (used by `keyform fmt`) |
/// | KF119 | input beyond the parser's limits (4 GiB input, 2^28 − 1 values or bytes in one string) |
public enum JSONSyntaxCode {
    public static let unreadable = "KF100"
    public static let unexpectedEnd = "KF101"
    public static let trailingData = "KF102"
    public static let missingComma = "KF103"
    public static let expectedValue = "KF104"
    public static let expectedKey = "KF105"
    public static let expectedColon = "KF106"
    public static let invalidNumber = "KF107"
    public static let unterminatedString = "KF108"
    public static let duplicateKey = "KF109"
    public static let tooDeep = "KF110"
    public static let controlCharacter = "KF111"
    public static let invalidEscape = "KF112"
    public static let invalidUTF8 = "KF113"
    public static let trailingComma = "KF114"
    public static let loneSurrogate = "KF115"
    public static let byteOrderMark = "KF116"
    public static let comment = "KF117"
    public static let unwritable = "KF118"
    public static let tooLarge = "KF119"
}

/// What the scanner found wrong, with byte offsets; turned into a `JSONSyntaxError` or a
/// located `Diagnostic` by the callers.
struct ScanFailure: Error {
    var code: String
    var message: String
    var offset: Int
    var length: Int = 1
    var help: String?
    /// A second place worth showing (the bracket that opened an unclosed container).
    var note: (message: String, offset: Int)?
}
