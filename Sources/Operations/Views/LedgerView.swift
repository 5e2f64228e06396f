import Foundation
import Spool

/// A custody ledger entry as `spool ledger --json` and `--csv` print it and the web's ledger endpoints
/// send it; field names are stable for scripts. One type for both, so the CLI's CSV and the web's CSV
/// can never drift apart.
public struct LedgerView: Codable, Sendable {
    public var id: Int64, batch: Int64, kind: String, vendor: String, account: String, file: String?
    public var size: Int64?, offset: Int64, length: Int64?, bytes: Int64, client: String?
    public var started_at: String?, ended_at: String?, outcome: String, detail: String?

    public init(_ e: LedgerEntry, zone: TimeZone) {
        id = e.id; batch = e.batch; kind = e.kind.rawValue; vendor = e.vendor; account = e.account; file = e.file
        size = e.size; offset = e.offset; length = e.length; bytes = e.bytes; client = e.client
        started_at = Timestamp.iso(e.startedAt, zone); ended_at = Timestamp.iso(e.endedAt, zone); outcome = e.outcome.rawValue
        detail = e.detail
    }

    /// The bytes asked for, as HTTP's Content-Range writes them: `bytes 0-1048575/7340032`.
    public var range: String? {
        guard let size, let length else { return nil }
        return length == 0 ? "bytes */\(size)" : "bytes \(offset)-\(offset + length - 1)/\(size)"
    }

    public static let csvHeader = "id,batch,kind,vendor,account,file,size,offset,length,bytes,client,started_at,ended_at,outcome,detail"

    public var csvLine: String {
        let cells: [String?] = [id.description, batch.description, kind, vendor, account, file, size?.description, offset.description,
                                length?.description, bytes.description, client, started_at, ended_at, outcome, detail]
        return cells.map { Self.csvField($0 ?? "") }.joined(separator: ",")
    }

    /// The whole CSV document: header, then one line per entry, each ending in a newline.
    public static func csv(_ views: [LedgerView]) -> String {
        ([csvHeader] + views.map(\.csvLine)).map { $0 + "\n" }.joined()
    }

    /// A CSV field (RFC 4180), quoted when it holds a comma, a quote or a line break.
    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
