/// Account and vendor names: what may appear in an audit row, a cookie-free URL and a role.
public enum AccountName {
    /// 1–64 of ASCII letters, digits, `.`, `_`, `-`, starting with a letter or digit.
    public static func isValid(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, (1...64).contains(name.unicodeScalars.count) else { return false }
        func allowed(_ c: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "." || c == "_" || c == "-"
        }
        return name.unicodeScalars.allSatisfy(allowed) && first != "." && first != "_" && first != "-"
    }

    public static let rule = "names are 1 to 64 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit"
}
