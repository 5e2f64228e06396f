/// One problem found in an operator's file, with where it is and what to do about it.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int
    public let message: String
    /// Errors make a file unusable; warnings are printed but change nothing (exit 0 if all are warnings).
    public let severity: Severity

    public enum Severity: String, Hashable, Sendable { case error, warning }

    public init(file: String, line: Int, column: Int, message: String, severity: Severity = .error) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.severity = severity
    }

    /// `file:line:column: error: message` (or `warning:`), the form editors and CI logs link to. Always one line:
    /// control characters from the file (a job name, a value) are escaped, never printed raw.
    public var description: String { "\(file.escapingControls):\(line):\(column): \(severity.rawValue): \(message.escapingControls)" }
}

/// Everything wrong with one or more files; nothing runs from a file that has any.
public struct ValidationFailure: Error, Sendable, CustomStringConvertible {
    public let diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
