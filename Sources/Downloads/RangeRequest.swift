/// What a request's `Range` header (RFC 9110 §14.2) asks of a representation of `length` bytes:
/// pure, so the web decides status and headers from it and the spool never sees HTTP.
///
/// Only the `bytes` unit and a single range are served. A request for several ranges is answered with
/// the whole representation (200), which RFC 9110 permits ("a server MAY ignore the Range header
/// field"): the clients that resume a broken download (curl -C, wget -c, browsers) ask for one range,
/// and a multipart/byteranges body would have neither one offset nor one length for the custody
/// ledger. A header that does not parse, or names another unit, is ignored the same way, as §14.2
/// requires. `If-Range` (§13.1.5) is honoured with a strong entity tag only; a date or weak tag, or a
/// tag that differs, sends the whole representation so a resumed download never mixes two versions.
public enum RangeRequest: Equatable, Sendable {
    /// 200 with the whole representation.
    case whole
    /// 206 with these bytes and `Content-Range: bytes first-last/length`.
    case partial(ByteRange)
    /// 416 with `Content-Range: bytes */length`: the range starts at or beyond the end.
    case unsatisfiable

    /// `header`: the Range field's value, nil when absent. `ifRange`: the If-Range field's value;
    /// `entityTag`: the representation's current strong ETag, quotes included (`"9f86d0…"`).
    public init(header: String?, length: Int64, ifRange: String? = nil, entityTag: String? = nil) {
        precondition(length >= 0)
        guard let header, let spec = Self.parse(header) else { self = .whole; return }
        if let ifRange {
            let tag = ifRange.trimmingOWS
            guard let entityTag, tag.hasPrefix("\""), tag == entityTag else { self = .whole; return }
        }
        switch spec {
        case let .from(first, last):
            guard first < length else { self = .unsatisfiable; return }
            self = .partial(ByteRange(first: first, last: min(last ?? Int64.max, length - 1)))
        case let .suffix(n):
            guard n > 0, length > 0 else { self = .unsatisfiable; return }
            self = .partial(ByteRange(first: max(0, length - n), last: length - 1))
        }
    }

    /// The response's status code.
    public var status: Int {
        switch self {
        case .whole: return 200
        case .partial: return 206
        case .unsatisfiable: return 416
        }
    }

    /// The Content-Range field for a representation of `length` bytes (none for a 200).
    public func contentRange(length: Int64) -> String? {
        switch self {
        case .whole: return nil
        case let .partial(r): return r.contentRange(of: length)
        case .unsatisfiable: return "bytes */\(length)"
        }
    }

    /// The bytes to send: where they start and how many.
    public func bytes(length: Int64) -> (offset: Int64, count: Int64)? {
        switch self {
        case .whole: return (0, length)
        case let .partial(r): return (r.first, r.count)
        case .unsatisfiable: return nil
        }
    }

    /// A strong entity tag for an opaque value such as a file's SHA-256: `"<value>"`.
    public static func entityTag(_ opaque: String) -> String { "\"\(opaque)\"" }

    enum Spec: Equatable {
        case from(Int64, Int64?)
        case suffix(Int64)
    }

    /// The one range of a `bytes=` specifier, or nil when it is not one valid single byte range
    /// (another unit, bad syntax, last before first, several ranges).
    static func parse(_ value: String) -> Spec? {
        let v = value.trimmingOWS
        guard let eq = v.firstIndex(of: "="), v[..<eq].lowercased() == "bytes" else { return nil }
        // A list: empty elements (`bytes=0-1,`) are allowed and skipped (RFC 9110 §5.6.1).
        let elements = v[v.index(after: eq)...].split(separator: ",", omittingEmptySubsequences: false)
            .map { Substring($0).trimmingOWS }.filter { !$0.isEmpty }
        guard elements.count == 1, let e = elements.first, let dash = e.firstIndex(of: "-") else { return nil }
        let before = e[..<dash], after = e[e.index(after: dash)...]
        if before.isEmpty {
            guard let n = number(after) else { return nil }
            return .suffix(n)
        }
        guard let first = number(before) else { return nil }
        if after.isEmpty { return .from(first, nil) }
        guard let last = number(after), last >= first else { return nil }
        return .from(first, last)
    }

    /// 1*DIGIT as a number, saturating at Int64.max (such a position is beyond any file); nil if not digits.
    static func number(_ s: Substring) -> Int64? {
        guard !s.isEmpty, s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        var n: Int64 = 0
        for d in s.utf8 {
            let (m, o1) = n.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(d - 0x30))
            if o1 || o2 { return Int64.max }
            n = a
        }
        return n
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (HTTP's OWS).
    var trimmingOWS: String {
        let isOWS: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isOWS($0) }), let end = lastIndex(where: { !isOWS($0) }) else { return "" }
        return String(self[start...end])
    }
}
