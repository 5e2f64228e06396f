import Forms
import Foundation
import OperatorFiles
import Records

/// Opens a form's input in the format it declares (or one given on the command line): CSV or TSV
/// with a header, fixed-length records with the form's byte layout, or JSON Lines.
public enum InputOpener {
    public static func open(path: String, form: Form, format: Form.Input.Format? = nil, encoding: String? = nil) throws -> RecordReader {
        let format = format ?? form.input.format
        let encodingName = encoding ?? form.input.encoding
        let input = form.positions["input"] ?? Form.Position(line: 1, column: 1)
        guard let enc = TextEncoding(name: encodingName) else {
            // The form's encoding is checked at load, so this one came from the command line.
            throw ValidationFailure([Diagnostic(file: form.file, line: input.line, column: input.column,
                                                message: "unknown encoding \(encodingName); use utf-8 or cp932")])
        }
        // Data must be a plain file: a named pipe would block, and the render reads the file twice (checksum, records).
        if let why = RegularFile.problem(path) {
            throw ValidationFailure([Diagnostic(file: path, line: 1, column: 1, message: "the data file \(why)")])
        }
        switch format {
        case .csv: return try DelimitedReader(path: path, format: .csv(enc))
        case .tsv: return try DelimitedReader(path: path, format: .tsv(enc))
        case .fixed:
            guard form.input.format == .fixed else {
                throw ValidationFailure([Diagnostic(file: form.file, line: input.line, column: input.column, message:
                    "the data is read as fixed-length records, but the form has no byte layout; add "
                    + "'input: { format: fixed, record_length: BYTES, fields: [...] }' to the form, or read the data as csv, tsv or jsonl")])
            }
            let layout: FixedLengthLayout
            do {
                layout = try FixedLengthLayout(recordLength: form.input.recordLength,
                                               fields: form.input.fields.map { FixedLengthLayout.Field($0.name, offset: $0.offset, length: $0.length) },
                                               encoding: enc, lineTerminated: form.input.lineTerminated)
            } catch {
                throw ValidationFailure([Diagnostic(file: form.file, line: input.line, column: input.column, message: "the input layout: \(error)")])
            }
            return try FixedLengthReader(path: path, layout: layout)
        case .jsonl: return try JSONLinesRecords(reader: JSONLinesReader(path: path), form: form)
        }
    }
}

/// JSON Lines as records: each line is a notice; when the form's details name an array (`from:`), each
/// element becomes one record of the notice (its fields over the line's), so grouping and detail
/// lines work as with CSV.
final class JSONLinesRecords: RecordReader {
    let reader: JSONLinesReader
    let header: Header
    let detailsFrom: String?
    var pending: [Record] = []

    init(reader: JSONLinesReader, form: Form) {
        self.reader = reader
        // Without a column list, every column the form uses (fields, key, group_by, …), not only the fields' values.
        let names = form.columns.map(\.name)
        header = Header(names: names.isEmpty ? Array(Set(form.columnUses.map(\.column))).sorted() : names)
        detailsFrom = form.details?.from
    }

    func next() throws -> Record? {
        if !pending.isEmpty { return pending.removeFirst() }
        guard let json = try reader.next() else { return nil }
        let rows = detailsFrom.flatMap { json.details[$0] } ?? []
        if rows.isEmpty { return Record(line: json.line, fields: header.names.map { json.fields[$0] ?? "" }) }
        pending = rows.map { detail in
            Record(line: json.line, fields: header.names.map { detail[$0] ?? json.fields[$0] ?? "" })
        }
        return pending.removeFirst()
    }
}
