import Testing

@Suite struct KeyformJSONTestsPlaceholder {
    @Test func builds() { #expect(Bool(true)) }
}
