import Forms
import Foundation
import Records

/// `render --sort FIELD…`: reads every record, keeps each notice's records together (by the form's
/// `group_by`), and replays notices ordered by the given fields of their first record — stable, whole
/// numbers by value and before text. Records the reader could not decode are passed on
/// first, as rejects.
///
/// Memory is bounded: notices are held up to a budget (about 48 MB); a larger input is sorted in
/// chunks of that size, each written as a run to a private temporary directory,
/// and the runs are merged as `next()` is called. Input that fits the budget is sorted in memory
/// without touching the disk. The run files are unlinked as soon as they are created, so nothing
/// with personal data outlives the process, and the directory is removed at the end, on error and
/// when the reader is dropped.
public final class SortedRecords: RecordReader {
    public let header: Header
    var errors: [RecordError] = []
    var errorPosition = 0
    /// Notices in order: the sorted chunk, or the merge of the runs.
    var notices: NoticeSource?
    var current: [Record] = []
    var position = 0
    /// Where the runs live, while they do; `nil` for an in-memory sort.
    var spill: SpillDirectory?

    /// How much is sorted in memory, and where runs go; tests set these small.
    struct Limits {
        /// Approximate bytes of notices held before the chunk is written out as a run.
        var bytes = 48 << 20
        /// Runs merged at once: bounds open files and read buffers (fanIn × 128 KB).
        var fanIn = 64
        /// Parent of the private temporary directory; `nil`: `$TMPDIR`.
        var directory: String?
    }

    /// `temporaryDirectory`: where runs go (`render` uses the output's parent, on the disk the operator
    /// chose for the output, rather than a /tmp that may be memory); `nil`: `$TMPDIR`.
    public convenience init(_ source: RecordReader, form: Form, by fields: [String], temporaryDirectory: String? = nil, inputName: String = "the input") throws {
        try self.init(source, form: form, by: fields, limits: Limits(directory: temporaryDirectory), inputName: inputName)
    }

    /// The postal order of a form's `mail:`: delivery office, then postal code.
    public convenience init(_ source: RecordReader, form: Form, mail: Mail, temporaryDirectory: String? = nil, inputName: String = "the input") throws {
        try self.init(source, form: form, mail: mail, limits: Limits(directory: temporaryDirectory), inputName: inputName)
    }

    convenience init(_ source: RecordReader, form: Form, by fields: [String], limits: Limits, inputName: String = "the input") throws {
        let keys = try fields.map { f -> Int in
            guard let i = source.header.index(of: f) else {
                throw RecordError(.invalidConfiguration, file: inputName, line: 1,
                                  message: "--sort \(f): the input has no such column; it has \(source.header.names.joined(separator: ", "))")
            }
            return i
        }
        try self.init(source, form: form, limits: limits) { r in keys.map { i in i < r.fields.count ? r.fields[i] : "" } }
    }

    convenience init(_ source: RecordReader, form: Form, mail: Mail, limits: Limits, inputName: String = "the input") throws {
        guard let p = source.header.index(of: mail.postalColumn) else {
            let p = form.positions["mail.postal_code"] ?? Form.Position(line: 1, column: 1)
            throw RecordError(.invalidConfiguration, file: inputName, line: 1,
                              message: "the input has no column \(mail.postalColumn), which the form's mail sorts by (\(form.file):\(p.line):\(p.column))")
        }
        try self.init(source, form: form, limits: limits) { r in
            let postal = p < r.fields.count ? r.fields[p].filter { $0.isASCII && $0.isNumber } : ""
            return [mail.office(postalCode: postal), postal]
        }
    }

    /// Notices ordered by `key` of their first record: stable, whole numbers by value and before text.
    init(_ source: RecordReader, form: Form, limits: Limits, key: (Record) -> [String]) throws {
        header = source.header
        let group = form.groupBy.flatMap { source.header.index(of: $0) }
        let fanIn = max(2, limits.fanIn)
        var chunk: [Notice] = []
        var chunkBytes = 0
        var open: [Record] = []
        var openBytes = 0
        var sequence = 0
        // Runs by how many merges made them: merging only runs of one level keeps every record's
        // number of rewrites logarithmic, and open files below fanIn per level.
        var levels: [[RunReader]] = []

        func spillChunk() throws {
            let directory = try spill ?? SpillDirectory(parent: limits.directory)
            spill = directory
            var writer = try RunWriter(file: directory.create())
            for i in Notice.order(chunk) { try writer.append(chunk[i]) }
            chunk = []
            chunkBytes = 0
            var run = try writer.finish()
            var level = 0
            while true {
                if levels.count == level { levels.append([]) }
                levels[level].append(run)
                guard levels[level].count == fanIn else { break }
                var merged = try RunWriter(file: directory.create())
                let merge = try Merge(levels[level])
                while let notice = try merge.next() { try merged.append(notice) }
                levels[level] = []
                run = try merged.finish()
                level += 1
            }
        }
        func closeNotice() throws {
            guard let first = open.first else { return }
            chunk.append(Notice(key: SortKey(key(first)), sequence: sequence, records: open))
            sequence += 1
            chunkBytes += openBytes + 96
            open = []
            openBytes = 0
            if chunkBytes > limits.bytes { try spillChunk() }
        }

        while true {
            do {
                guard let r = try source.next() else { break }
                var sameNotice = false
                if let g = group, let first = open.first, g < r.fields.count, g < first.fields.count {
                    sameNotice = r.fields[g] == first.fields[g]
                }
                if !sameNotice { try closeNotice() }
                open.append(r)
                openBytes += Self.cost(r)
            } catch let e as RecordError where e.kind == .invalidEncoding {
                errors.append(e)
            }
        }
        try closeNotice()
        if spill == nil {
            notices = InMemoryRun(chunk, order: Notice.order(chunk))
        } else {
            if !chunk.isEmpty { try spillChunk() }
            notices = try Merge(levels.flatMap { $0 })
        }
    }

    /// Roughly what a record takes in memory: the record and its array, plus each field's storage
    /// (strings of up to 15 UTF-8 bytes live inline).
    static func cost(_ r: Record) -> Int {
        var bytes = 64 + 16 * r.fields.count + (r.problem.map { $0.utf8.count + 32 } ?? 0)
        for f in r.fields {
            let n = f.utf8.count
            if n > 15 { bytes += n + 32 }
        }
        return bytes
    }

    /// The private temporary directory while runs exist (for tests).
    var temporaryDirectory: String? { spill?.path }

    public func next() throws -> Record? {
        if errorPosition < errors.count {
            defer { errorPosition += 1 }
            throw errors[errorPosition]
        }
        while position == current.count {
            guard let source = notices, let notice = try source.next() else {
                // Done: close the runs and remove the directory now rather than when dropped.
                notices = nil
                spill?.remove()
                spill = nil
                current = []
                position = 0
                return nil
            }
            current = notice.records
            position = 0
        }
        defer { position += 1 }
        return current[position]
    }
}

/// The sort key of a notice, with each value's whole number parsed once rather than on every comparison.
struct SortKey {
    let values: [String]
    let numbers: [Int64?]

    init(_ values: [String]) {
        self.values = values
        numbers = values.map { Int64($0) }
    }

    /// -1, 0 or 1, field by field: whole numbers by value and before any text, text by its Unicode
    /// order. A total order, as a merge of sorted runs needs: with "2" < "10" by number but "10" < "1a"
    /// < "2" by text, the order of a mixed column would depend on how the input was cut into runs.
    /// Numerically equal values ("7", "007") are equal and leave the decision to the next field.
    func compare(_ other: SortKey) -> Int {
        for i in 0..<min(values.count, other.values.count) where values[i] != other.values[i] {
            switch (numbers[i], other.numbers[i]) {
            case let (x?, y?): if x != y { return x < y ? -1 : 1 }
            case (_?, nil): return -1
            case (nil, _?): return 1
            case (nil, nil): return values[i] < other.values[i] ? -1 : 1
            }
        }
        return 0
    }
}

/// One notice: its records, its key, and its place in the input (for stability across runs).
struct Notice {
    let key: SortKey
    let sequence: Int
    let records: [Record]

    static func precedes(_ a: Notice, _ b: Notice) -> Bool {
        let c = a.key.compare(b.key)
        return c != 0 ? c < 0 : a.sequence < b.sequence
    }

    /// Indices of `notices` (in input order) in sorted order. Sorting indices rather than the notices
    /// themselves spares the reference counting of moving three arrays per element.
    static func order(_ notices: [Notice]) -> [Int] {
        notices.indices.sorted { a, b in
            let c = notices[a].key.compare(notices[b].key)
            return c != 0 ? c < 0 : a < b
        }
    }
}

protocol NoticeSource: AnyObject {
    func next() throws -> Notice?
}

final class InMemoryRun: NoticeSource {
    let notices: [Notice]
    let order: [Int]
    var position = 0

    init(_ notices: [Notice], order: [Int]) {
        self.notices = notices
        self.order = order
    }

    func next() throws -> Notice? {
        guard position < order.count else { return nil }
        defer { position += 1 }
        return notices[order[position]]
    }
}

/// Runs merged by a binary min-heap of their first unread notice.
final class Merge: NoticeSource {
    struct Head {
        let notice: Notice
        let run: Int
    }
    let runs: [NoticeSource]
    var heap: [Head] = []

    init(_ runs: [NoticeSource]) throws {
        self.runs = runs
        heap.reserveCapacity(runs.count)
        for (i, run) in runs.enumerated() {
            if let n = try run.next() { push(Head(notice: n, run: i)) }
        }
    }

    func next() throws -> Notice? {
        guard let top = heap.first else { return nil }
        if let n = try runs[top.run].next() {
            heap[0] = Head(notice: n, run: top.run)
        } else {
            let last = heap.removeLast()
            guard !heap.isEmpty else { return top.notice }
            heap[0] = last
        }
        siftDown(0)
        return top.notice
    }

    private func push(_ h: Head) {
        heap.append(h)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Notice.precedes(heap[i].notice, heap[parent].notice) else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    private func siftDown(_ start: Int) {
        var i = start
        while true {
            let l = 2 * i + 1, r = l + 1
            var least = i
            if l < heap.count, Notice.precedes(heap[l].notice, heap[least].notice) { least = l }
            if r < heap.count, Notice.precedes(heap[r].notice, heap[least].notice) { least = r }
            guard least != i else { return }
            heap.swapAt(i, least)
            i = least
        }
    }
}

/// A private directory (mode 0700, from mkdtemp) for the runs; removed on `remove()` or when dropped.
final class SpillDirectory {
    let path: String
    private var count = 0
    private var removed = false

    init(parent: String?) throws {
        var base = parent ?? FileManager.default.temporaryDirectory.path
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        // Hidden: beside a render's output it must not look like part of it.
        var template = Array("\(base)/.nightjar-sort-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw RecordError(.io, file: base, line: 0,
                              message: "could not create a directory for sorting in \(base) (\(String(cString: strerror(errno)))); make it writable, or choose an --out on a writable disk")
        }
        path = String(cString: made)
    }

    /// A new, empty run file (mode 0600), already unlinked: it lives only as long as its descriptor,
    /// so a killed process leaves no personal data behind.
    func create() throws -> RunFile {
        count += 1
        let name = "\(path)/run-\(count)"
        let fd = open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw RunFile.failure("could not create \(name)") }
        let file = RunFile(fd: fd, name: name)
        guard unlink(name) == 0 else { throw RunFile.failure("could not unlink \(name)") }
        return file
    }

    func remove() {
        guard !removed else { return }
        removed = true
        try? FileManager.default.removeItem(atPath: path)
    }

    deinit { remove() }
}

/// An open, unlinked run file.
final class RunFile {
    let fd: Int32
    let name: String

    init(fd: Int32, name: String) {
        self.fd = fd
        self.name = name
    }

    deinit { close(fd) }

    static func failure(_ what: String) -> RecordError {
        RecordError(.io, file: what, line: 0,
                    message: "sorting: \(what): \(String(cString: strerror(errno))); free space there (about the input's size is needed) or choose an --out on a larger disk")
    }
}

/// Writes notices to a run. Format (integers as unsigned LEB128 varints, strings as byte count + UTF-8):
/// key count, keys, sequence, record count, then per record: zigzag line, problem (0 for none, else
/// byte count + 1, then UTF-8), field count, fields.
struct RunWriter {
    let file: RunFile
    var buffer: [UInt8] = []

    init(file: RunFile) {
        self.file = file
        buffer.reserveCapacity(1 << 20 + 4096)
    }

    mutating func append(_ n: Notice) throws {
        put(UInt64(n.key.values.count))
        for v in n.key.values { put(v) }
        put(UInt64(n.sequence))
        put(UInt64(n.records.count))
        for r in n.records {
            let line = Int64(r.line)
            put(UInt64(bitPattern: (line << 1) ^ (line >> 63)))
            if let p = r.problem {
                var p = p
                p.withUTF8 { bytes in
                    put(UInt64(bytes.count) + 1)
                    buffer.append(contentsOf: bytes)
                }
            } else {
                put(0)
            }
            put(UInt64(r.fields.count))
            for f in r.fields { put(f) }
        }
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Everything written, the file rewound for reading.
    mutating func finish() throws -> RunReader {
        try flush()
        guard lseek(file.fd, 0, SEEK_SET) == 0 else { throw RunFile.failure("could not rewind \(file.name)") }
        return RunReader(file: file)
    }

    private mutating func put(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            buffer.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        buffer.append(UInt8(v))
    }

    private mutating func put(_ s: String) {
        var s = s
        s.withUTF8 { bytes in
            put(UInt64(bytes.count))
            buffer.append(contentsOf: bytes)
        }
    }

    private mutating func flush() throws {
        let fd = file.fd
        let name = file.name
        try buffer.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let n = write(fd, base + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw RunFile.failure("could not write \(name)") }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Reads a run back through a 128 KB buffer, one notice at a time.
final class RunReader: NoticeSource {
    let file: RunFile
    var buffer = [UInt8](repeating: 0, count: 128 << 10)
    var start = 0
    var end = 0

    /// The file's size and the bytes read from it so far: no count or length may exceed what is left.
    let size: Int
    var readSoFar = 0

    init(file: RunFile) {
        self.file = file
        var info = stat()
        size = fstat(file.fd, &info) == 0 ? Int(info.st_size) : Int.max
    }

    func next() throws -> Notice? {
        if start == end {
            try fill(atLeast: 1, endOK: true)
            if start == end { return nil }
        }
        let keyCount = try count()
        var keys: [String] = []
        keys.reserveCapacity(keyCount)
        for _ in 0..<keyCount { keys.append(try string(try count())) }
        // The input position, not a length: bounded only by what an Int holds.
        let z = try varint()
        guard z <= UInt64(Int.max) else { throw corrupt() }
        let sequence = Int(z)
        let recordCount = try count()
        var records: [Record] = []
        records.reserveCapacity(recordCount)
        for _ in 0..<recordCount {
            let z = try varint()
            let line = Int64(bitPattern: (z >> 1) ^ (0 &- (z & 1)))
            let p = try count()
            var problem: String?
            if p > 0 { problem = try string(p - 1) }
            let fieldCount = try count()
            var fields: [String] = []
            fields.reserveCapacity(fieldCount)
            for _ in 0..<fieldCount { fields.append(try string(try count())) }
            records.append(Record(line: Int(truncatingIfNeeded: line), fields: fields, problem: problem))
        }
        return Notice(key: SortKey(keys), sequence: sequence, records: records)
    }

    private func corrupt() -> RecordError {
        RecordError(.io, file: file.name, line: 0, message: "sorting: a temporary run file is truncated or corrupt")
    }

    private func varint() throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            if start == end { try fill(atLeast: 1, endOK: false) }
            let b = buffer[start]
            start += 1
            value |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return value }
            shift += 7
            guard shift < 64 else { throw corrupt() }
        }
    }

    /// A count or length, checked against the bytes left in the file (every element takes at least
    /// one), so that a corrupt file cannot ask for an absurd allocation.
    private func count() throws -> Int {
        let v = try varint()
        guard v <= UInt64(max(0, size - readSoFar + (end - start))) else { throw corrupt() }
        return Int(v)
    }

    private func string(_ length: Int) throws -> String {
        if end - start < length { try fill(atLeast: length, endOK: false) }
        defer { start += length }
        return buffer.withUnsafeBufferPointer { b in
            String(decoding: UnsafeBufferPointer(rebasing: b[start..<start + length]), as: UTF8.self)
        }
    }

    /// Moves the unread bytes to the front and reads until at least `needed` are buffered (growing
    /// the buffer for a field larger than it); the end of the file is an error unless `endOK`.
    private func fill(atLeast needed: Int, endOK: Bool) throws {
        if start > 0 {
            let unread = end - start
            buffer.withUnsafeMutableBytes { b in
                guard let base = b.baseAddress else { return }
                memmove(base, base + start, unread)
            }
            start = 0
            end = unread
        }
        if buffer.count < needed { buffer.append(contentsOf: repeatElement(0, count: needed - buffer.count)) }
        let fd = file.fd
        while end < needed {
            let n = buffer.withUnsafeMutableBytes { b in
                b.baseAddress.map { read(fd, $0 + end, b.count - end) } ?? -1
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw RunFile.failure("could not read \(file.name)") }
            if n == 0 {
                if endOK && end == 0 { return }
                throw corrupt()
            }
            end += n
            readSoFar += n
        }
    }
}
