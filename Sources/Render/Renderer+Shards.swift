import Foundation
import OperatorFiles
import Records

/// Sharded rendering: N processes (Slurm array tasks) each read the whole input and cut it into the
/// same volumes (the cut depends only on the input and the form), render the volumes whose index is
/// theirs (index mod N), and write a `ShardPart`; one merge then writes the manifests, rejects and
/// checksums exactly as a one-machine render would, so the output is the same byte for byte.
extension Renderer {
    /// The staging directory of a sharded render of `outDir`, and its parts: `out/` (the volumes, then
    /// the whole output, renamed to `outDir` at the end), `parts/` (one result per shard), `logs/`.
    public struct ShardStaging: Sendable {
        public var root: String
        public var out: String { root + "/out" }
        public var parts: String { root + "/parts" }
        public var logs: String { root + "/logs" }
        public func part(_ shard: Int) -> String { parts + "/part-\(shard)" }

        /// Hidden beside `outDir` (so the final rename stays on one file system), named by this process.
        public init(outDir: String) {
            root = PathName.parent(outDir) + "/.\(PathName.base(outDir)).shards-\(getpid())"
        }

        public init(root: String) { self.root = root }

        public func create() throws {
            let fm = FileManager.default
            try? fm.removeItem(atPath: root)
            for d in [root, out, parts, logs] {
                try fm.createDirectory(atPath: d, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
            }
        }

        public func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    /// An output directory a render may write: missing, empty, or holding only a failed render's rejects list.
    public static func outputIsFree(_ outDir: String) -> Bool { isFree(outDir) }

    /// One shard: the volumes with index mod `count` == `shard` rendered into `staging.out`, and their
    /// results written (whole, by rename) to `staging.part(shard)`. Throws on any volume that fails.
    public func renderShard(source: RecordReader, inputName: String, inputSHA256: String, shard: Int, count: Int,
                            staging: ShardStaging) throws {
        let input = try prepare(source: source, inputName: inputName)
        let collected = ShardCollector()
        let slots = DispatchSemaphore(value: max(1, options.jobs))
        let group = DispatchGroup()
        let queue = DispatchQueue(label: "nightjar.render.shard", attributes: .concurrent)
        let cut = try cutVolumes(source: source, inputName: inputName, input: input, volume: { batch in
            guard batch.index % count == shard else { return }
            slots.wait()
            group.enter()
            queue.async {
                let r = self.renderVolume(batch, header: input.header, keyIndex: input.keyIndex, postalIndex: input.postalIndex,
                                          staging: staging.out, inputSHA256: inputSHA256)
                collected.add(r)
                slots.signal()
                group.leave()
            }
        }, report: { _, _ in
            let (done, p) = collected.done()
            self.progress?(done, p)
        })
        group.wait()
        let results = collected.results.sorted { $0.index < $1.index }
        if let failed = results.first(where: { $0.error != nil }), let e = failed.error { throw RenderError.io(e) }
        let part = ShardPart(shard: shard, count: count, inputSHA256: inputSHA256, records: cut.records, volumeCount: cut.volumes,
                             earlyRejectCount: cut.early.count, early: shard == 0 ? cut.early : [], volumes: results)
        let path = staging.part(shard), tmp = path + ".tmp"
        guard FileManager.default.createFile(atPath: tmp, contents: part.encoded(), attributes: [.posixPermissions: 0o640]),
              rename(tmp, path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(tmp)
            throw RenderError.io("cannot write \(path): \(why)")
        }
    }

    /// A shard's volume results as worker threads finish them, in any order.
    final class ShardCollector: @unchecked Sendable {
        let lock = NSLock()
        var results: [VolumeResult] = []
        var pages = 0, settled = 0

        func add(_ r: VolumeResult) {
            lock.lock()
            defer { lock.unlock() }
            results.append(r)
            pages += r.notices.reduce(0) { $0 + $1.pages }
            settled += r.records + r.rejects.count
        }

        func done() -> (records: Int, pages: Int) {
            lock.lock()
            defer { lock.unlock() }
            return (settled, pages)
        }
    }

    /// The merge: every shard's part read and checked (same input, same cut, every volume once), the
    /// results fed to the manifests in volume order as a one-machine render feeds them, then the
    /// render completed as usual (`staging.out` renamed to `outDir`).
    public func mergeShards(count: Int, staging: ShardStaging, inputName: String, inputSHA256: String, outDir: String) throws -> Summary {
        var parts: [ShardPart] = []
        for shard in 0..<count {
            let file = staging.part(shard)
            guard let data = FileManager.default.contents(atPath: file) else { throw RenderError.io("shard \(shard) left no result (\(file))") }
            let part = try ShardPart.decode(data, file: file)
            guard part.shard == shard, part.count == count else { throw RenderError.io("\(file) is the result of shard \(part.shard) of \(part.count), not \(shard) of \(count)") }
            guard part.inputSHA256 == inputSHA256 else {
                throw RenderError.io("shard \(shard) read other data than this render (SHA-256 \(part.inputSHA256), not \(inputSHA256)): was \(inputName) changed while rendering?")
            }
            if let first = parts.first, first.records != part.records || first.volumeCount != part.volumeCount || first.earlyRejectCount != part.earlyRejectCount {
                throw RenderError.io("shards 0 and \(shard) cut the input differently (\(first.records)/\(first.volumeCount) against \(part.records)/\(part.volumeCount) records/volumes)")
            }
            parts.append(part)
        }
        guard let first = parts.first else { throw RenderError.io("a sharded render needs at least one shard") }
        var volumes = parts.flatMap(\.volumes)
        volumes.sort { $0.index < $1.index }
        guard volumes.map(\.index) == Array(0..<first.volumeCount),
              parts.allSatisfy({ p in p.volumes.allSatisfy { $0.index % count == p.shard } }) else {
            throw RenderError.io("the shards' volumes do not make 1…\(first.volumeCount) once each")
        }
        guard first.early.count == first.earlyRejectCount else { throw RenderError.io("shard 0's result lacks its rejects") }
        let manifest = try ManifestWriter(directory: staging.out, form: form)
        for v in volumes { try manifest.add(v) }
        return try complete(manifest: manifest, early: first.early, records: first.records, inputName: inputName,
                            inputSHA256: inputSHA256, staging: staging.out, outDir: outDir)
    }
}
