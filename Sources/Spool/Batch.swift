import Foundation
import GRDB

/// One render's output as the spool sees it: a row of `spool_batches`.
public struct Batch: Sendable, Encodable, FetchableRecord {
    public var id: Int64
    public var form: String
    public var input: String
    public var inputSHA256: String
    public var directory: String
    public var state: BatchState
    public var records: Int
    public var notices: Int
    public var rejected: Int
    public var pages: Int
    public var volumes: Int
    public var createdAt: Double
    public var user: String
    public var vendor: String?
    public var publishedPath: String?
    /// SHA-256 of the SHA256SUMS the render wrote (nil for batches recorded before it was kept).
    public var sumsSHA256: String?
    /// The later batch rendered into the same directory, which now holds its files.
    public var replacedBy: Int64?

    public init(row: Row) throws {
        id = row["id"]; form = row["form"]; input = row["input"]; inputSHA256 = row["input_sha256"]
        directory = row["directory"]; state = BatchState(rawValue: row["state"]) ?? .rendered
        records = row["records"]; notices = row["notices"]; rejected = row["rejected"]; pages = row["pages"]
        volumes = row["volumes"]; createdAt = row["created_at"]; user = row["user"]
        vendor = row["vendor"]; publishedPath = row["published_path"]
        sumsSHA256 = row["sums_sha256"]; replacedBy = row["replaced_by"]
    }

    enum CodingKeys: String, CodingKey {
        case id, form, input, inputSHA256 = "input_sha256", directory, state, records, notices, rejected, pages, volumes
        case createdAt = "created_at", user, vendor, publishedPath = "published_path"
        case sumsSHA256 = "sums_sha256", replacedBy = "replaced_by"
    }

    /// The name of the batch's directory in a vendor outbox.
    public var outboxName: String { "batch-\(id)" }
}

/// One recorded state change of a batch (`spool_events`).
public struct BatchEvent: Sendable, Encodable, FetchableRecord {
    public var at: Double
    public var state: String
    public var user: String
    public var detail: String?

    public init(row: Row) throws {
        at = row["at"]; state = row["state"]; user = row["user"]; detail = row["detail"]
    }
}
