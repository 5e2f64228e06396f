/// One Japanese public holiday, as `calendar holidays YEAR --json` prints it.
public struct HolidayView: Codable, Sendable {
    public var date: String
    public var weekday: String
    public var nameJa: String
    public var nameEn: String
    public var kind: String
    enum CodingKeys: String, CodingKey { case date, weekday, kind, nameJa = "name_ja", nameEn = "name_en" }
}
