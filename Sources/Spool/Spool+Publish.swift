import Foundation

extension Spool {
    /// Hands a rendered batch to a vendor: its volumes, manifests, rejects and SHA256SUMS are copied
    /// into `<outbox>/batch-N.partial/` (each checked against SHA256SUMS while copying and fsynced),
    /// the directory is renamed to `<outbox>/batch-N/`, and `READY` is written last (fsynced), so a
    /// vendor that waits for READY never sees a partial batch. Nothing is changed there afterwards.
    @discardableResult
    public func publish(_ id: Int64, vendor: String, outbox: String, user: String, reason: String?, address: String? = nil) throws -> String {
        let b = try batch(id)
        if let later = b.replacedBy { throw SpoolError.replaced(batch: id, by: later, directory: b.directory) }
        guard b.state == .rendered else { throw SpoolError.notAllowed(batch: id, state: b.state, action: "published") }
        let fm = FileManager.default
        let final = "\(outbox)/\(b.outboxName)"
        let partial = final + ".partial"
        // What this call put in the outbox, removed again if it fails: a vendor must never find a
        // half-copied batch, nor a complete-looking one without READY.
        var madePartial = false, madeFinal = false, ready = false
        defer {
            if madePartial { try? fm.removeItem(atPath: partial) }
            if madeFinal && !ready { try? fm.removeItem(atPath: final) }
        }
        do {
            try Self.makeDirectory(outbox)
            if fm.fileExists(atPath: final) {
                throw SpoolError.badInput("\(final) exists already: a published batch is never overwritten")
            }
            if fm.fileExists(atPath: partial) { try fm.removeItem(atPath: partial) }   // left by an interrupted publish
            // The list is the one this batch's render wrote (its digest is recorded), read once: every
            // file copied is checked against it, and it is what the vendor gets.
            let (sums, entries) = try renderedFiles(of: b)
            try Self.makeDirectory(partial)
            madePartial = true
            var bad: [String] = []
            for e in entries {
                let sum = try Self.copy("\(b.directory)/\(e.file)", to: "\(partial)/\(e.file)")
                if sum != e.sha256 { bad.append(e.file) }
            }
            if !bad.isEmpty {
                throw SpoolError.io("batch \(id): the spool files do not match their SHA256SUMS (\(bad.joined(separator: ", "))); not published")
            }
            try Self.writeSynced("\(partial)/SHA256SUMS", sums)
            try Self.syncDirectory(partial)
            guard rename(partial, final) == 0 else { throw SpoolError.io("cannot rename \(partial): \(String(cString: strerror(errno)))") }
            madePartial = false
            madeFinal = true
            try Self.syncDirectory(outbox)
            let readyText = """
                batch: \(id)
                form: \(b.form)
                pages: \(b.pages)
                notices: \(b.notices)
                volumes: \(b.volumes)
                files: \(entries.count + 1)
                published: \(ISO8601DateFormatter().string(from: Date()))

                """
            try Self.writeSynced("\(final)/READY", Data(readyText.utf8))
            try Self.syncDirectory(final)
            ready = true
        } catch let e as SpoolError {
            recordFailure(batch: id, event: "publish-failed", user: user, action: "spool.publish", reason: reason, message: e.description, address: address)
            throw e
        } catch {
            let e = SpoolError.io("batch \(id): cannot publish to \(outbox): \(error)")
            recordFailure(batch: id, event: "publish-failed", user: user, action: "spool.publish", reason: reason, message: e.description, address: address)
            throw e
        }
        try store.db.write { db in
            try Self.move(db, batch: id, to: .published, user: user, detail: "vendor \(vendor): \(final)", action: "published")
            try db.execute(sql: "UPDATE spool_batches SET vendor = ?, published_path = ? WHERE id = ?", arguments: [vendor, store.storedPath(final), id])
            try Self.audit(db, batch: id, user: user, action: "spool.publish", reason: reason, result: "published to \(vendor)", address: address)
        }
        return final
    }

    /// A directory readable by owner and group only (0750), with its parents.
    static func makeDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        _ = chmod(path, 0o750)
    }

    /// Copies a file (mode 0640, fsynced) and returns the SHA-256 of the bytes copied.
    static func copy(_ from: String, to: String) throws -> String {
        let src = open(from, O_RDONLY | O_CLOEXEC)
        guard src >= 0 else { throw SpoolError.io("cannot read \(from): \(String(cString: strerror(errno)))") }
        defer { close(src) }
        let dst = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        guard dst >= 0 else { throw SpoolError.io("cannot create \(to): \(String(cString: strerror(errno)))") }
        defer { close(dst) }
        _ = fchmod(dst, 0o640)
        var hasher = SHA256Stream()
        let size = 1 << 20
        let buf = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { buf.deallocate() }
        while true {
            let n = read(src, buf, size)
            if n < 0 { if errno == EINTR { continue }; throw SpoolError.io("cannot read \(from): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            hasher.update(UnsafeRawBufferPointer(start: buf, count: n))
            var off = 0
            while off < n {
                let w = write(dst, buf + off, n - off)
                if w < 0 { if errno == EINTR { continue }; throw SpoolError.io("cannot write \(to): \(String(cString: strerror(errno)))") }
                off += w
            }
        }
        guard fsync(dst) == 0 else { throw SpoolError.io("cannot sync \(to): \(String(cString: strerror(errno)))") }
        return hasher.hex
    }

    static func writeSynced(_ path: String, _ data: Data) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw SpoolError.io("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        _ = fchmod(fd, 0o640)
        let ok = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) == $0.count }
        guard ok, fsync(fd) == 0 else { throw SpoolError.io("cannot write \(path): \(String(cString: strerror(errno)))") }
    }

    static func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw SpoolError.io("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        _ = fsync(fd)
    }
}
