import Foundation
import GRDB

/// One row of the custody ledger (情報管理台帳, `spool_ledger`): a download of a batch file (or of the
/// whole batch as one tar) or an acknowledgement, by a vendor's account. Only names, sizes, accounts and
/// addresses: never a notice's content or a taxpayer's data.
public struct LedgerEntry: Sendable, Encodable, FetchableRecord {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case download, acknowledgement
    }

    public enum Outcome: String, Codable, Sendable, CaseIterable {
        /// Recorded when the download began and not finished yet, by a process that is still alive.
        case inProgress = "in-progress"
        case completed
        /// The download ended before its last byte: the client went away, or the server died midway.
        case brokenOff = "broken-off"
        /// Not served or not accepted: no such batch for this vendor, a file not in its list, a checksum
        /// mismatch on acknowledgement.
        case refused
    }

    public var id: Int64
    public var kind: Kind
    /// The batch asked for (for a refusal, it may not exist or not be this vendor's).
    public var batch: Int64
    public var vendor: String
    public var account: String
    /// The file's name in the batch, or `batch-N.tar` for the whole batch; nil for an acknowledgement.
    public var file: String?
    /// The whole file's (or tar's) size in bytes.
    public var size: Int64?
    /// Where the bytes sent start (non-zero for a resumed download, HTTP Range).
    public var offset: Int64
    /// How many bytes were to be sent from `offset`.
    public var length: Int64?
    /// How many were sent.
    public var bytes: Int64
    public var client: String?
    public var startedAt: Double
    public var endedAt: Double?
    public var outcome: Outcome
    /// Why a refusal or a broken-off download ended so (file names and reasons only).
    public var detail: String?
    /// `pid:starttime` of the process serving an in-progress download (see `Spool+Ledger.swift`).
    var owner: String?
    /// When the bytes sent were last recorded.
    var updatedAt: Double

    public init(row: Row) throws {
        id = row["id"]; kind = Kind(rawValue: row["kind"]) ?? .download; batch = row["batch_id"]
        vendor = row["vendor"]; account = row["account"]; file = row["file"]; size = row["size"]
        offset = row["offset"]; length = row["length"]; bytes = row["bytes"]; client = row["client"]
        startedAt = row["started_at"]; endedAt = row["ended_at"]
        outcome = Outcome(rawValue: row["outcome"]) ?? .brokenOff
        detail = row["detail"]; owner = row["owner"]; updatedAt = row["updated_at"]
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, batch, vendor, account, file, size, offset, length, bytes, client
        case startedAt = "started_at", endedAt = "ended_at", outcome, detail
    }
}
