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
        try csv.write(contentsOf: Data("key,volume,first_page,pages,sheets\n".utf8))
    }

    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    static func jsonString(_ s: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [s], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
    }

    func add(_ r: Renderer.VolumeResult) throws {
        rejects += r.rejects
        guard let file = r.file else { return }
        volumeFiles.append(file)
        if let s = r.sha256 { volumeSums.append((file, s)) }
        var c = "", j = ""
        for n in r.notices {
            let sheets = form.duplex ? (n.pages + 1) / 2 : n.pages
            c += "\(Self.csvField(n.key)),\(file),\(n.firstPage),\(n.pages),\(sheets)\n"
            j += (firstNotice ? "" : ",\n") + "    {\"key\": \(Self.jsonString(n.key)), \"volume\": \"\(file)\", \"first_page\": \(n.firstPage), \"pages\": \(n.pages), \"sheets\": \(sheets)}"
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
        var r = "line,key,reason\n"
        for x in all { r += "\(x.line),\(Self.csvField(x.key)),\(Self.csvField(x.reason))\n" }
        try write("rejects.csv", r)
        // The notices were streamed to a side file; splice it between head and tail in chunks, so a
        // million-notice manifest never sits in memory.
        let volumes = volumeSums.map { "    {\"file\": \"\($0.0)\", \"sha256\": \"\($0.1)\"}" }.joined(separator: ",\n")
        let head = """
            {
              "form": \(Self.jsonString(form.name)),
              "input": {"file": \(Self.jsonString(input)), "sha256": "\(inputSHA256)", "records": \(records)},
              "rendered": \(recordCount),
              "notices": \(noticeCount),
              "rejected": \(all.count),
              "pages": \(pages),
              "duplex": \(form.duplex),
              "volumes": [
            \(volumes)
              ],
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
        var sums = volumeSums.map { "\($0.1)  \($0.0)\n" }.joined()
        for f in ["manifest.csv", "manifest.json", "rejects.csv"] {
            sums += "\(try Renderer.sha256(file: "\(directory)/\(f)"))  \(f)\n"
        }
        try write("SHA256SUMS", sums)
    }

    func write(_ name: String, _ text: String) throws {
        guard FileManager.default.createFile(atPath: "\(directory)/\(name)", contents: Data(text.utf8), attributes: [.posixPermissions: 0o640]) else {
            throw Renderer.RenderError.io("cannot write \(directory)/\(name)")
        }
    }
}
