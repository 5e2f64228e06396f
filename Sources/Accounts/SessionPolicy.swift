/// How long a web session lives: it ends after `idle` seconds without a request, and `absolute`
/// seconds after login whatever happens. Pure, with the clock passed in.
public struct SessionPolicy: Sendable, Equatable {
    public var idle: Double = 30 * 60
    public var absolute: Double = 12 * 3600

    public init(idle: Double = 30 * 60, absolute: Double = 12 * 3600) {
        self.idle = idle
        self.absolute = absolute
    }

    public func isLive(createdAt: Double, lastSeenAt: Double, now: Double) -> Bool {
        now < createdAt + absolute && now < lastSeenAt + idle && now >= createdAt - 60
    }
}
