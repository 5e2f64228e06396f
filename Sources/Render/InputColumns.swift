import Forms
import OperatorFiles

/// Checks, once the input's header is known and before any record is read, that it has every column
/// the form (and `--sort`) takes from a record. A CSV or TSV header is the data's own: the data file is
/// blamed at its header line, naming where the form uses the column. A fixed-length or JSON Lines
/// header comes from the form itself, so the form is blamed at the line that uses the column.
public enum InputColumns {
    public static func problems(form: Form, header: [String], dataFile: String, headerFromData: Bool, sort: [String] = []) -> [Diagnostic] {
        let have = Set(header)
        let listed = header.isEmpty ? "none" : header.joined(separator: ", ")
        var out: [Diagnostic] = []
        var reported: Set<String> = []
        for use in form.columnUses where !have.contains(use.column) && !reported.contains(use.column) {
            reported.insert(use.column)
            let p = use.position
            if headerFromData {
                out.append(Diagnostic(file: dataFile, line: 1, column: 1, message:
                    "the header has no column '\(use.column)', which \(use.what) uses (\(form.file):\(p.line):\(p.column)); "
                    + "its columns are \(listed). Add the column to the data, or correct the form"))
            } else {
                out.append(Diagnostic(file: form.file, line: p.line, column: p.column, message:
                    "\(use.what) uses the column '\(use.column)', which the form's input layout does not provide (it has \(listed)); "
                    + "add it to 'input: fields' or 'columns'"))
            }
        }
        for field in sort where !have.contains(field) {
            out.append(Diagnostic(file: headerFromData ? dataFile : form.file, line: 1, column: 1, message:
                "--sort \(field): the input has no such column; its columns are \(listed)"))
        }
        return out
    }
}
