import Foundation
import Spool

/// A batch as `spool list --json`, `spool show --json` and `GET /api/v1/batches` print it.
public struct BatchView: Codable, Sendable {
    public var id: Int64, form: String, state: String, pages: Int, notices: Int, records: Int, rejected: Int, volumes: Int
    public var input: String, input_sha256: String, directory: String, created_at: String?, user: String
    public var vendor: String?, published_path: String?, sums_sha256: String?, replaced_by: Int64?

    public init(_ b: Batch, zone: TimeZone) {
        id = b.id; form = b.form; state = b.state.rawValue; pages = b.pages; notices = b.notices; records = b.records
        rejected = b.rejected; volumes = b.volumes; input = b.input; input_sha256 = b.inputSHA256; directory = b.directory
        created_at = Timestamp.iso(b.createdAt, zone); user = b.user; vendor = b.vendor; published_path = b.publishedPath
        sums_sha256 = b.sumsSHA256; replaced_by = b.replacedBy
    }
}
