import Foundation
import Spool

/// A custody ledger entry as `spool ledger --json` and `--csv` print it; field names are stable for scripts.
struct LedgerView: Encodable {
    var id: Int64, batch: Int64, kind: String, vendor: String, account: String, file: String?
    var size: Int64?, offset: Int64, length: Int64?, bytes: Int64, client: String?
    var started_at: String?, ended_at: String?, outcome: String, detail: String?
    /// Its position in the list it was made from (for the table's times); not printed.
    var index = 0

    enum CodingKeys: String, CodingKey {
        case id, batch, kind, vendor, account, file, size, offset, length, bytes, client, started_at, ended_at, outcome, detail
    }

    init(_ e: LedgerEntry, zone: TimeZone, index: Int = 0) {
        id = e.id; batch = e.batch; kind = e.kind.rawValue; vendor = e.vendor; account = e.account; file = e.file
        size = e.size; offset = e.offset; length = e.length; bytes = e.bytes; client = e.client
        started_at = Output.iso(e.startedAt, zone); ended_at = Output.iso(e.endedAt, zone); outcome = e.outcome.rawValue
        detail = e.detail
        self.index = index
    }

    /// The bytes asked for, as HTTP's Content-Range writes them: `bytes 0-1048575/7340032`.
    var range: String? {
        guard let size, let length else { return nil }
        return length == 0 ? "bytes */\(size)" : "bytes \(offset)-\(offset + length - 1)/\(size)"
    }

    static let csvHeader = "id,batch,kind,vendor,account,file,size,offset,length,bytes,client,started_at,ended_at,outcome,detail"

    var csvLine: String {
        let cells: [String?] = [id.description, batch.description, kind, vendor, account, file, size?.description, offset.description,
                                length?.description, bytes.description, client, started_at, ended_at, outcome, detail]
        return cells.map { Output.csvField($0 ?? "") }.joined(separator: ",")
    }
}
