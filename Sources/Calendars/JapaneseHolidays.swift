import Foundation

/// One public holiday (祝日 or 休日) in Japan.
public struct Holiday: Hashable, Sendable, Codable, CustomStringConvertible {
    public let date: LocalDate
    /// The name as the law or the Cabinet Office writes it, e.g. "勤労感謝の日", "振替休日".
    public let nameJa: String
    public let nameEn: String

    public init(date: LocalDate, nameJa: String, nameEn: String) {
        self.date = date
        self.nameJa = nameJa
        self.nameEn = nameEn
    }

    /// A 振替休日: the day off that replaces a 国民の祝日 falling on a Sunday (from 1973-04-12).
    public var isSubstitute: Bool { nameJa == JapaneseHolidays.substituteJa }
    /// A 国民の休日: a day sandwiched between two 国民の祝日 (from 1985-12-27).
    public var isCitizensHoliday: Bool { nameJa == JapaneseHolidays.citizensJa }

    public var description: String { "\(date) \(nameJa)" }
}

/// Japanese public holidays computed from the Act on National Holidays (国民の祝日に関する法律,
/// 昭和23年法律第178号, in force 1948-07-20) and its amendments and special laws, for 1948 through 2099.
///
/// The rules, by kind:
/// - 国民の祝日 on fixed dates or on the Nth Monday ("Happy Monday", 2000– and 2003–), each with the years it
///   was in force; 春分の日 and 秋分の日 from the standard approximation of the equinox (valid 1900–2099);
///   the Olympic moves of 2020 and 2021; one-off days set by special laws (treated like 国民の祝日).
/// - 振替休日 (from 1973-04-12): a 国民の祝日 on a Sunday makes a day off; until 2006 the following day
///   (always a Monday), from 2007 the first following day that is not a 国民の祝日.
/// - 国民の休日 (from 1985-12-27): a day whose previous and next days are both 国民の祝日 is a day off,
///   unless it is a Sunday or a 振替休日. Saturdays count (e.g. 1991-05-04).
///
/// Years outside `supportedYears` have no holidays (`[]`); 1948 only has the holidays from 07-20 on.
public enum JapaneseHolidays {
    public static let supportedYears: ClosedRange<Int> = 1948...2099

    /// The day the Act came into force; nothing before it is a holiday.
    public static let actInForce = LocalDate(year: 1948, month: 7, day: 20)!
    /// 振替休日 exists for 国民の祝日 on or after this day.
    public static let substituteRuleStart = LocalDate(year: 1973, month: 4, day: 12)!
    /// From this day, a 振替休日 moves to the next day that is not a 国民の祝日 (not only to Monday).
    public static let substituteRule2007 = LocalDate(year: 2007, month: 1, day: 1)!
    /// 国民の休日 exists from this day.
    public static let citizensHolidayStart = LocalDate(year: 1985, month: 12, day: 27)!

    static let substituteJa = "振替休日"
    static let substituteEn = "Substitute Holiday"
    static let citizensJa = "国民の休日"
    static let citizensEn = "Citizens' Holiday"

    /// All holidays of the year, sorted by date. `[]` outside `supportedYears`.
    public static func holidays(in year: Int) -> [Holiday] {
        table.byYear[year] ?? []
    }

    /// The holiday on `date`, if any.
    public static func holiday(on date: LocalDate) -> Holiday? {
        table.byDay[date.dayNumber]
    }

    public static func isHoliday(_ date: LocalDate) -> Bool {
        table.byDay[date.dayNumber] != nil
    }

    /// All holidays in a closed range of dates, sorted.
    public static func holidays(from start: LocalDate, through end: LocalDate) -> [Holiday] {
        guard start <= end else { return [] }
        var result: [Holiday] = []
        for year in start.year...end.year {
            result += holidays(in: year).filter { $0.date >= start && $0.date <= end }
        }
        return result
    }

    // MARK: - Equinoxes

    /// Day of March of 春分の日 by the standard approximation (1900–2099), nil outside that range.
    /// 1900–1979: ⌊20.8357 + 0.242194(y−1980) − trunc((y−1983)/4)⌋; 1980–2099: 20.8431 and (y−1980)/4.
    /// The integer division truncates toward zero, as in the published formula.
    public static func vernalEquinoxDay(_ year: Int) -> Int? {
        equinox(year, old: 20.8357, new: 20.8431)
    }

    /// Day of September of 秋分の日 by the standard approximation (1900–2099), nil outside that range.
    /// 1900–1979: 23.2588 with (y−1983)/4; 1980–2099: 23.2488 with (y−1980)/4.
    public static func autumnalEquinoxDay(_ year: Int) -> Int? {
        equinox(year, old: 23.2588, new: 23.2488)
    }

    private static func equinox(_ year: Int, old: Double, new: Double) -> Int? {
        switch year {
        case 1900...1979:
            return Int(old + 0.242194 * Double(year - 1980)) - (year - 1983) / 4
        case 1980...2099:
            return Int(new + 0.242194 * Double(year - 1980) - Double((year - 1980) / 4))
        default:
            return nil
        }
    }

    // MARK: - Computation

    private struct Table: Sendable {
        var byYear: [Int: [Holiday]] = [:]
        var byDay: [Int: Holiday] = [:]
    }

    /// Computed once (Swift initialises static lets lazily and thread-safely); about 2,600 entries.
    private static let table: Table = {
        var t = Table()
        for year in supportedYears {
            let list = compute(year: year)
            t.byYear[year] = list
            for h in list { t.byDay[h.date.dayNumber] = h }
        }
        return t
    }()

    /// The 国民の祝日 (and days a special law treats as such) of a year, before substitutes.
    static func nationalHolidays(year y: Int) -> [Holiday] {
        var out: [Holiday] = []
        func add(_ month: Int, _ day: Int, _ ja: String, _ en: String) {
            guard let d = LocalDate(year: y, month: month, day: day), d >= actInForce else { return }
            out.append(Holiday(date: d, nameJa: ja, nameEn: en))
        }
        func mondayDay(_ month: Int, nth: Int) -> Int {
            let first = LocalDate(year: y, month: month, day: 1)!
            let offset = (1 - first.weekday + 7) % 7
            return 1 + offset + 7 * (nth - 1)
        }

        add(1, 1, "元日", "New Year's Day")

        if y >= 2000 {
            add(1, mondayDay(1, nth: 2), "成人の日", "Coming of Age Day")
        } else {
            add(1, 15, "成人の日", "Coming of Age Day")
        }

        if y >= 1967 { add(2, 11, "建国記念の日", "National Foundation Day") }

        if y >= 2020 { add(2, 23, "天皇誕生日", "The Emperor's Birthday") }

        if let d = vernalEquinoxDay(y) { add(3, d, "春分の日", "Vernal Equinox Day") }

        if y <= 1988 {
            add(4, 29, "天皇誕生日", "The Emperor's Birthday")
        } else if y <= 2006 {
            add(4, 29, "みどりの日", "Greenery Day")
        } else {
            add(4, 29, "昭和の日", "Showa Day")
        }

        add(5, 3, "憲法記念日", "Constitution Memorial Day")
        if y >= 2007 { add(5, 4, "みどりの日", "Greenery Day") }
        add(5, 5, "こどもの日", "Children's Day")

        switch y {
        case 1996...2002: add(7, 20, "海の日", "Marine Day")
        case 2020: add(7, 23, "海の日", "Marine Day")
        case 2021: add(7, 22, "海の日", "Marine Day")
        case 2003...: add(7, mondayDay(7, nth: 3), "海の日", "Marine Day")
        default: break
        }

        switch y {
        case 2020: add(8, 10, "山の日", "Mountain Day")
        case 2021: add(8, 8, "山の日", "Mountain Day")
        case 2016...: add(8, 11, "山の日", "Mountain Day")
        default: break
        }

        switch y {
        case 1966...2002: add(9, 15, "敬老の日", "Respect for the Aged Day")
        case 2003...: add(9, mondayDay(9, nth: 3), "敬老の日", "Respect for the Aged Day")
        default: break
        }

        if let d = autumnalEquinoxDay(y) { add(9, d, "秋分の日", "Autumnal Equinox Day") }

        switch y {
        case 1966...1999: add(10, 10, "体育の日", "Health and Sports Day")
        case 2000...2019: add(10, mondayDay(10, nth: 2), "体育の日", "Health and Sports Day")
        case 2020: add(7, 24, "スポーツの日", "Sports Day")
        case 2021: add(7, 23, "スポーツの日", "Sports Day")
        case 2022...: add(10, mondayDay(10, nth: 2), "スポーツの日", "Sports Day")
        default: break
        }

        add(11, 3, "文化の日", "Culture Day")
        add(11, 23, "勤労感謝の日", "Labor Thanksgiving Day")

        if (1989...2018).contains(y) { add(12, 23, "天皇誕生日", "The Emperor's Birthday") }

        // Days off set by special laws.
        switch y {
        case 1959: add(4, 10, "皇太子明仁親王の結婚の儀", "Wedding Ceremony of Crown Prince Akihito")
        case 1989: add(2, 24, "昭和天皇の大喪の礼", "Funeral Ceremony of Emperor Showa")
        case 1990: add(11, 12, "即位礼正殿の儀", "Enthronement Ceremony")
        case 1993: add(6, 9, "皇太子徳仁親王の結婚の儀", "Wedding Ceremony of Crown Prince Naruhito")
        case 2019:
            add(5, 1, "天皇の即位の日", "Day of the Emperor's Enthronement")
            add(10, 22, "即位礼正殿の儀", "Enthronement Ceremony")
        default: break
        }

        return out.sorted { $0.date < $1.date }
    }

    static func compute(year: Int) -> [Holiday] {
        guard supportedYears.contains(year) else { return [] }
        let national = nationalHolidays(year: year)
        let nationalDays = Set(national.map(\.date.dayNumber))
        var all = national

        // 振替休日.
        var substituteDays = Set<Int>()
        for h in national where h.date.weekday == 0 && h.date >= substituteRuleStart {
            var n = h.date.dayNumber + 1
            if h.date >= substituteRule2007 {
                while nationalDays.contains(n) { n += 1 }
            } else if nationalDays.contains(n) {
                continue  // cannot happen under the pre-2007 calendar; the law gave no further day
            }
            if substituteDays.insert(n).inserted {
                all.append(Holiday(date: LocalDate(dayNumber: n), nameJa: substituteJa, nameEn: substituteEn))
            }
        }

        // 国民の休日: between two 国民の祝日, not a Sunday, not already a 振替休日.
        for h in national {
            let n = h.date.dayNumber + 1
            let d = LocalDate(dayNumber: n)
            guard d >= citizensHolidayStart, d.year == year,
                  !nationalDays.contains(n), !substituteDays.contains(n),
                  nationalDays.contains(n + 1), d.weekday != 0 else { continue }
            all.append(Holiday(date: d, nameJa: citizensJa, nameEn: citizensEn))
        }

        return all.sorted { $0.date < $1.date }
    }
}
