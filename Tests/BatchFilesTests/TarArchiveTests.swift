@testable import BatchFiles
import Foundation
import Testing

/// The streaming tar writer read back by the system's `tar`: ustar names, the prefix split, pax for a
/// name ustar cannot hold; ranges of the stream; files that change after they were listed.
@Suite struct TarArchiveTests {
    let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("nightjar-tar-\(UUID().uuidString)")

    init() throws { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) }

    func file(_ name: String, bytes: Int, seed: UInt8 = 7) throws -> String {
        let path = dir.appendingPathComponent(name).path
        let data = Data((0..<bytes).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) })
        #expect(FileManager.default.createFile(atPath: path, contents: data))
        return path
    }

    func run(_ args: [String], in cwd: URL) throws -> (status: Int32, out: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        p.currentDirectoryURL = cwd
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: out, as: UTF8.self))
    }

    /// Every chunk of a reader, checking none is larger than the chunk size.
    func drain(_ r: ByteStreamReader, chunk: Int) throws -> [UInt8] {
        var all: [UInt8] = []
        while let c = try r.next() {
            #expect(c.count <= chunk && !c.isEmpty)
            all += c
        }
        return all
    }

    @Test func longAndJapaneseNamesExtractWithTheSystemTar() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let long150 = String(repeating: "n", count: 146) + ".pdf"                 // > 100 bytes: pax path
        let long95 = String(repeating: "m", count: 91) + ".pdf"                   // fits after a prefix split
        let japanese = "令和8年度_市民税・県民税_税額決定通知書_第一期分_夜鷹市役所_税務課_再発行分_控え.pdf"  // > 100 UTF-8 bytes
        #expect(japanese.utf8.count > 100 && ("batch-7/" + long95).utf8.count > 100)
        let sources = [("vol-0001.pdf", 70_000), (long150, 513), (long95, 512), (japanese, 1), ("empty.csv", 0)]
        var members = [TarArchive.Member(name: "batch-7/", mode: 0o750, modified: 1_780_000_000)]
        for (i, (name, size)) in sources.enumerated() {
            let path = try file("src-\(i)", bytes: size, seed: UInt8(i))
            members.append(TarArchive.Member(name: "batch-7/\(name)", path: path, size: Int64(size), modified: 1_780_000_000))
        }
        let tar = try TarArchive(members)
        let bytes = try drain(tar.stream.reader(chunkSize: 4096), chunk: 4096)
        #expect(Int64(bytes.count) == tar.length)
        #expect(bytes.count % 512 == 0)
        let archive = dir.appendingPathComponent("out.tar")
        try Data(bytes).write(to: archive)
        let out = dir.appendingPathComponent("x")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let x = try run(["tar", "-xf", archive.path], in: out)
        #expect(x.status == 0, "\(x.out)")
        for (i, (name, _)) in sources.enumerated() {
            let got = FileManager.default.contents(atPath: out.appendingPathComponent("batch-7/\(name)").path)
            #expect(got == FileManager.default.contents(atPath: dir.appendingPathComponent("src-\(i)").path), "\(name)")
        }
        let listing = try run(["tar", "-tvf", archive.path], in: out).out
        #expect(listing.contains("batch-7/\(long150)") && listing.contains("batch-7/\(japanese)"))
        #expect(listing.contains("-rw-r-----") && listing.contains("drwxr-x---"))
        #expect(listing.contains("2026-05-2"))   // the modification time given (05-28 or 05-29 by the zone)
        // The same members give the same bytes: a resumed download continues the same archive.
        #expect(try drain(TarArchive(members).stream.reader(chunkSize: 65536), chunk: 65536) == bytes)
    }

    @Test func anyRangeOfTheStreamIsTheSameBytesAsTheWhole() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = try file("a", bytes: 1000), b = try file("b", bytes: 3000, seed: 9)
        let tar = try TarArchive([
            TarArchive.Member(name: "d/a", path: a, size: 1000, modified: 0),
            TarArchive.Member(name: "d/b", path: b, size: 3000, modified: 0),
        ])
        #expect(tar.length == 512 + 1024 + 512 + 3072 + 1024)
        let whole = try drain(tar.stream.reader(), chunk: 256 << 10)
        for (offset, count) in [(0, 1), (511, 2), (512, 1000), (1000, 600), (1536, 4000), (Int(tar.length) - 1, 1), (Int(tar.length), 0), (100, 5000)] {
            let part = try drain(tar.stream.reader(offset: Int64(offset), count: Int64(count), chunkSize: 700), chunk: 700)
            #expect(part == Array(whole[offset..<offset + count]), "\(offset)+\(count)")
        }
        #expect(throws: ByteStreamError.self) { try tar.stream.reader(offset: tar.length, count: 1) }
        #expect(throws: ByteStreamError.self) { try tar.stream.reader(offset: -1) }
        #expect(throws: TarArchive.NameError.self) { try TarArchive([TarArchive.Member(name: "../x", path: a, size: 1000, modified: 0)]) }
        #expect(throws: TarArchive.NameError.self) { try TarArchive([TarArchive.Member(name: "/etc/x", path: a, size: 1000, modified: 0)]) }
    }

    @Test func aFileChangedOrSwappedAfterListingIsNotSent() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = try file("a", bytes: 1000)
        // Grown since it was listed.
        let grown = ByteStream.file(path: a, size: 999)
        #expect { _ = try drain(grown.reader(), chunk: 256 << 10) } throws: {
            ($0 as? ByteStreamError)?.description.contains("no longer the regular file of 999 bytes") == true
        }
        // Replaced by a symlink to another file of the same size: not followed.
        let other = try file("other", bytes: 1000, seed: 1)
        try FileManager.default.removeItem(atPath: a)
        try FileManager.default.createSymbolicLink(atPath: a, withDestinationPath: other)
        #expect { _ = try drain(ByteStream.file(path: a, size: 1000).reader(), chunk: 256 << 10) } throws: {
            ($0 as? ByteStreamError)?.description.contains("symlink") == true
        }
        #expect(throws: ByteStreamError.self) { _ = try drain(ByteStream.file(path: dir.path + "/missing", size: 1).reader(), chunk: 1) }
    }

    @Test func paxRecordsCountTheirOwnLength() {
        for value in ["x", String(repeating: "y", count: 89), String(repeating: "z", count: 90), String(repeating: "w", count: 995)] {
            let r = TarArchive.paxRecord("path", value)
            let len = Int(String(decoding: r.prefix { $0 != UInt8(ascii: " ") }, as: UTF8.self))
            #expect(len == r.count, "\(value.count)")
            #expect(r.last == UInt8(ascii: "\n"))
        }
    }
}
