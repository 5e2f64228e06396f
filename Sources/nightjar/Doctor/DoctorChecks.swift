import CSystemState
import Executors
import Foundation
import Forms
import GRDB
import JobNets
import Printing
#if canImport(Glibc)
import Glibc
#endif

/// The checks an operator makes on a server before its first night, each returning its own verdict.
struct DoctorChecks {
    let site: Site
    let stateDirectory: String
    let config: SiteConfig?
    let configProblem: String?
    /// The systemd unit `nightjar doctor` expects the daemon to run as.
    let unit: String
    let now: Double

    func all() -> [DoctorCheck] {
        [settings(), stateDirectoryCheck(), supervisor(), nets(), fonts(), cups()] + outboxes() + [timeZone(), clock(), daemon()]
    }

    func settings() -> DoctorCheck {
        if let configProblem {
            return .failed("settings", "nightjar.yaml does not load: \(configProblem)", fix: "correct nightjar.yaml (`nightjar validate` shows each problem with its line)")
        }
        let exists = FileManager.default.fileExists(atPath: site.root.appendingPathComponent("nightjar.yaml").path)
        return .ok("settings", exists ? "nightjar.yaml loads" : "no nightjar.yaml in \(site.root.path): defaults apply")
    }

    /// SQLite's WAL needs shared memory and POSIX locks that network file systems do not give reliably.
    static let networkFileSystems: [Int: String] = [0x6969: "NFS", 0xFF53_4D42: "CIFS", 0xFE53_4D42: "SMB2", 0x517B: "SMB",
                                                    0x6573_5546: "FUSE", 0x0102_1997: "9P", 0x7461_636F: "OCFS2", 0x0BD0_0BD0: "Lustre",
                                                    0x1161_970: "GFS2", 0xA501_FCF5: "AFS"]

    func stateDirectoryCheck() -> DoctorCheck {
        let name = "state directory"
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: stateDirectory, isDirectory: &isDir), isDir.boolValue else {
            return .failed(name, "\(stateDirectory) does not exist",
                           fix: "create it for the daemon's user: install -d -o nightjar -g nightjar -m 0750 \(stateDirectory)")
        }
        let probe = "\(stateDirectory)/.doctor-\(getpid())"
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let why = String(cString: strerror(errno))
            return .failed(name, "\(stateDirectory) is not writable by \(ProcessIdentity.user): \(why)",
                           fix: "chown -R nightjar:nightjar \(stateDirectory) (or run doctor as the daemon's user: sudo -u nightjar nightjar doctor)")
        }
        close(fd)
        unlink(probe)
        var fs = statfs()
        guard statfs(stateDirectory, &fs) == 0 else { return .ok(name, "\(stateDirectory) is writable") }
        let type = Int(UInt32(truncatingIfNeeded: fs.f_type))
        if let network = Self.networkFileSystems[type] {
            return .failed(name, "\(stateDirectory) is on \(network), a network file system: SQLite's write-ahead log needs a local disk",
                           fix: "put the state on a local file system (--state, NIGHTJAR_STATE, or the unit's StateDirectory)")
        }
        let free = Int(fs.f_bavail) * Int(fs.f_bsize)
        if free < 1 << 30 {
            return .warning(name, "\(stateDirectory) is writable and local, but only \(free >> 20) MB are free",
                            fix: "free space, or set retention: in nightjar.yaml and run `nightjar gc`")
        }
        return .ok(name, "\(stateDirectory) is writable, on a local file system, \(free >> 30) GB free")
    }

    func supervisor() -> DoctorCheck {
        let path = Launcher.defaultSupervisorPath()
        guard FileManager.default.isExecutableFile(atPath: path) else {
            return .failed("supervisor", "nightjar-supervise is not at \(path)",
                           fix: "reinstall (make install, or the nightjar package): it belongs beside nightjar or in ../libexec/nightjar/")
        }
        return .ok("supervisor", path)
    }

    func nets() -> DoctorCheck {
        let v = site.validation(paths: [])
        if !v.problems.isEmpty {
            return .failed("job nets", "\(v.problems.count) problem\(v.problems.count == 1 ? "" : "s"), first: \(v.problems[0])",
                           fix: "run `nightjar validate --root \(site.root.path)` and correct the files")
        }
        return .ok("job nets", "\(v.nets.count) valid net\(v.nets.count == 1 ? "" : "s") in \(site.root.appendingPathComponent("Jobs").path)")
    }

    /// Debian packages of the standard fonts.
    static let fontPackages = ["IPAmjMincho": "fonts-ipamj-mincho", "IPAexMincho": "fonts-ipaexfont-mincho", "IPAexGothic": "fonts-ipaexfont-gothic"]

    func fonts() -> DoctorCheck {
        let missing = KnownFonts.files.filter { !FileManager.default.isReadableFile(atPath: $0.value) }.sorted { $0.key < $1.key }
        guard missing.isEmpty else {
            return .failed("fonts", "missing: " + missing.map { "\($0.key) (\($0.value))" }.joined(separator: ", "),
                           fix: "apt-get install " + missing.compactMap { Self.fontPackages[$0.key] }.joined(separator: " "))
        }
        return .ok("fonts", KnownFonts.files.keys.sorted().joined(separator: ", "))
    }

    func cups() -> DoctorCheck {
        let server = IPPConnection.serverName
        do {
            _ = try IPPConnection()
            return .ok("CUPS", "reachable at \(server)")
        } catch {
            // A site that only hands batches to vendors never prints: a warning, not a failure.
            return .warning("CUPS", "not reachable at \(server): \(error)",
                            fix: "systemctl start cups (or set CUPS_SERVER to the print server); ignore if this site never prints")
        }
    }

    func outboxes() -> [DoctorCheck] {
        guard let config else { return [] }
        return config.vendorOutboxes.sorted { $0.key < $1.key }.map { vendor, outbox in
            let name = "outbox \(vendor)"
            var dir = outbox
            // `spool publish` creates the outbox if it is missing: its nearest existing parent must be writable then.
            while !FileManager.default.fileExists(atPath: dir), dir != "/" { dir = (dir as NSString).deletingLastPathComponent }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), !isDirectory.boolValue {
                return .failed(name, "\(outbox) cannot be created: \(dir) is a file, not a directory",
                               fix: "move \(dir) away, or set the vendor's outbox: to a directory in nightjar.yaml")
            }
            guard access(dir, W_OK | X_OK) == 0 else {
                return .failed(name, "\(outbox) is not writable by \(ProcessIdentity.user) (\(dir): \(String(cString: strerror(errno))))",
                               fix: "install -d -o nightjar -g nightjar -m 0750 \(outbox), and add it to the unit's ReadWritePaths=")
            }
            return .ok(name, dir == outbox ? "\(outbox) is writable" : "\(outbox) will be created in \(dir)")
        }
    }

    func timeZone() -> DoctorCheck {
        let zoneID = config?.timezone ?? JobNet.defaultTimeZone
        guard let zone = TimeZone(identifier: zoneID) else {
            return .failed("time zone", "the site's zone \(zoneID) is unknown to this system", fix: "apt-get install tzdata")
        }
        let system = TimeZone.current.identifier
        // Schedules use the site zone whatever the system's is; a difference only confuses people reading system logs.
        if zone.secondsFromGMT() != TimeZone.current.secondsFromGMT() {
            return .warning("time zone", "the site runs in \(zoneID), the system clock shows \(system)",
                            fix: "timedatectl set-timezone \(zoneID) (schedules use \(zoneID) either way)")
        }
        return .ok("time zone", "\(zoneID) (system: \(system))")
    }

    func clock() -> DoctorCheck {
        // The newest instant the state has recorded: a clock behind it went back (a restored VM, a dead RTC battery).
        let dbPath = "\(stateDirectory)/nightjar.db"
        var readOnly = Configuration()
        readOnly.readonly = true
        let newest: Double? = FileManager.default.fileExists(atPath: dbPath)
            ? (try? DatabaseQueue(path: dbPath, configuration: readOnly)).flatMap { q in
                try? q.read { db in
                    try Double.fetchOne(db, sql: "SELECT MAX(at) FROM (SELECT MAX(at) AS at FROM events UNION ALL SELECT MAX(at) FROM audit)")
                }
            } : nil
        if let newest, newest > now + 300 {
            return .failed("clock", "the clock is \(Int(newest - now)) s behind the newest time the state recorded",
                           fix: "set the clock right (chrony or systemd-timesyncd) before the daemon starts: schedules would fire again")
        }
        var tx = timex()
        let state = ntp_adjtime(&tx)
        if state == TIME_ERROR || tx.status & STA_UNSYNC != 0 {
            return .warning("clock", "the kernel says the clock is not synchronised to a time server",
                            fix: "apt-get install chrony (or enable systemd-timesyncd) so schedules fire on time")
        }
        return .ok("clock", "synchronised" + (newest.map { _ in ", ahead of everything the state recorded" } ?? ""))
    }

    func daemon() -> DoctorCheck {
        let name = "daemon"
        // Under systemd, ask it about the unit; elsewhere, whether a daemon holds this state's lock.
        if FileManager.default.fileExists(atPath: "/run/systemd/system"), let systemctl = ["/usr/bin/systemctl", "/bin/systemctl"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: systemctl)
            p.arguments = ["is-active", unit]
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            if (try? p.run()) != nil {
                let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                p.waitUntilExit()
                if text == "active" { return .ok(name, "\(unit) is active") }
                return .failed(name, "\(unit) is \(text.isEmpty ? "unknown" : text)",
                               fix: "systemctl enable --now \(unit); journalctl -u \(unit) shows why it stopped")
            }
        }
        let lock = "\(stateDirectory)/daemon.lock"
        let fd = open(lock, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            return .failed(name, "no daemon has run on \(stateDirectory)", fix: "systemctl enable --now \(unit) (or `nightjar daemon` by hand)")
        }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return .failed(name, "no daemon is running on \(stateDirectory)", fix: "systemctl enable --now \(unit) (or `nightjar daemon` by hand)")
        }
        let pid = (try? String(contentsOfFile: lock, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
        return .ok(name, "running on \(stateDirectory) (pid \(pid))")
    }
}
