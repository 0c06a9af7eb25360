import Foundation
import Testing
@testable import KeyformCLI

@Suite struct TimestampTests {
    @Test(arguments: [0, 951_782_400, 1_735_689_599, 1_767_225_600, 4_102_444_800])
    func writesWhatISO8601DateFormatterWrites(seconds: Int) {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        #expect(Timestamp.format(secondsSince1970: seconds) == formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds))))
    }

    @Test func nowIsAnInternetDateTimeInUTC() {
        let now = Timestamp.now()
        #expect(now.utf8.count == 20 && now.hasSuffix("Z") && ISO8601DateFormatter().date(from: now) != nil)
    }
}
