/// A satisfiable range of a representation's bytes, `first` through `last` inclusive, as HTTP's
/// Content-Range writes it.
public struct ByteRange: Equatable, Sendable {
    public let first: Int64
    public let last: Int64

    public init(first: Int64, last: Int64) {
        precondition(first >= 0 && last >= first, "a byte range runs forwards from 0")
        self.first = first
        self.last = last
    }

    /// How many bytes it holds.
    public var count: Int64 { last - first + 1 }

    /// `bytes 0-499/1234`.
    public func contentRange(of length: Int64) -> String { "bytes \(first)-\(last)/\(length)" }
}
