/// One calendar of Jobs/calendars/, as `calendar list --json` prints it.
public struct CalendarSummary: Codable, Sendable {
    public var name: String
    public var extends: String?
    public var description: String?
    public var valid: Bool
}
