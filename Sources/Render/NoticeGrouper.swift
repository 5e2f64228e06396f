import Forms
import Records

/// Notices from records, one at a time: the records that make up each notice, in input order.
public protocol NoticeReader: AnyObject {
    var header: Header { get }
    /// The next notice's records (never empty), or `nil` at the end.
    func nextNotice() throws -> [Record]?
}

/// Cuts a record stream into notices: with `group_by`, consecutive records with the same value of
/// that column; without, one record each.
///
/// A row that could not be read properly (a wrong field count, bytes invalid in the encoding) must
/// not split its notice in two, nor let a notice go out without it. Its own `group_by` value is not
/// trusted, so it waits until the next well-formed record shows where it stands: between two records
/// of the same notice it belongs to that notice; a readable value naming the following notice starts
/// it; a readable value naming neither is a notice of its own. A row whose value cannot be read at all
/// and that sits between two notices could belong to either: both are rejected, saying why.
///
/// A `group_by` value that comes back after other notices is refused (the input is not grouped), as is
/// a `group_by` column the input does not have: rendering on would split a notice or print one notice
/// per record.
public final class NoticeGrouper: NoticeReader {
    public let header: Header
    let source: RecordReader
    let group: Int?
    let file: String
    /// The notice being collected and its key.
    var open: [Record] = []
    var openKey: String?
    /// Malformed rows after `open` whose notice is not known yet.
    var floating: [Record] = []
    /// Why the next notice must be rejected (an unreadable row just before it).
    var taintNext: String?
    /// First line of every closed notice's key: a key seen again is an ungrouped input.
    var seen: [String: Int] = [:]
    var ready: [[Record]] = []
    var finished = false

    public enum GroupError: Error, CustomStringConvertible {
        case keyAgain(file: String, column: String, key: String, line: Int, first: Int)
        case noColumn(file: String, column: String, form: String, formLine: Int, columns: [String])
        public var description: String {
            switch self {
            case let .keyAgain(file, column, key, line, first):
                return "\(file):\(line): \(column) \(key) comes back after other notices (first at line \(first)): group_by needs each notice's records together; sort the input by \(column) first. Nothing was rendered"
            case let .noColumn(file, column, form, formLine, columns):
                return "\(file): the input has no column \(column), which \(form):\(formLine) names in group_by; it has \(columns.joined(separator: ", "))"
            }
        }
    }

    public init(_ source: RecordReader, form: Form, file: String) throws {
        self.source = source
        header = source.header
        self.file = file
        if let by = form.groupBy {
            guard let g = source.header.index(of: by) else {
                throw GroupError.noColumn(file: file, column: by, form: form.file, formLine: form.groupByLine,
                                          columns: source.header.names)
            }
            group = g
        } else {
            group = nil
        }
    }

    /// The next record, with an undecodable one turned into a record with its problem (and whatever
    /// fields could be decoded), so that it is grouped and rejected like any malformed row.
    func nextRecord() throws -> Record? {
        do { return try source.next() } catch let e as RecordError where e.kind == .invalidEncoding {
            return Record(line: e.line, fields: e.record?.fields ?? [], problem: e.message)
        }
    }

    public func nextNotice() throws -> [Record]? {
        guard let g = group else {
            guard let r = try nextRecord() else { return nil }
            return [r]
        }
        while ready.isEmpty && !finished {
            guard let r = try nextRecord() else {
                finished = true
                advance(to: nil)
                break
            }
            if r.problem != nil {
                // Between two records of the open notice, or placed once the next good record shows.
                if let k = r[g], !k.isEmpty, k == openKey, floating.isEmpty { open.append(r) } else { floating.append(r) }
                continue
            }
            let key = r[g] ?? ""
            if key == openKey && !open.isEmpty {
                open += floating
                floating = []
                open.append(r)
                continue
            }
            advance(to: key)
            if let first = seen[key] {
                throw GroupError.keyAgain(file: file, column: header.names[g], key: key, line: r.line, first: first)
            }
            open.append(r)
            openKey = key
        }
        return ready.isEmpty ? nil : ready.removeFirst()
    }

    /// Closes the open notice before one keyed `next` (nil at the end), placing the rows that waited
    /// for it; leaves in `open` those that start the next notice.
    func advance(to next: String?) {
        guard let g = group else { return }
        var rows = floating
        floating = []
        // Rows up to the last that names the open notice belong to it.
        if let key = openKey, let last = rows.lastIndex(where: { $0[g] == key }) {
            open += rows[...last]
            rows = Array(rows[(last + 1)...])
        }
        // From the first row naming the next notice on, they start it.
        var startNext: [Record] = []
        if let next, let first = rows.firstIndex(where: { $0[g] == next }) {
            startNext = Array(rows[first...])
            rows = Array(rows[..<first])
        }
        var unreadable: [Record] = []
        for r in rows {
            if let k = r[g], !k.isEmpty {
                // A readable key naming neither neighbour: a notice of its own, rejected for its problem.
                closeOpen()
                open = [r]
            } else {
                unreadable.append(r)
            }
        }
        var why: String?
        if !unreadable.isEmpty {
            let lines = unreadable.map { String($0.line) }.joined(separator: ", ")
            why = "line \(lines) could not be read and may belong to this notice"
            open += unreadable
            taint(&open, why ?? "")
        }
        closeOpen()
        if next != nil, let why { taintNext = why }
        open = startNext
        openKey = nil
    }

    func closeOpen() {
        guard !open.isEmpty else { return }
        if let why = taintNext {
            taint(&open, why)
            taintNext = nil
        }
        if let k = openKey, seen[k] == nil { seen[k] = open[0].line }
        ready.append(open)
        open = []
        openKey = nil
    }

    /// Marks a notice's first record with `why`, so the whole notice is rejected with that reason.
    func taint(_ notice: inout [Record], _ why: String) {
        guard let first = notice.first else { return }
        let problem = first.problem.map { "\($0); \(why)" } ?? why
        notice[0] = Record(line: first.line, fields: first.fields, problem: problem)
    }
}
