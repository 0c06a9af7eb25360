import Testing

@Suite struct KeyformHTTPServerTestsPlaceholder {
    @Test func builds() { #expect(Bool(true)) }
}
