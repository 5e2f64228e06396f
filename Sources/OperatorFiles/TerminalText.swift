/// Text from operators' files and arguments, made safe to print in a message.
///
/// An ESC in a job name would colour or rewrite the operator's terminal, a newline would split one
/// message into two (and forge a second one), a bidi override would show a name reversed. Such
/// characters are written as escapes instead: `\n`, `\t`, `\r`, `\0`, otherwise `\u{1B}`.
extension String {
    /// The text with every control character (C0, DEL, C1) and bidi control escaped.
    public var escapingControls: String {
        guard unicodeScalars.contains(where: Self.needsEscape) else { return self }
        var out = ""
        for u in unicodeScalars {
            guard Self.needsEscape(u) else { out.unicodeScalars.append(u); continue }
            switch u {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\0": out += "\\0"
            default: out += "\\u{" + String(u.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out
    }

    /// Each line escaped on its own: for messages that are several lines on purpose (one diagnostic
    /// a line) but may carry user text.
    public var escapingControlsPerLine: String {
        split(separator: "\n", omittingEmptySubsequences: false).map { String($0).escapingControls }.joined(separator: "\n")
    }

    static func needsEscape(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        // Bidi marks, embeddings, overrides and isolates.
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        // Line and paragraph separators split lines in some terminals and editors.
        case 0x2028, 0x2029: return true
        default: return false
        }
    }
}
