import Foundation
import Spool

/// A batch as its print vendor sees it: what to collect, without the city's paths, input or operators.
public struct VendorBatchView: Codable, Sendable {
    public var id: Int64
    public var form: String
    public var state: String
    public var notices: Int
    public var pages: Int
    public var volumes: Int
    public var renderedAt: String?
    public var sumsSHA256: String?

    enum CodingKeys: String, CodingKey {
        case id, form, state, notices, pages, volumes
        case renderedAt = "rendered_at", sumsSHA256 = "sums_sha256"
    }

    public init(_ b: Batch, zone: TimeZone) {
        id = b.id
        form = b.form
        state = b.state.rawValue
        notices = b.notices
        pages = b.pages
        volumes = b.volumes
        renderedAt = Timestamp.iso(b.createdAt, zone)
        sumsSHA256 = b.sumsSHA256
    }
}
