import Testing

@Suite struct KeyformCLITestsPlaceholder {
    @Test func builds() { #expect(Bool(true)) }
}
