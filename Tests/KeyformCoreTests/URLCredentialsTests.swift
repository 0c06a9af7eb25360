import KeyformCore
import Testing

@Suite struct URLCredentialsTests {
    @Test(arguments: [
        ("postgres://u:pw@127.0.0.1/db", "postgres://u:***@127.0.0.1/db"),
        ("https://user:p%40ss@h.example.com:8443/x?y=z@w", "https://user:***@h.example.com:8443/x?y=z@w"),
        ("postgres://only-user@h/db", "postgres://only-user@h/db"),
        ("http://127.0.0.1:8080/console", "http://127.0.0.1:8080/console"),
        ("a postgres://a:b@h and http://c:d@k/", "a postgres://a:***@h and http://c:***@k/"),
        ("keyform.state.json", "keyform.state.json"),
        ("s3://k:s@", "s3://k:***@"),
    ])
    func passwordsAreHiddenAndTheRestKept(_ text: String, _ shown: String) {
        #expect(URLCredentials.redacted(text) == shown)
    }

    @Test func passwordsInAFileShownUnderADiagnosticAreMaskedInPlace() {
        let text = #"{"state": {"backend": "postgres", "url": "postgres://u:secretpw@db.example.com/keyform"}, "x": "https://h/a:b@c"}"#
        let masked = String(decoding: URLCredentials.masked(Array(text.utf8)), as: UTF8.self)
        #expect(masked == #"{"state": {"backend": "postgres", "url": "postgres://u:********@db.example.com/keyform"}, "x": "https://h/a:b@c"}"#)
        #expect(masked.utf8.count == text.utf8.count)
    }
}
