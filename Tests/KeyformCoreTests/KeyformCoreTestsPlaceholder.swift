import Testing

@Suite struct KeyformCoreTestsPlaceholder {
    @Test func builds() { #expect(Bool(true)) }
}
