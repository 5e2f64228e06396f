/// Where a spool batch is in its life: rendered → published → collected (vendor hand-off), or
/// rendered → printing → printed (local CUPS printers); any of them → purged. A rendered batch whose
/// directory a later render took over (`render --replace`) is `replaced`: its files are gone.
public enum BatchState: String, Codable, Sendable, CaseIterable {
    case rendered, published, collected, printing, printed, purged, replaced

    /// The states a batch may move to from this one.
    public var next: Set<BatchState> {
        switch self {
        case .rendered: return [.published, .printing, .purged, .replaced]
        case .published: return [.collected, .printing, .purged]
        case .collected: return [.printing, .purged]
        // A cancelled print returns the batch to where it was before printing.
        case .printing: return [.printing, .printed, .purged, .rendered, .published, .collected]
        case .printed: return [.printing, .purged]
        case .purged: return []
        // Nothing of it is left to print or publish; purging only records that.
        case .replaced: return [.purged]
        }
    }

    public func canMove(to s: BatchState) -> Bool { next.contains(s) }
}
