import ArgumentParser
import Executors
import Forms
import Foundation
import JobNets
import OperatorFiles
import Records
import Render
import Spool
import Store

/// Finds `Forms/NAME.yaml` (or a path) and loads it; exit 2 with positions when it is invalid.
func loadForm(_ name: String, site: SiteOptions) throws -> Form {
    let path = name.hasSuffix(".yaml") ? name : site.site.root.appendingPathComponent("Forms/\(name).yaml").path
    guard FileManager.default.fileExists(atPath: path) else {
        let forms = ((try? FileManager.default.contentsOfDirectory(atPath: site.site.root.appendingPathComponent("Forms").path)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.map(PathName.stem).sorted()
        throw Failure.badInput("no form \(name) (looked for \(site.site.relative(path))); forms here: \(forms.joined(separator: ", "))")
    }
    do { return try FormLoader.load(path: path, displayPath: site.site.relative(path)) } catch { throw operatorError(error) }
}

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Merge records into a form: PDF volumes, manifests, rejects and checksums in a new directory.",
        discussion: """
            Writes vol-0001.pdf…, manifest.json, manifest.csv (key, volume, first_page, pages, sheets), rejects.csv
            (line, key, reason) and SHA256SUMS into --out, which must not exist or be empty; everything appears at
            once at the end. Every record is either rendered or listed in rejects.csv. The output is the same byte
            for byte whatever --jobs is. Exit 1 when more than --max-rejects records are rejected (nothing is written).
            """)

    @OptionGroup var site: SiteOptions
    @Option(help: "The form: a name in Forms/ or a .yaml path.") var form: String
    @Option(help: "The records: CSV or TSV with a header row.") var data: String
    @Option(help: "The output directory (must not exist, or be empty).") var out: String
    @Option(help: "Pages per volume.") var volumePages = 2000
    @Option(help: "Volumes rendered at once (default: the number of cores).") var jobs: Int?
    @Option(help: "Fail (exit 1, no output) when more records than this are rejected.") var maxRejects: Int?
    @Option(help: "Text encoding of the data: utf-8 or cp932 (Shift_JIS); default: the form's input, else utf-8.") var encoding: String?
    @Option(help: "Input format: csv, tsv, fixed (the form's byte layout) or jsonl; default: the form's input, else csv.") var format: String?
    @Flag(help: "The data is tab-separated (same as --format tsv).") var tsv = false
    @Option(parsing: .upToNextOption, help: "Order notices by these fields of their first record instead of the form's postal order (large inputs are sorted in runs in a private directory beside --out).") var sort: [String] = []
    @Flag(help: "Replace an existing --out directory once the new output is complete (for reruns).") var replace = false
    @Flag(help: "Print the summary as JSON.") var json = false
    // Sharded rendering on a Slurm cluster (Render+Shards.swift).
    @Option(help: "Render as N shards, a Slurm job array on --executor; the output is the same byte for byte.") var shards: Int?
    @Option(help: "The slurm executor of nightjar.yaml the shards run on (with --shards).") var executor: String?
    @Option(help: "Tries per shard (a failed shard is submitted again alone) before the render fails.") var shardTries = 3
    @Option(help: "Memory per shard (Slurm's --mem), e.g. 2G.") var shardMemory: String?
    @Option(help: "The nightjar executable on the nodes (default: this one's path, which must exist there).") var nodeBinary: String?
    @Option(help: ArgumentHelp("One shard of a sharded render (internal).", visibility: .hidden)) var shardOf: Int?
    @Option(help: ArgumentHelp("The shard's index (default: $SLURM_ARRAY_TASK_ID).", visibility: .hidden)) var shardIndex: Int?
    @Option(help: ArgumentHelp("The sharded render's staging directory (internal).", visibility: .hidden)) var into: String?

    func run() throws {
        let form = try loadForm(self.form, site: site)
        var chosen: Form.Input.Format? = tsv ? .tsv : nil
        if let format {
            guard let f = Form.Input.Format(rawValue: format) else { throw Failure.badInput("--format \(format): use csv, tsv, fixed or jsonl") }
            chosen = f
        }
        if let encoding, TextEncoding(name: encoding) == nil { throw Failure.badInput("--encoding \(encoding): use utf-8 or cp932") }
        guard volumePages > 0 else { throw Failure.badInput("--volume-pages must be at least 1") }
        if let maxRejects, maxRejects < 0 { throw Failure.badInput("--max-rejects must be 0 or more") }
        if let why = RegularFile.problem(data) { throw Failure.badInput("\(data): the data file \(why)") }
        try checkShardOptions()
        var reader: RecordReader
        do {
            reader = try InputOpener.open(path: data, form: form, format: chosen, encoding: encoding)
            // Columns the form or --sort need, checked against the header before sorting reads everything.
            let format = chosen ?? form.input.format
            let problems = InputColumns.problems(form: form, header: reader.header.names, dataFile: data,
                                                 headerFromData: format == .csv || format == .tsv, sort: sort)
            if !problems.isEmpty { throw ValidationFailure(problems) }
            // Sort runs go beside the output, on the disk chosen for it.
            let runs = PathName.parent(out)
            // The render creates it anyway (its staging directory goes there too).
            try? FileManager.default.createDirectory(atPath: runs, withIntermediateDirectories: true)
            // A sharded render's shards read (and sort) the data themselves.
            if shards == nil, !sort.isEmpty { reader = try SortedRecords(reader, form: form, by: sort, temporaryDirectory: runs, dataFile: data) }
            else if shards == nil, let mail = form.mail { reader = try SortedRecords(reader, form: form, mail: mail, temporaryDirectory: runs, dataFile: data) }
        } catch let e as RecordError where e.kind == .io {
            // A full disk or an unwritable directory for the sort runs is not bad input.
            throw Failure.failed("render failed: \(e)")
        } catch { throw Failure.badInput("\(error)") }
        if shards != nil { return try renderSharded(form: form, renderer: try makeRenderer(form)) }
        let renderer = try makeRenderer(form)
        let started = Date()
        var lastReport = Date()
        // The total (a fast newline scan, made at the first report, so short renders never pay it) gives
        // a percentage and an estimated end: a bar redrawn on a terminal, otherwise a plain line every ten
        // seconds, which logs keep readably.
        let terminal = isatty(2) == 1
        var counted: Int?
        let format = chosen ?? form.input.format
        let zone = site.zone
        renderer.progress = { records, pages in
            let now = Date()
            guard now.timeIntervalSince(lastReport) >= (terminal ? 0.2 : 10) else { return }
            lastReport = now
            let total = counted ?? Self.recordEstimate(data, form: form, format: format)
            counted = total
            let line = Self.progressLine(records: records, pages: pages, total: total, elapsed: now.timeIntervalSince(started),
                                         now: now, zone: zone, bar: terminal)
            FileHandle.standardError.write(Data((terminal ? "\r\(line) " : "render: \(line)\n").utf8))
        }
        defer { if terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) } }
        let inputSHA = try Renderer.sha256(file: data)
        if let shardOf { return try renderShard(renderer, form: form, source: reader, inputSHA256: inputSHA, count: shardOf) }
        let summary: Renderer.Summary
        do {
            summary = try renderer.render(source: reader, inputName: data, inputSHA256: inputSHA, outDir: out, replace: replace)
        } catch let e as Renderer.RenderError {
            switch e {
            case .tooManyRejects, .nothingRendered: throw Failure.failed("render failed: \(e)" + encodingHint(form: form))
            case .io: throw Failure.failed("render failed: \(e)")
            default: throw Failure.badInput("\(e)")
            }
        } catch let e as NoticeGrouper.GroupError {
            throw Failure.badInput("\(e)")
        } catch let e as RecordError where e.kind == .io {
            throw Failure.failed("render failed: \(e)")
        } catch let e as RecordError {
            throw Failure.badInput("\(e)")
        } catch let v as ValidationFailure {
            throw Failure.badInput(v.description)
        }
        let seconds = Date().timeIntervalSince(started)
        let batch = try Spool(store: try site.openStore()).recordRender(Spool.RenderedBatch(
            form: form.name, input: data, inputSHA256: inputSHA, directory: out, records: summary.records, notices: summary.notices,
            rejected: summary.rejected, pages: summary.pages, volumes: summary.volumes.count, user: ProcessIdentity.user))
        if json {
            Output.json(summary)
            return
        }
        print("batch \(batch): \(summary.records) records = \(summary.rendered) rendered + \(summary.rejected) rejected; \(summary.notices) notices")
        print("\(summary.pages) pages in \(summary.volumes.count) volume\(summary.volumes.count == 1 ? "" : "s") in \(out) (\(String(format: "%.1f", seconds)) s, \(Int(Double(summary.pages) / max(seconds, 0.001))) pages/s)")
        if summary.rejected > 0 {
            print("rejected records and why: \(out)/rejects.csv")
            let hint = encodingHint(form: form)
            if !hint.isEmpty { FileHandle.standardError.write(Data((hint.dropFirst() + "\n").utf8)) }
        }
    }
}

extension RenderCommand {
    /// "this looks like CP932" when the data's first bytes are not in the encoding the render used but
    /// are whole in another; "" otherwise.
    func encodingHint(form: Form) -> String {
        let declared = TextEncoding(name: encoding ?? form.input.encoding) ?? .utf8
        guard let h = FileHandle(forReadingAtPath: data), let sample = try? h.read(upToCount: 1 << 16) else { return "" }
        try? h.close()
        guard let likely = TextEncoding.likely(sample: [UInt8](sample), declared: declared) else { return "" }
        let name = likely == .cp932 ? "cp932" : "utf-8"
        return "\n\(data) looks like \(likely == .cp932 ? "CP932 (Shift_JIS)" : "UTF-8"), not \(declared == .cp932 ? "CP932" : "UTF-8"): use --encoding \(name)"
    }

    /// About how many records the data holds: fixed-length records by size, others by lines (less the
    /// header row of CSV and TSV). JSON Lines with detail arrays hold more; the percentage is capped.
    static func recordEstimate(_ path: String, form: Form, format: Form.Input.Format) -> Int {
        if format == .fixed && form.input.recordLength > 0 {
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
            return size / (form.input.recordLength + (form.input.lineTerminated ? 1 : 0))
        }
        let lines = lineCount(path)
        return format == .jsonl ? lines + 1 : lines
    }

    /// "42,000 of 100,000 records (42%), 42,000 pages, 13,100 pages/s, about 4 s left (ends 23:41:07 JST)".
    static func progressLine(records: Int, pages: Int, total: Int, elapsed: Double, now: Date, zone: TimeZone, bar: Bool) -> String {
        let rate = Int(Double(pages) / max(0.001, elapsed))
        guard total > 0 else { return "\(records) records done, \(pages) pages, \(rate) pages/s" }
        let fraction = min(1, Double(records) / Double(total))
        var line = "\(records) of \(total) records (\(Int(fraction * 100))%), \(pages) pages, \(rate) pages/s"
        if records > 0 && fraction < 1 {
            let left = elapsed / Double(records) * Double(total - records)
            let end = DateFormatter()
            end.dateFormat = "HH:mm:ss"
            end.timeZone = zone
            line += ", about \(left < 60 ? "\(Int(left.rounded(.up))) s" : "\(Int((left / 60).rounded(.up))) min") left (ends \(end.string(from: now.addingTimeInterval(left))) \(Output.zoneName(zone)))"
        }
        if bar {
            let filled = Int(fraction * 30)
            return String(repeating: "█", count: filled) + String(repeating: "·", count: 30 - filled) + " " + line
        }
        return line
    }

    /// Lines in a file minus the header, by scanning for newlines in large reads.
    static func lineCount(_ path: String) -> Int {
        guard let h = FileHandle(forReadingAtPath: path) else { return 0 }
        defer { try? h.close() }
        var n = 0
        while let chunk = try? h.read(upToCount: 1 << 22), !chunk.isEmpty {
            n += chunk.withUnsafeBytes { $0.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } }
        }
        return max(0, n - 1)
    }
}

struct SampleDataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample-data",
        abstract: "Write realistic fictional records for a form as UTF-8 CSV (stdout, or --out FILE).")

    @OptionGroup var site: SiteOptions
    @Argument(help: "The form: a name in Forms/ or a .yaml path.") var form: String
    @Option(name: .short, help: "How many records.") var n = 10
    @Option(help: "Write to this file instead of stdout.") var out: String?
    @Option(help: "Seed for the generator (the same seed gives the same records).") var seed: UInt64 = 2026

    func run() throws {
        // A negative count made an invalid range and trapped.
        guard n >= 0 else { throw Failure.badInput("-n \(n): give the number of notices, 0 or more") }
        let form = try loadForm(self.form, site: site)
        var generator = SampleData(seed: seed)
        if let out {
            let tmp = out + ".tmp"
            guard FileManager.default.createFile(atPath: tmp, contents: nil), let h = FileHandle(forWritingAtPath: tmp) else {
                throw Failure.failed("cannot write \(out): \(String(cString: strerror(errno)))")
            }
            // Written beside and renamed at the end; a failure (a full disk) leaves nothing half-written.
            do {
                try generator.writeCSV(form: form, count: n, to: h)
                try h.close()
            } catch {
                try? h.close()
                unlink(tmp)
                throw Failure.failed(IOFailure(error, file: out)?.message ?? "cannot write \(out): \(error)")
            }
            guard rename(tmp, out) == 0 else {
                let why = String(cString: strerror(errno))
                unlink(tmp)
                throw Failure.failed("cannot write \(out): \(why)")
            }
        } else {
            try generator.writeCSV(form: form, count: n, to: FileHandle.standardOutput)
        }
    }
}
