/// The parts of a path an operator typed, split on "/" by hand: NSString's path methods trap on
/// some inputs (`deletingLastPathComponent` of a one-letter name crashed `render --out X`).
public enum PathName {
    /// The directory part: "a/b" → "a", "b" → ".", "/b" → "/", "a/b/" → "a".
    public static func parent(_ path: String) -> String {
        var p = Substring(path)
        while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
        guard let slash = p.lastIndex(of: "/") else { return "." }
        let head = p[..<slash]
        if head.isEmpty { return "/" }
        var trimmed = head
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }

    /// The last component: "a/b.yaml" → "b.yaml", "a/b/" → "b", "/" → "/".
    public static func base(_ path: String) -> String {
        var p = Substring(path)
        while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
        if p == "/" { return "/" }
        guard let slash = p.lastIndex(of: "/") else { return String(p) }
        return String(p[p.index(after: slash)...])
    }

    /// The last component without its extension: "Jobs/a.yaml" → "a", ".hidden" → ".hidden".
    public static func stem(_ path: String) -> String {
        let b = base(path)
        guard let dot = b.lastIndex(of: "."), dot != b.startIndex else { return b }
        return String(b[..<dot])
    }
}
