import BatchFiles
import Forms
import Foundation

/// Writes manifest.csv and manifest.json as volumes complete (in order), then rejects.csv and
/// SHA256SUMS; memory holds counts, not notices.
final class ManifestWriter {
    let directory: String
    let form: Form
    let csv: FileHandle
    let json: FileHandle
    var pages = 0
    var noticeCount = 0
    var recordCount = 0
    var volumeFiles: [String] = []
    var volumeSums: [(String, String)] = []
    var rejects: [Renderer.Reject] = []
    var firstNotice = true
    /// Mail preparation, per envelope group: pieces, barcoded pieces, volumes, and per office the
    /// pieces and bundles; plus the open bundle (office, pieces in it, its number).
    struct Group { var pieces = 0; var barcoded = 0; var volumes: [String] = []; var offices: [String: (pieces: Int, bundles: Int)] = [:]; var officeOrder: [String] = [] }
    var groups: [String: Group] = [:]
    var openBundle: [String: (office: String, count: Int, number: Int)] = [:]
    let barcoded: Bool

    init(directory: String, form: Form) throws {
        self.directory = directory
        self.form = form
        for f in ["manifest.csv", "manifest.json.notices"] {
            FileManager.default.createFile(atPath: "\(directory)/\(f)", contents: nil, attributes: [.posixPermissions: 0o640])
        }
        guard let c = FileHandle(forWritingAtPath: "\(directory)/manifest.csv"),
              let j = FileHandle(forWritingAtPath: "\(directory)/manifest.json.notices") else {
            throw Renderer.RenderError.io("cannot write the manifests in \(directory)")
        }
        csv = c
        json = j
        barcoded = form.fields.contains { $0.barcode?.kind == .customer && $0.when == nil }
        try csv.write(contentsOf: Data(ManifestCSV.header(mail: form.mail != nil).utf8))
    }

    static func csvField(_ s: String) -> String { ManifestCSV.field(s) }

    /// `rejects.csv`: line, key and reason of every record not rendered.
    static func rejectsCSV(_ rejects: [Renderer.Reject]) -> String {
        var text = "line,key,reason\n"
        for x in rejects { text += "\(x.line),\(csvField(x.key)),\(csvField(x.reason))\n" }
        return text
    }

    /// A JSON string literal (RFC 8259 escapes). Written by hand: it runs twice per notice, and
    /// going through JSONSerialization for each was a noticeable part of a render.
    static func jsonString(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    func add(_ r: Renderer.VolumeResult) throws {
        rejects += r.rejects
        guard let file = r.file else { return }
        volumeFiles.append(file)
        if let s = r.sha256 { volumeSums.append((file, s)) }
        var c = "", j = ""
        if form.mail != nil { groups[r.envelope, default: Group()].volumes.append(file) }
        for n in r.notices {
            let sheets = form.duplex ? (n.pages + 1) / 2 : n.pages
            var mailColumns: (envelope: String, office: String, bundle: Int)?
            var extraJSON = ""
            if let mail = form.mail {
                // A bundle breaks where the office changes or when it is full.
                var b = openBundle[r.envelope] ?? (n.office, 0, 0)
                if b.number == 0 || b.office != n.office || b.count >= mail.bundle {
                    b = (n.office, 0, b.number + 1)
                    var g = groups[r.envelope, default: Group()]
                    if g.offices[n.office] == nil { g.officeOrder.append(n.office) }
                    g.offices[n.office, default: (0, 0)].bundles += 1
                    groups[r.envelope] = g
                }
                b.count += 1
                openBundle[r.envelope] = b
                groups[r.envelope, default: Group()].pieces += 1
                groups[r.envelope, default: Group()].offices[n.office, default: (0, 0)].pieces += 1
                if barcoded { groups[r.envelope, default: Group()].barcoded += 1 }
                mailColumns = (r.envelope, n.office, b.number)
                extraJSON = ", \"envelope\": \"\(r.envelope)\", \"office\": \(Self.jsonString(n.office)), \"bundle\": \(b.number)"
            }
            c += ManifestCSV.line(ManifestCSV.Row(key: n.key, volume: file, firstPage: n.firstPage, pages: n.pages, sheets: sheets,
                                                  mail: mailColumns))
            j += (firstNotice ? "" : ",\n") + "    {\"key\": \(Self.jsonString(n.key)), \"volume\": \"\(file)\", \"first_page\": \(n.firstPage), \"pages\": \(n.pages), \"sheets\": \(sheets)\(extraJSON)}"
            firstNotice = false
            pages += n.pages
        }
        noticeCount += r.notices.count
        recordCount += r.records
        try csv.write(contentsOf: Data(c.utf8))
        try json.write(contentsOf: Data(j.utf8))
    }

    func finish(rejects all: [Renderer.Reject], input: String, inputSHA256: String, records: Int) throws {
        try csv.close()
        try json.close()
        try write("rejects.csv", Self.rejectsCSV(all))
        // The notices were streamed to a side file; splice it between head and tail in chunks, so a
        // million-notice manifest never sits in memory.
        let volumes = volumeSums.map { "    {\"file\": \"\($0.0)\", \"sha256\": \"\($0.1)\"}" }.joined(separator: ",\n")
        let head = """
            {
              "form": \(Self.jsonString(form.name)),
              "input": {"file": \(Self.jsonString(input)), "sha256": "\(inputSHA256)", "records": \(records)},
              "rendered": \(recordCount),
              "notice_count": \(noticeCount),
              "rejected": \(all.count),
              "pages": \(pages),
              "duplex": \(form.duplex),
              "volumes": [
            \(volumes)
              ],\(mailJSON())
              "notices": [

            """
        try write("manifest.json", head)
        let side = "\(directory)/manifest.json.notices"
        guard let out = FileHandle(forWritingAtPath: "\(directory)/manifest.json"), let input = FileHandle(forReadingAtPath: side) else {
            throw Renderer.RenderError.io("cannot write \(directory)/manifest.json")
        }
        try out.seekToEnd()
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { try out.write(contentsOf: chunk) }
        try out.write(contentsOf: Data("\n  ]\n}\n".utf8))
        try out.close()
        try input.close()
        try FileManager.default.removeItem(atPath: side)
        var sums = volumeSums.map { ChecksumList.line(ChecksumList.Entry(file: $0.0, sha256: $0.1)) }.joined()
        for f in ["manifest.csv", "manifest.json", "rejects.csv"] {
            sums += ChecksumList.line(ChecksumList.Entry(file: f, sha256: try Renderer.sha256(file: "\(directory)/\(f)")))
        }
        try write("SHA256SUMS", sums)
    }

    /// The mail section of manifest.json: per envelope group its volumes, pieces per delivery office
    /// with bundle counts, and the discounts the counts qualify for under the configured rules.
    func mailJSON() -> String {
        guard let mail = form.mail else { return "" }
        func num(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(v) }
        var out = "\n  \"mail\": {\n    \"sorted_by\": [\"office\", \(Self.jsonString(mail.postalColumn))],\n    \"bundle_size\": \(mail.bundle),\n"
        if let d = mail.discounts { out += "    \"discount_rules\": {\"file\": \(Self.jsonString(mail.discountsFile ?? "")), \"as_of\": \(Self.jsonString(d.asOf))},\n" }
        out += "    \"envelopes\": ["
        let order = Mail.ordered(groups.keys)
        for (i, e) in order.enumerated() {
            guard let g = groups[e] else { continue }
            let offices = g.officeOrder.map { o in "{\"office\": \(Self.jsonString(o)), \"pieces\": \(g.offices[o]?.pieces ?? 0), \"bundles\": \(g.offices[o]?.bundles ?? 0)}" }
            out += (i == 0 ? "\n" : ",\n") + "      {\"sheets\": \"\(e)\", \"pieces\": \(g.pieces), \"barcoded\": \(g.barcoded), \"bundles\": \(g.offices.values.reduce(0) { $0 + $1.bundles }), "
            out += "\"volumes\": [\(g.volumes.map { "\"\($0)\"" }.joined(separator: ", "))],\n        \"offices\": [\(offices.joined(separator: ", "))]"
            if let d = mail.discounts {
                let barcodeOK = g.barcoded >= d.barcodeMinimum
                let tier = d.presortTiers.last { g.pieces >= $0.from && g.pieces >= d.presortMinimum }
                let presortRate = tier.map { $0.rate + (g.barcoded == g.pieces ? d.presortBarcodeAddition : 0) }
                out += ",\n        \"discounts\": {\"barcode\": {\"eligible\": \(barcodeOK), \"pieces\": \(g.barcoded), \"minimum\": \(d.barcodeMinimum), \"rate_percent\": \(barcodeOK ? num(d.barcodeRate) : "0")}, "
                out += "\"presort\": {\"eligible\": \(tier != nil), \"pieces\": \(g.pieces), \"minimum\": \(d.presortMinimum), \"rate_percent\": \(presortRate.map(num) ?? "0")}}"
            }
            out += "}"
        }
        return out + "\n    ]\n  },"
    }

    func write(_ name: String, _ text: String) throws {
        guard FileManager.default.createFile(atPath: "\(directory)/\(name)", contents: Data(text.utf8), attributes: [.posixPermissions: 0o640]) else {
            throw Renderer.RenderError.io("cannot write \(directory)/\(name)")
        }
    }
}
