/// Groups consecutive elements with the same key, streaming: one notice per group.
///
/// Only neighbours are grouped, so the input must already be ordered (or at least clustered) by
/// key; a key that comes back later starts a new group. Memory is one group.
///
/// ```swift
/// let reader = try DelimitedReader(path: path)
/// let key = reader.header.index(of: "taxpayer_id")!
/// var notices = KeyGrouper(reader: reader, keyIndex: key)
/// while let records = try notices.next() { render(records) }
/// ```
///
/// If the underlying `next` throws, the group being collected is kept; calling `next()` again
/// continues it (so a reader that skips a bad record can go on).
public struct KeyGrouper<Element, Key: Equatable> {
    private let nextElement: () throws -> Element?
    private let key: (Element) -> Key
    private var current: [Element] = []
    private var currentKey: Key?
    private var done = false

    /// - Parameters:
    ///   - key: the grouping key of an element.
    ///   - next: yields the elements in order, `nil` at the end.
    public init(key: @escaping (Element) -> Key, next: @escaping () throws -> Element?) {
        self.key = key
        self.nextElement = next
    }

    /// The next group (never empty), or `nil` when the input is exhausted.
    public mutating func next() throws -> [Element]? {
        while !done {
            guard let element = try nextElement() else {
                done = true
                break
            }
            let k = key(element)
            if let currentKey, currentKey != k {
                let group = current
                current = [element]
                self.currentKey = k
                return group
            }
            currentKey = k
            current.append(element)
        }
        guard !current.isEmpty else { return nil }
        defer { current = []; currentKey = nil }
        return current
    }
}

extension KeyGrouper where Element == Record, Key == String {
    /// Groups a reader's records by the field at `keyIndex` (a record without that field has the
    /// key ""). Records with a `problem` are grouped like any other; filter them first with the
    /// closure initializer if they should go to rejects instead.
    public init(reader: some RecordReader, keyIndex: Int) {
        self.init(key: { $0[keyIndex] ?? "" }, next: { try reader.next() })
    }
}
