import Forms
import Foundation
import Records

/// `render --sort FIELD…`: reads every record, keeps each notice's records together (by the form's
/// `group_by`), and replays notices ordered by the given fields of their first record — stable, and
/// numeric where both values are whole numbers. Sorting needs the whole input in memory, unlike the
/// streaming path; records the reader could not decode are passed on first, as rejects.
public final class SortedRecords: RecordReader {
    public let header: Header
    var records: [Record] = []
    var errors: [RecordError] = []
    var position = 0

    public convenience init(_ source: RecordReader, form: Form, by fields: [String]) throws {
        let keys = try fields.map { f -> Int in
            guard let i = source.header.index(of: f) else {
                throw RecordError(.invalidConfiguration, file: form.file, line: 0,
                                  message: "--sort \(f): the input has no such column; it has \(source.header.names.joined(separator: ", "))")
            }
            return i
        }
        try self.init(source, form: form) { r in keys.map { i in i < r.fields.count ? r.fields[i] : "" } }
    }

    /// The postal order of a form's `mail:`: delivery office, then postal code.
    public convenience init(_ source: RecordReader, form: Form, mail: Mail) throws {
        guard let p = source.header.index(of: mail.postalColumn) else {
            throw RecordError(.invalidConfiguration, file: form.file, line: 0,
                              message: "mail: the input has no column \(mail.postalColumn) to sort by")
        }
        try self.init(source, form: form) { r in
            let postal = p < r.fields.count ? r.fields[p].filter { $0.isASCII && $0.isNumber } : ""
            return [mail.office(postalCode: postal), postal]
        }
    }

    /// Notices ordered by `key` of their first record: stable, numeric where both values are whole numbers.
    init(_ source: RecordReader, form: Form, key: (Record) -> [String]) throws {
        header = source.header
        let group = form.groupBy.flatMap { source.header.index(of: $0) }
        var notices: [[Record]] = []
        while true {
            do {
                guard let r = try source.next() else { break }
                if let g = group, let last = notices.last?.first, g < r.fields.count, g < last.fields.count, r.fields[g] == last.fields[g] {
                    notices[notices.count - 1].append(r)
                } else {
                    notices.append([r])
                }
            } catch let e as RecordError where e.kind == .invalidEncoding {
                errors.append(e)
            }
        }
        let keyed = notices.map { key($0[0]) }
        let ordered = notices.indices.sorted { a, b in
            for (x, y) in zip(keyed[a], keyed[b]) where x != y {
                if let xi = Int64(x), let yi = Int64(y) { return xi < yi }
                return x < y
            }
            return a < b
        }
        records = ordered.flatMap { notices[$0] }
    }

    public func next() throws -> Record? {
        if !errors.isEmpty { throw errors.removeFirst() }
        guard position < records.count else { return nil }
        defer { position += 1 }
        return records[position]
    }
}
