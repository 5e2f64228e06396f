import Foundation
@testable import Operations
import Testing

/// The hand-written RFC 3339 writer prints exactly what ISO8601DateFormatter prints.
@Suite struct TimestampTests {
    @Test(arguments: ["Asia/Tokyo", "UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham"])
    func matchesFoundationsFormatter(zoneID: String) throws {
        let zone = try #require(TimeZone(identifier: zoneID))
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        var instants: [Double] = [0, -0.001, 1e9, 1_800_000_000.9995, 951_782_400, -86_400 * 400, 4_102_444_799.999]
        for _ in 0..<3000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            instants.append(Double(seed >> 20) / Double(1 << 44) * 4e9 - 1e9)
        }
        for t in instants {
            let expected = Timestamp.formatter(zone).string(from: Date(timeIntervalSince1970: t))
            #expect(Timestamp.iso(t, zone) == expected, "\(t) in \(zoneID)")
        }
    }
}
