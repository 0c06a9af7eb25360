import Testing

@Suite struct KeyformHTTPTestsPlaceholder {
    @Test func builds() { #expect(Bool(true)) }
}
