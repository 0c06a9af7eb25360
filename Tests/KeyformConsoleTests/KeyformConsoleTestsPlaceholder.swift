import Testing

@Suite struct KeyformConsoleTestsPlaceholder {
    @Test func builds() { #expect(Bool(true)) }
}
