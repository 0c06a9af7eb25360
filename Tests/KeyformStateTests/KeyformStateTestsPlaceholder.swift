import Testing

@Suite struct KeyformStateTestsPlaceholder {
    @Test func builds() { #expect(Bool(true)) }
}
