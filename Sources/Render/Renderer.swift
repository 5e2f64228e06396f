import Crypto
import Forms
import Foundation
import OperatorFiles
import PDF
import Records
import Typesetting

/// Records × form → PDF volumes, manifests, rejects and checksums in an output directory.
///
/// Valid records are cut into batches of `volumePages` in input order; batches render on `jobs`
/// threads, each into its own volume, so the output is the same byte for byte whatever `jobs` is.
/// Everything is written into a hidden staging directory that is renamed into place at the end: a
/// failed or refused render leaves nothing a user could take for finished output.
public final class Renderer: @unchecked Sendable {
    public struct Options: Sendable {
        public var volumePages = 2000
        public var jobs = ProcessInfo.processInfo.activeProcessorCount
        public var maxRejects: Int?
        public init() {}
    }

    public struct Summary: Sendable, Codable {
        public var form: String
        public var input: String
        public var inputSHA256: String
        public var records: Int
        /// Records rendered (a notice may hold several), and the notices they make.
        public var rendered: Int
        public var notices: Int
        public var rejected: Int
        public var pages: Int
        public var volumes: [String]
        public var output: String

        enum CodingKeys: String, CodingKey {
            case form, input, records, rendered, notices, rejected, pages, volumes, output
            case inputSHA256 = "input_sha256"
        }
    }

    public enum RenderError: Error, CustomStringConvertible {
        case outputExists(String)
        /// More rejects than allowed, or none rendered: only the rejects list is written (at `rejectsFile`).
        case tooManyRejects(Int, Int, sample: [Reject], rejectsFile: String?)
        case nothingRendered(records: Int, sample: [Reject], rejectsFile: String?)
        case io(String)
        public var description: String {
            switch self {
            case .outputExists(let d): return "\(d) already exists and is not empty; choose a new --out directory"
            case let .tooManyRejects(n, max, sample, file):
                return "\(n) records were rejected, more than --max-rejects \(max); no volumes were written" + Self.cite(sample, n, file)
            case let .nothingRendered(records, sample, file):
                if records == 0 { return "the input holds no records: nothing was rendered and no batch was made" }
                return "all \(records) records were rejected: nothing was rendered and no batch was made" + Self.cite(sample, sample.count, file)
            case .io(let m): return m
            }
        }

        /// The first reasons, and where the whole list is.
        static func cite(_ sample: [Reject], _ total: Int, _ file: String?) -> String {
            var s = sample.prefix(10).map { "\n  line \($0.line)\($0.key.isEmpty ? "" : " (\($0.key))"): \($0.reason)" }.joined()
            if total > 10 { s += "\n  … and \(total - 10) more" }
            if let file { s += "\nevery reject and why: \(file)" }
            return s
        }
    }

    let form: Form
    let options: Options
    let fonts: [String: Font]
    /// Images of the static layers, read and prepared once, embedded in every volume.
    let images: [String: ImageFile]
    /// Called now and then with records settled (rendered or rejected) and pages written; set before `render`.
    public var progress: ((Int, Int) -> Void)?

    public init(form: Form, options: Options) throws {
        self.form = form
        self.options = options
        var loaded: [String: Font] = [:]
        for (alias, path) in form.fonts { loaded[alias] = try Font(path: path) }
        fonts = loaded
        var pictures: [String: ImageFile] = [:]
        for item in form.statics + form.continuationStatics {
            if case .image(let path, _, _, _, _) = item, pictures[path] == nil { pictures[path] = try ImageFile.load(path: path) }
        }
        images = pictures
    }

    struct Batch {
        var index: Int
        /// The sheets-per-envelope group (mail preparation), or "".
        var envelope = ""
        var notices: [[Record]] = []
        var pages = 0
    }

    public struct Reject: Sendable {
        public var line: Int
        public var key: String
        public var reason: String
    }

    struct VolumeResult {
        var index: Int
        var records = 0
        var file: String?
        var envelope = ""
        var notices: [(key: String, firstPage: Int, pages: Int, office: String)]
        var rejects: [Reject]
        var sha256: String?
        var error: String?
    }

    /// Renders every record of `source` into `outDir`.
    /// With `replace`, an existing output directory is swapped for the new one only once the new one is
    /// complete (a rerun of a nightly job must not fail because yesterday's attempt left output).
    public func render(source: RecordReader, inputName: String, inputSHA256: String, outDir: String, replace: Bool = false) throws -> Summary {
        let fm = FileManager.default
        if !replace, !Self.isFree(outDir) {
            throw RenderError.outputExists(outDir)
        }
        let parent = PathName.parent(outDir)
        let staging = parent + "/.\(PathName.base(outDir)).partial-\(getpid())"
        try? fm.removeItem(atPath: staging)
        try fm.createDirectory(atPath: staging, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        var succeeded = false
        defer { if !succeeded { try? fm.removeItem(atPath: staging) } }

        let input = try prepare(source: source, inputName: inputName)
        let manifest = try ManifestWriter(directory: staging, form: form)
        let collector = Collector(manifest: manifest)
        let slots = DispatchSemaphore(value: max(1, options.jobs))
        let group = DispatchGroup()
        let queue = DispatchQueue(label: "nightjar.render", attributes: .concurrent)

        func submit(_ batch: Batch) {
            slots.wait()
            group.enter()
            queue.async {
                collector.deliver(self.renderVolume(batch, header: input.header, keyIndex: input.keyIndex, postalIndex: input.postalIndex, staging: staging, inputSHA256: inputSHA256))
                slots.signal()
                group.leave()
            }
        }
        let cut = try cutVolumes(source: source, inputName: inputName, input: input, volume: submit) { _, early in
            let (done, pages) = collector.done()
            self.progress?(done + early, pages)
        }
        // The last volumes are still rendering: keep reporting until they are written.
        while group.wait(timeout: .now() + 0.5) == .timedOut {
            let (done, pages) = collector.done()
            progress?(done + cut.early.count, pages)
        }
        if let error = collector.error { throw error }
        let summary = try complete(manifest: manifest, early: cut.early, records: cut.records, inputName: inputName,
                                   inputSHA256: inputSHA256, staging: staging, outDir: outDir)
        succeeded = true
        return summary
    }

    /// The header and the columns found in it, checked against the form before anything is cut.
    struct InputLayout {
        var header: [String]
        var index: [String: Int]
        var keyIndex: Int?
        var postalIndex: Int?
    }

    func prepare(source: RecordReader, inputName: String) throws -> InputLayout {
        let header = source.header.names
        let index = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        // Every column the form uses must be in the header: without group_by's, every record would
        // silently become a notice of its own; without a field's, it would print empty.
        let problems = InputColumns.problems(form: form, header: header, dataFile: inputName,
                                             headerFromData: !(source is FixedLengthReader || source is JSONLinesRecords))
        if !problems.isEmpty { throw ValidationFailure(problems) }
        return InputLayout(header: header, index: index, keyIndex: index[form.key], postalIndex: form.mail.flatMap { index[$0.postalColumn] })
    }

    /// The whole input cut into volumes: every record read, checked and either rejected here (`early`)
    /// or put into a batch handed to `volume` with its index. Depends only on the input and the form
    /// (never on threads or timing), so every shard of a sharded render cuts the very same volumes.
    func cutVolumes(source: RecordReader, inputName: String, input: InputLayout, volume: (Batch) -> Void,
                    report: (_ records: Int, _ early: Int) -> Void) throws -> (records: Int, early: [Reject], volumes: Int) {
        let header = input.header, index = input.index, keyIndex = input.keyIndex
        var records = 0, early: [Reject] = []

        // One open batch per envelope group: each group goes through the inserter on its own, so its
        // notices get volumes of their own. Volumes are numbered as they fill, the same for any --jobs.
        var batches: [String: Batch] = [:]
        var nextIndex = 0
        func flush(_ b: Batch) {
            var b = b
            b.index = nextIndex
            nextIndex += 1
            volume(b)
        }
        let columns = form.columns
        // Notices are cut once, by NoticeGrouper (a sorted source has cut them already).
        let notices: NoticeReader = try (source as? NoticeReader) ?? NoticeGrouper(source, form: form, file: inputName)
        var notice: [Record] = []

        // A notice is complete: check its records, then add it to the batch (never splitting it).
        func close() {
            guard !notice.isEmpty else { return }
            defer { notice = [] }
            let key = keyIndex.flatMap { $0 < notice[0].fields.count ? notice[0].fields[$0] : nil } ?? ""
            for (n, r) in notice.enumerated() {
                var why = r.problem
                if why == nil {
                    let (mapped, problem) = Self.mapGaiji(r, map: form.gaiji, file: form.gaijiFile, header: header)
                    notice[n] = mapped
                    why = problem ?? Self.check(mapped, columns: columns, index: index)
                }
                if let why {
                    // One bad record rejects its whole notice; every record of it is listed.
                    for other in notice {
                        early.append(Reject(line: other.line, key: key, reason: other.line == r.line ? why : "notice \(key) rejected: line \(r.line): \(why)"))
                    }
                    return
                }
            }
            let pages = form.pages(rows: notice.count)
            let envelope = form.mail.map { $0.envelope(sheets: form.duplex ? (pages + 1) / 2 : pages) } ?? ""
            // Taken out of the dictionary while it grows: a copy left there would make every append
            // copy the whole batch.
            var batch = batches.removeValue(forKey: envelope) ?? Batch(index: -1, envelope: envelope)
            if batch.pages + pages > options.volumePages && !batch.notices.isEmpty {
                flush(batch)
                batch = Batch(index: -1, envelope: envelope)
            }
            batch.notices.append(notice)
            batch.pages += pages
            batches[envelope] = batch
        }

        var reported = 0
        while let next = try notices.nextNotice() {
            records += next.count
            notice = next
            close()
            if records - reported >= 2000 {
                reported = records
                report(records, early.count)
            }
        }
        for envelope in Mail.ordered(batches.keys) {
            if let b = batches[envelope], !b.notices.isEmpty { flush(b) }
        }
        return (records, early, nextIndex)
    }

    /// The end of a render once every volume is in `staging` and its results in `manifest`: the rejects
    /// judged, the manifests, rejects list and checksums written, and `staging` renamed to `outDir`
    /// (an existing `outDir` is swapped out only then).
    func complete(manifest: ManifestWriter, early: [Reject], records: Int, inputName: String, inputSHA256: String,
                  staging: String, outDir: String) throws -> Summary {
        let fm = FileManager.default
        let rejects = (early + manifest.rejects).sorted { $0.line < $1.line }
        if let max = options.maxRejects, rejects.count > max {
            let file = try Self.writeRejectsOnly(rejects, outDir: outDir)
            throw RenderError.tooManyRejects(rejects.count, max, sample: Array(rejects.prefix(10)), rejectsFile: file)
        }
        if manifest.recordCount == 0 {
            // Nothing to hand over: a failure, never an empty batch a vendor could collect.
            let file = rejects.isEmpty ? nil : try Self.writeRejectsOnly(rejects, outDir: outDir)
            throw RenderError.nothingRendered(records: records, sample: Array(rejects.prefix(10)), rejectsFile: file)
        }
        try manifest.finish(rejects: rejects, input: inputName, inputSHA256: inputSHA256, records: records)
        try fm.createDirectory(atPath: PathName.parent(outDir),
                               withIntermediateDirectories: true)
        var previous: String?
        if fm.fileExists(atPath: outDir) {
            // Empty (checked above) unless replacing: move it aside, put the new one in place, then delete.
            let aside = staging + ".previous"
            guard rename(outDir, aside) == 0 else { throw RenderError.io("cannot move the old \(outDir) aside: \(String(cString: strerror(errno)))") }
            previous = aside
        }
        guard rename(staging, outDir) == 0 else {
            if let previous { _ = rename(previous, outDir) }
            throw RenderError.io("cannot move the output into \(outDir): \(String(cString: strerror(errno)))")
        }
        if let previous { try? fm.removeItem(atPath: previous) }
        return Summary(form: form.name, input: inputName, inputSHA256: inputSHA256, records: records,
                       rendered: manifest.recordCount, notices: manifest.noticeCount, rejected: rejects.count, pages: manifest.pages,
                       volumes: manifest.volumeFiles, output: outDir)
    }

    /// An output directory a render may write: missing, empty, or holding only the rejects list of a
    /// failed render.
    static func isFree(_ outDir: String) -> Bool {
        let items = (try? FileManager.default.contentsOfDirectory(atPath: outDir)) ?? []
        return items.isEmpty || items == ["rejects.csv"]
    }

    /// A failed render's rejects list, alone: `<out>/rejects.csv` when `out` is new or empty, else beside it
    /// as `<out>.rejects.csv`, so the output of an earlier render is never mixed with it.
    static func writeRejectsOnly(_ rejects: [Reject], outDir: String) throws -> String {
        let fm = FileManager.default
        let target: String
        if isFree(outDir) {
            try fm.createDirectory(atPath: outDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
            target = "\(outDir)/rejects.csv"
        } else {
            target = "\(outDir).rejects.csv"
        }
        let tmp = target + ".tmp"
        guard fm.createFile(atPath: tmp, contents: Data(ManifestWriter.rejectsCSV(rejects).utf8), attributes: [.posixPermissions: 0o640]),
              rename(tmp, target) == 0 else {
            try? fm.removeItem(atPath: tmp)
            throw RenderError.io("cannot write \(target): \(String(cString: strerror(errno)))")
        }
        return target
    }

    /// 外字 replaced by their Unicode characters; an unmapped private-use character is the record's reject reason.
    static func mapGaiji(_ row: Record, map: GaijiMap, file: String?, header: [String]) -> (Record, String?) {
        var fields = row.fields
        var changed = false
        for (i, v) in row.fields.enumerated() {
            let (mapped, unmapped) = map.apply(v)
            if let unmapped {
                let column = i < header.count ? header[i] : "field \(i + 1)"
                return (row, "\(column) holds the private-use character \(GaijiMap.hex(unmapped)) (外字), which \(file ?? "no 外字 mapping") does not map; add it to \(file ?? "a mapping named by the form's 'gaiji:'")")
            }
            if mapped != v { fields[i] = mapped; changed = true }
        }
        return (changed ? Record(line: row.line, fields: fields, problem: row.problem) : row, nil)
    }

    /// Required fields and types, checked before layout.
    static func check(_ row: Record, columns: [Form.Column], index: [String: Int]) -> String? {
        for c in columns {
            guard let i = index[c.name] else { continue }
            let v = i < row.fields.count ? row.fields[i] : ""
            if v.isEmpty {
                if c.required { return "\(c.name) is empty but required" }
                continue
            }
            switch c.type {
            case .integer where Int64(v) == nil: return "\(c.name) is not a whole number"
            case .date where Template.date(v) == nil: return "\(c.name) is not a date YYYY-MM-DD"
            default: continue
            }
        }
        return nil
    }

    func renderVolume(_ batch: Batch, header: [String], keyIndex: Int?, postalIndex: Int?, staging: String, inputSHA256: String) -> VolumeResult {
        let file = String(format: "vol-%04d.pdf", batch.index + 1)
        let path = "\(staging)/\(file)"
        var result = VolumeResult(index: batch.index, file: file, notices: [], rejects: [])
        result.envelope = batch.envelope
        do {
            // The volume's SHA-256 is computed from the bytes as they are written, not by reading the file back.
            let digest = Digest()
            let writer = try VolumeWriter(path: path, form: form, fonts: fonts, images: images, observe: { digest.hasher.update(bufferPointer: $0) })
            let composer = PageComposer(form: form, fonts: fonts, resourceNames: writer.resourceNames, header: header)
            var sheetsInVolume = 0
            for notice in batch.notices {
                let key = keyIndex.flatMap { $0 < notice[0].fields.count ? notice[0].fields[$0] : nil } ?? ""
                do {
                    var (pages, used) = try composer.compose(notice)
                    if form.inserter != nil { try composer.addInserterMarks(&pages, key: key, sheetsBefore: &sheetsInVolume) }
                    let first = try writer.addNotice(pages: pages, used: used)
                    let postal = postalIndex.flatMap { $0 < notice[0].fields.count ? notice[0].fields[$0] : nil } ?? ""
                    result.notices.append((key, first, pages.count, form.mail?.office(postalCode: postal) ?? ""))
                    result.records += notice.count
                } catch let r as PageComposer.Reject {
                    for row in notice { result.rejects.append(Reject(line: row.line, key: key, reason: r.reason)) }
                }
            }
            if result.notices.isEmpty {
                try? FileManager.default.removeItem(atPath: path)
                result.file = nil
                return result
            }
            let id = Self.hex(SHA256.hash(data: Data("\(form.name)|\(inputSHA256)|\(batch.index)".utf8))).prefix(32)
            try writer.finish(title: form.description ?? form.name, id: String(id))
            result.sha256 = Self.hex(digest.hasher.finalize())
        } catch {
            result.error = "\(file): \(error)"
        }
        return result
    }

    /// Volume results arrive from worker threads in any order; they go to the manifests in input order.
    final class Collector: @unchecked Sendable {
        let lock = NSLock()
        let manifest: ManifestWriter
        var pending: [Int: VolumeResult] = [:]
        var next = 0
        var error: Error?

        init(manifest: ManifestWriter) { self.manifest = manifest }

        /// Records settled in written volumes (rendered or rejected there), and pages written.
        func done() -> (records: Int, pages: Int) {
            lock.lock()
            defer { lock.unlock() }
            return (manifest.recordCount + manifest.rejects.count, manifest.pages)
        }

        func deliver(_ result: VolumeResult) {
            lock.lock()
            defer { lock.unlock() }
            pending[result.index] = result
            while let r = pending.removeValue(forKey: next) {
                next += 1
                do {
                    if let e = r.error { throw RenderError.io(e) }
                    try manifest.add(r)
                } catch {
                    if self.error == nil { self.error = error }
                }
            }
        }
    }

    final class Digest {
        var hasher = SHA256()
    }

    public static func sha256(file: String) throws -> String {
        guard let h = FileHandle(forReadingAtPath: file) else { throw RenderError.io("cannot read \(file)") }
        defer { try? h.close() }
        var hasher = SHA256()
        while let chunk = try h.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hex(hasher.finalize())
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
