import Calendars
import Executors
import Foundation
import GRDB
import JobNets
import OperatorFiles
import Store
#if canImport(Glibc)
import Glibc
#endif

/// Executes runs: starts jobs when their needs have ended, judges how they ended, retries, and
/// applies operator commands. One engine per process; a run belongs to exactly one live engine
/// (its `owner`), and an engine adopts runs whose owner has died.
///
/// Each `step()` collects the state changes it decides on, commits them in one transaction, and only
/// then starts processes — so a crash at any point leaves a database that says what was about to happen,
/// and recovery can tell a job that started from one that did not.
public final class Engine {
    public let store: Store
    public let site: Site
    /// Every instant the engine decides on comes from here (see `TimeSource`).
    public let clock: TimeSource
    /// Replaced by the daemon on SIGHUP (see `Daemon.reloadNow`).
    public internal(set) var config: SiteConfig
    let launcher: Launcher
    let identity = ProcessIdentity.current
    let logRoot: String
    var runs: [Int64: ActiveRun] = [:]
    /// Supervisors that are our children, by pid.
    var children: [pid_t: (run: Int64, job: String)] = [:]
    var writes: [(Database) throws -> Void] = []
    /// Side effects that a write justifies (dropping an attempt's outcome files, notifying an alert):
    /// performed only once the transaction holding that write has committed, dropped if it fails, so a
    /// failed commit leaves the outcome on disk for recovery to settle.
    var afterCommit: [() -> Void] = []
    /// Alerts recorded by the transaction being committed; sent once it has.
    var uncommittedAlerts: [Alert] = []
    var launches: [PendingLaunch] = []
    /// Attempts on the slurm executor (Engine+Slurm.swift).
    let slurm = SlurmSide()
    var alertsToSend: [Alert] = []
    /// The `nightjar` executable, so a job can call it (render, spool) as `${NIGHTJAR_BIN}`.
    static let nightjarBinary: String = {
        let dir = URL(fileURLWithPath: Launcher.defaultSupervisorPath()).deletingLastPathComponent()
        let beside = dir.appendingPathComponent("nightjar").path
        // Installed, the supervisor is in libexec/nightjar/ and this process is the nightjar executable.
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? beside
    }()

    /// This process's environment without Nightjar's own variables, read once.
    lazy var baseEnvironment: [String: String] = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("NIGHTJAR_") }
    /// Notify commands still running, reaped like supervisors.
    var notifiers: Set<pid_t> = []
    var lastCommandPoll = 0.0
    var lastHoldPoll = 0.0
    var heldNets: Set<String> = []
    /// Called with a line for each job start and end (foreground runs print these).
    public var onProgress: ((String) -> Void)?

    public init(store: Store, site: Site, config: SiteConfig, supervisorPath: String = Launcher.defaultSupervisorPath(),
                clock: TimeSource = SystemTime()) {
        self.clock = clock
        self.store = store
        self.site = site
        self.config = config
        launcher = Launcher(supervisorPath: supervisorPath, controlDirectory: store.controlDirectory.path)
        if let d = config.logDirectory {
            logRoot = d.hasPrefix("/") ? d : site.root.appendingPathComponent(d).path
        } else if let d = ProcessInfo.processInfo.environment["NIGHTJAR_LOG_DIR"], !d.isEmpty {
            logRoot = d
        } else {
            logRoot = store.defaultLogDirectory.path
        }
    }

    public var activeRunIDs: [Int64] { Array(runs.keys).sorted() }
    public func isActive(_ run: Int64) -> Bool { runs[run] != nil }

    final class PendingLaunch {
        let run: Int64
        let job: String
        let number: Int
        var attemptID: Int64 = 0
        var spec: AttemptSpec
        init(run: Int64, job: String, number: Int, spec: AttemptSpec) {
            self.run = run
            self.job = job
            self.number = number
            self.spec = spec
        }
    }

    // MARK: - Creating and adopting runs

    public enum EngineError: Error, CustomStringConvertible {
        case notFound(Int64)
        case ownedElsewhere(Int64, String)
        case badSnapshot(Int64, String)
        case ended(Int64, String)
        public var description: String {
            switch self {
            case .notFound(let id): return "run \(id) does not exist"
            case let .ownedElsewhere(id, owner): return "run \(id) is being executed by process \(owner.split(separator: ":").first ?? "?")"
            case let .badSnapshot(id, why): return "run \(id) has an unreadable definition: \(why)"
            case let .ended(id, state): return "run \(id) has already ended \(state)"
            }
        }
    }

    /// A schedule slot that a new run fills; inserted in the same transaction as the run, so a slot
    /// can never produce two runs.
    public struct Fire: Sendable {
        public var atTime: String
        public var dueAt: Double
        public var decision: String
        public init(atTime: String, dueAt: Double, decision: String) {
            self.atTime = atTime
            self.dueAt = dueAt
            self.decision = decision
        }
    }

    /// Creates a run with a snapshot of the net and starts executing it in this engine.
    @discardableResult
    public func startRun(net: JobNet, date: LocalDate, trigger: String, scheduledAt: Double? = nil, fire: Fire? = nil,
                         from: String? = nil, user: String? = nil) throws -> Int64 {
        let snapshot = String(decoding: try JSONEncoder().encode(net), as: UTF8.self)
        let now = clock.now()
        // --from JOB: jobs that are neither JOB nor need it (directly or not) count as skipped.
        let included: Set<String>? = from.map { net.descendants(of: $0).union([$0]) }
        let id: Int64 = try store.db.write { db in
            try db.run("""
                INSERT INTO runs (net, business_date, state, trigger, definition, scheduled_at, created_at, owner)
                VALUES (?, ?, 'waiting', ?, ?, ?, ?, ?)
                """, [net.name, date.description, trigger, snapshot, scheduledAt, now, identity])
            let id = db.lastInsertedRowID
            for job in net.jobs {
                let skipped = included.map { !$0.contains(job.name) } ?? false
                try db.run("INSERT INTO jobs (run_id, name, state, message) VALUES (?, ?, ?, ?)", [id, job.name, skipped ? JobState.skipped.rawValue : JobState.waiting.rawValue,
                                           skipped ? "skipped: the run starts from \(from ?? "")" : nil])
            }
            if let fire {
                try db.run("""
                    INSERT INTO fires (net, business_date, at_time, due_at, decided_at, decision, run_id) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, [net.name, date.description, fire.atTime, fire.dueAt, now, fire.decision, id])
            }
            try Store.event(db, runID: id, job: nil, kind: "run.created",
                            detail: "\(trigger) run of \(net.name) for \(date)" + (from.map { " from \($0)" } ?? ""))
            if let user {
                try Store.audit(db, user: user, action: "run", net: net.name, runID: id, job: from, reason: nil,
                                result: "run \(id) for \(date)")
            }
            return id
        }
        let run = ActiveRun(id: id, net: net, date: date, state: .waiting, createdAt: now)
        run.scheduledAt = scheduledAt
        for job in net.jobs {
            let skipped = included.map { !$0.contains(job.name) } ?? false
            run.jobs[job.name] = JobStatus(state: skipped ? .skipped : .waiting)
        }
        run.rebuildIndexes()
        runs[id] = run
        return id
    }

    /// Takes over a run that no live process executes, recovering every attempt that was open.
    public func adopt(_ id: Int64) throws {
        guard runs[id] == nil else { return }
        let record: RunRecord = try store.db.write { db in
            guard let r = try RunRecord.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [id]) else {
                throw EngineError.notFound(id)
            }
            if let owner = r.owner, owner != identity, ProcessIdentity.isAlive(owner) {
                throw EngineError.ownedElsewhere(id, owner)
            }
            // An ended run is history: nothing takes it over (rerun and skip reopen it first).
            if r.isEnded { throw EngineError.ended(id, r.state.rawValue) }
            try db.run("UPDATE runs SET owner = ? WHERE id = ?", [identity, id])
            if r.owner != nil && r.owner != identity {
                try Store.event(db, runID: id, job: nil, kind: "run.adopted",
                                detail: "taken over from process \(r.owner?.split(separator: ":").first ?? "?"), which is gone")
            }
            return r
        }
        let net: JobNet
        do {
            net = try JSONDecoder().decode(JobNet.self, from: Data(record.definition.utf8))
        } catch {
            throw EngineError.badSnapshot(id, "\(error)")
        }
        let run = ActiveRun(id: id, net: net, date: LocalDate(record.businessDate) ?? LocalDate(dayNumber: 0),
                            state: record.state, createdAt: record.createdAt)
        run.scheduledAt = record.scheduledAt
        run.machine.startedAt = record.startedAt
        if run.state == .waiting { run.machine.waitingFor = record.message }
        let jobs = try store.jobs(ofRun: id)
        let (open, numbers) = try store.db.read { db in
            (try AttemptRecord.fetchAll(db, sql: "SELECT * FROM attempts WHERE run_id = ? AND state = 'running'", arguments: [id]),
             Dictionary(try Row.fetchAll(db, sql: "SELECT job, MAX(number) AS n FROM attempts WHERE run_id = ? GROUP BY job", arguments: [id])
                .map { ($0["job"] as String, $0["n"] as Int) }, uniquingKeysWith: max))
        }
        for j in jobs {
            run.jobs[j.name] = JobStatus(state: j.state, held: j.held, attempts: j.attempts, lastNumber: numbers[j.name] ?? 0,
                                         nextAt: j.nextAt, startedAt: j.startedAt)
        }
        run.rebuildIndexes()
        runs[id] = run
        for attempt in open { recover(attempt, in: run) }
        try flush()
    }

    /// Resolves an attempt that was open when its scheduler stopped: it ended (read the record), is
    /// still running (watch it), or never started (fence it so it never will, and start it afresh).
    func recover(_ attempt: AttemptRecord, in run: ActiveRun) {
        if let e = attempt.executor, config.executors[e]?.kind != .local { recoverSlurm(attempt, in: run); return }
        let key = attemptKey(attempt.id)
        // The facts, looked at in the order that keeps races safe: the outcome before the fence, the
        // supervisor before its job's group; the decision is RecoveryMachine's.
        func facts() -> (RecoveryMachine.Facts, pid: pid_t?) {
            let outcome = launcher.outcome(of: key) != nil
            let started = launcher.startedSupervisor(of: key)
            let alive = started.pid.map { launcher.isSupervisorAlive($0, id: key) } ?? false
            let group = !alive && launcher.jobGroup(of: key).map(Launcher.isGroupAlive) == true
            return (RecoveryMachine.Facts(outcome: outcome || launcher.outcome(of: key) != nil, fenced: started.started,
                                          supervisorAlive: alive, groupAlive: group), started.pid)
        }
        var (seen, pid) = facts()
        while true {
            switch RecoveryMachine.decide(seen) {
            case .settleFromOutcome:
                run.jobs[attempt.job]?.attemptID = attempt.id
                finish(run: run, job: attempt.job, attemptID: attempt.id, outcome: launcher.outcome(of: key) ?? AttemptOutcome())
            case .claimFence:
                guard launcher.fenceNeverStarted(key) else {
                    // The supervisor got there first: look again.
                    (seen, pid) = facts()
                    seen.fenced = true
                    continue
                }
                // Proven: the job never ran, and its supervisor (if it ever comes up) will refuse to.
                run.setState(attempt.job, .waiting)
                run.jobs[attempt.job]?.attemptID = nil
                // It no longer counts as an attempt made (retries are counted from made ones); its number stays taken.
                let attempts = max(0, (run.jobs[attempt.job]?.attempts ?? attempt.number) - 1)
                run.jobs[attempt.job]?.attempts = attempts
                let at = clock.now()
                writes.append { db in
                    try db.run("UPDATE attempts SET state = 'never-started', ended_at = ?, message = ? WHERE id = ?", [at, "the scheduler stopped before the job started; it was not run", attempt.id])
                    try db.run("UPDATE jobs SET state = 'waiting', attempts = ? WHERE run_id = ? AND name = ?", [attempts, run.id, attempt.job])
                    try Store.event(db, runID: run.id, job: attempt.job, kind: "attempt.never-started",
                                    detail: "attempt \(attempt.number) never started; the job waits to start again")
                }
            case .watchSupervisor:
                let supervisor = pid ?? 0
                run.jobs[attempt.job]?.attemptID = attempt.id
                run.jobs[attempt.job]?.supervisorPid = supervisor
                run.jobs[attempt.job]?.isChild = false
                run.setState(attempt.job, .running)
                writes.append { db in
                    try Store.event(db, runID: run.id, job: attempt.job, kind: "attempt.watched",
                                    detail: "attempt \(attempt.number) is still running under supervisor \(supervisor)")
                }
            case .watchJobGroup, .lost:
                run.jobs[attempt.job]?.attemptID = attempt.id
                run.setState(attempt.job, .running)
                // The job itself still runs (its supervisor alone was killed): watch it, record no end yet
                // (unless its group has ended since the facts were gathered).
                if seen.groupAlive, watchOrphan(run, attempt.job, attemptID: attempt.id, why: "its supervisor is gone") { return }
                var lost = AttemptOutcome()
                lost.error = "the job's supervisor ended without recording how the job ended, and none of the job's processes runs any more (was the machine restarted?); check the log, then rerun or skip it"
                finish(run: run, job: attempt.job, attemptID: attempt.id, outcome: lost, lost: true)
            }
            return
        }
    }

    func attemptKey(_ id: Int64) -> String { "a\(id)" }

    // MARK: - The step

    /// Does everything that is due; returns true if anything changed.
    @discardableResult
    public func step(now given: Double? = nil) throws -> Bool {
        let now = given ?? clock.now()
        reap()
        watchAdopted()
        pollSlurm(now: now)
        if now - lastCommandPoll >= 0.2 {
            lastCommandPoll = now
            try applyCommands()
        }
        if now - lastHoldPoll >= 1 {
            lastHoldPoll = now
            heldNets = Set(try store.db.read { try String.fetchAll($0, sql: "SELECT net FROM net_holds") })
        }
        for run in runs.values.sorted(by: { $0.id < $1.id }) {
            try advance(run, now: now)
        }
        let changed = !writes.isEmpty
        try flush()
        startLaunches()
        startSubmissions(now: now)
        try flush()
        sendAlerts()
        return changed
    }

    func advance(_ run: ActiveRun, now: Double) throws {
        if run.state == .waiting {
            // Killed while waiting: nothing of it will start; it ends now (every job not-run, with why).
            if run.machine.stopping { settle(run, now: now); return }
            guard now >= run.nextAfterCheck else { return }
            run.nextAfterCheck = now + 1
            let missing = try missingAfterNets(run)
            performRun(RunMachine.afterNetsChecked(run.machine, missing: missing, name: run.name, at: now), run)
        }
        guard run.state == .running else { return }
        checkDeadlines(run, now: now)
        for name in run.retrying.sorted() {
            guard let s = run.jobs[name] else { continue }
            let (next, effects) = JobMachine.tick(s.machineState, at: now)
            if !effects.isEmpty { perform(effects, next, run: run, job: name) }
        }
        for name in run.running.sorted() {
            if let job = run.jobByName[name], case .waitFile(let wait) = job.kind { checkFile(run, job, wait, now: now) }
        }
        startReadyJobs(run, now: now)
        settle(run, now: now)
    }

    /// The `after:` nets whose run for the same business date has not ended normally (yet).
    func missingAfterNets(_ run: ActiveRun) throws -> [String] {
        guard !run.net.after.isEmpty else { return [] }
        let done = try store.db.read { db in
            try String.fetchAll(db, sql: """
                SELECT DISTINCT net FROM runs WHERE business_date = ? AND state IN ('normal','warning')
                """, arguments: [run.date.description])
        }
        let ended = Set(done)
        return run.net.after.filter { !ended.contains($0) }
    }

    func startReadyJobs(_ run: ActiveRun, now: Double) {
        guard !run.ready.isEmpty else { return }
        let held = Set(run.ready.filter { run.jobs[$0]?.held == true })
        for name in RunMachine.jobsToStart(ready: run.ready, held: held, order: run.order, running: run.runningCount,
                                           concurrency: run.net.concurrency, stopping: run.machine.stopping,
                                           netHeld: heldNets.contains(run.net.name)) {
            guard let job = run.jobByName[name] else { continue }
            start(run, job, now: now)
        }
    }

    func environment(_ run: ActiveRun, _ job: Job) -> [String: String] {
        var env = baseEnvironment
        env.merge(run.net.env) { $1 }
        env.merge(job.env) { $1 }
        env["NIGHTJAR_NET"] = run.net.name
        env["NIGHTJAR_JOB"] = job.name
        env["NIGHTJAR_DATE"] = run.date.description
        env["NIGHTJAR_RUN_ID"] = String(run.id)
        env["NIGHTJAR_SITE"] = site.root.path
        env["NIGHTJAR_STATE"] = store.directory.path
        env["NIGHTJAR_BIN"] = Self.nightjarBinary
        return env
    }

    /// `${NAME}` in an argv element or path becomes the job's variable NAME, as one whole argument;
    /// no shell ever sees it.
    func expand(_ text: String, _ env: [String: String]) -> String {
        guard text.contains("${") else { return text }
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else { break }
            let name = String(rest[open.upperBound..<close])
            out += env[name] ?? "${\(name)}"
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    func resolve(_ path: String, base: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: base).appendingPathComponent(path).standardizedFileURL.path
    }

    func workdir(_ run: ActiveRun, _ job: Job) -> String {
        let base = site.root.path
        if let w = job.workdir { return resolve(w, base: run.net.workdir.map { resolve($0, base: base) } ?? base) }
        if let w = run.net.workdir { return resolve(w, base: base) }
        return base
    }

    func start(_ run: ActiveRun, _ job: Job, now: Double) {
        run.setState(job.name, .running)
        guard var s = run.jobs[job.name] else { return }
        s.attempts += 1
        s.startedAt = now
        s.killRequested = false
        let number = max(s.attempts, s.lastNumber + 1)
        s.lastNumber = number
        let attempts = s.attempts
        if case .waitFile = job.kind {
            s.fileSize = nil
            s.fileStableSince = nil
            s.nextFileCheck = now
            run.jobs[job.name] = s
            writes.append { db in
                try db.run("UPDATE jobs SET state = 'running', attempts = ?, started_at = ?, message = NULL WHERE run_id = ? AND name = ?", [attempts, now, run.id, job.name])
                try Store.event(db, runID: run.id, job: job.name, kind: "job.running", detail: "waiting for a file")
            }
            onProgress?("\(job.name): waiting for a file")
            return
        }
        run.jobs[job.name] = s
        let env = environment(run, job)
        let argv: [String]
        switch job.kind {
        case .command(let a): argv = a.map { expand($0, env) }
        case .shell(let script): argv = ["/bin/sh", "-c", script, "nightjar-\(job.name)"]
        case .waitFile: argv = []
        }
        let logDir = "\(logRoot)/\(run.net.name)/\(run.id)"
        if !run.logDirectoryMade {
            // Failure shows up as the supervisor's "cannot open the job log", with the reason.
            try? FileManager.default.createDirectory(atPath: logDir, withIntermediateDirectories: true,
                                                     attributes: [.posixPermissions: 0o750])
            run.logDirectoryMade = true
        }
        let spec = AttemptSpec(id: "", argv: argv, environment: env, workdir: workdir(run, job), timeout: job.timeout,
                               killGrace: job.killGrace, stdoutPath: "\(logDir)/\(job.name).\(number).out",
                               stderrPath: "\(logDir)/\(job.name).\(number).err")
        if let executor = slurmExecutor(run.net, job) {
            queueSubmission(run, job, number: number, attempts: attempts, spec: spec, executor: executor, now: now)
            return
        }
        let pending = PendingLaunch(run: run.id, job: job.name, number: number, spec: spec)
        launches.append(pending)
        writes.append { db in
            try db.run("""
                INSERT INTO attempts (run_id, job, number, state, started_at, stdout_path, stderr_path)
                VALUES (?, ?, ?, 'running', ?, ?, ?)
                """, [run.id, job.name, number, now, spec.stdoutPath, spec.stderrPath])
            pending.attemptID = db.lastInsertedRowID
            try db.run("UPDATE jobs SET state = 'running', attempts = ?, started_at = ?, ended_at = NULL, message = NULL WHERE run_id = ? AND name = ?", [attempts, now, run.id, job.name])
            try Store.event(db, runID: run.id, job: job.name, kind: "job.running", detail: "attempt \(number)")
        }
    }

    /// Spawns the supervisors whose attempts the last flush committed.
    func startLaunches() {
        let pending = launches
        launches = []
        for p in pending {
            guard let run = runs[p.run] else { continue }
            var spec = p.spec
            spec.id = attemptKey(p.attemptID)
            run.jobs[p.job]?.attemptID = p.attemptID
            do {
                let pid = try launcher.launch(spec)
                children[pid] = (p.run, p.job)
                run.jobs[p.job]?.supervisorPid = pid
                run.jobs[p.job]?.isChild = true
                let attemptID = p.attemptID
                writes.append { db in
                    try db.run("UPDATE attempts SET supervisor_pid = ? WHERE id = ?", [pid, attemptID])
                }
                onProgress?("\(p.job): started (attempt \(p.number))")
            } catch {
                finish(run: run, job: p.job, attemptID: p.attemptID, outcome: AttemptOutcome(error: "\(error)"))
            }
        }
    }

    // MARK: - Ends of attempts

    func reap() {
        notifiers.subtract(Launcher.reap(notifiers).map(\.pid))
        for (pid, status) in launcher.reapSupervisors(children.keys) {
            guard let (runID, job) = children.removeValue(forKey: pid), let run = runs[runID],
                  let attemptID = run.jobs[job]?.attemptID else { continue }
            let key = attemptKey(attemptID)
            var outcome = launcher.outcome(of: key)
            if outcome == nil, status == -1 {
                // Its status was lost (its fork server died first): what is left of the job decides.
                if watchOrphan(run, job, attemptID: attemptID, why: "its supervisor ended unrecorded") { continue }
                outcome = AttemptOutcome(error: "the job's supervisor ended without recording how the job ended; the job is no longer running; check its log, then rerun or skip it")
            } else if outcome == nil {
                let signal = status & 0x7f
                let code = Int((status >> 8) & 0xff)
                if code == 3 && signal == 0 {
                    outcome = AttemptOutcome(error: "the attempt was fenced off by a recovering scheduler and did not run")
                } else if watchOrphan(run, job, attemptID: attemptID, why: signal != 0
                            ? "its supervisor was killed (signal \(signal))" : "its supervisor failed (status \(code))") {
                    continue
                } else {
                    outcome = AttemptOutcome(error: signal != 0
                        ? "the job's supervisor was killed (signal \(signal)) before recording how the job ended; the job is no longer running; check its log, then rerun or skip it"
                        : "the job's supervisor failed (status \(code)) before recording the end; is the state directory writable and not full?")
                }
            }
            finish(run: run, job: job, attemptID: attemptID, outcome: outcome ?? AttemptOutcome())
        }
    }

    /// Attempts whose supervisors are not our children (adopted after a restart) are watched by file.
    func watchAdopted() {
        for run in runs.values {
            for name in run.running.sorted() {
                guard let s = run.jobs[name], !s.isChild, let attemptID = s.attemptID else { continue }
                let key = attemptKey(attemptID)
                if let outcome = launcher.outcome(of: key) {
                    finish(run: run, job: name, attemptID: attemptID, outcome: outcome)
                } else if let group = s.orphanGroup {
                    // The job outlived its supervisor: its end is recorded only once its processes are gone.
                    guard !Launcher.isGroupAlive(group) else { continue }
                    finish(run: run, job: name, attemptID: attemptID, outcome: AttemptOutcome(
                        error: "the job's supervisor died while the job ran; the job's processes have ended since, but how they ended is unknown; check its log, then rerun or skip it"),
                        lost: true)
                } else if let pid = s.supervisorPid, !launcher.isSupervisorAlive(pid, id: key) {
                    // Read again: the supervisor may have written its record just before it ended.
                    if let outcome = launcher.outcome(of: key) {
                        finish(run: run, job: name, attemptID: attemptID, outcome: outcome)
                        continue
                    }
                    if watchOrphan(run, name, attemptID: attemptID, why: "its supervisor (process \(pid)) is gone") { continue }
                    finish(run: run, job: name, attemptID: attemptID, outcome: AttemptOutcome(
                        error: "the job's supervisor ended without recording how the job ended; check the log, then rerun or skip it"), lost: true)
                }
            }
        }
    }

    /// The supervisor of a running attempt is gone without a record. If the job's process group still
    /// runs, the attempt stays running and the group is watched (never two copies after a rerun);
    /// returns false when nothing of the job is left.
    func watchOrphan(_ run: ActiveRun, _ name: String, attemptID: Int64, why: String) -> Bool {
        guard let group = launcher.jobGroup(of: attemptKey(attemptID)), Launcher.isGroupAlive(group) else { return false }
        run.jobs[name]?.orphanGroup = group
        run.jobs[name]?.isChild = false
        run.jobs[name]?.supervisorPid = nil
        let text = "\(why) while the job ran; its process group \(group) runs on and is watched until it ends"
        writes.append { db in
            try db.run("UPDATE attempts SET message = ? WHERE id = ?", [text, attemptID])
            try Store.event(db, runID: run.id, job: name, kind: "job.orphaned", detail: text)
        }
        onProgress?("\(name): \(text)")
        return true
    }

    func finish(run: ActiveRun, job name: String, attemptID: Int64, outcome: AttemptOutcome, lost: Bool = false) {
        guard let job = run.jobByName[name], var s = run.jobs[name] else { return }
        let now = clock.now()
        s.attemptID = nil
        s.supervisorPid = nil
        s.orphanGroup = nil
        run.jobs[name] = s
        let (next, effects) = JobMachine.attemptEnded(s.machineState, job: job, outcome: outcome, lost: lost, at: now)
        perform(effects, next, run: run, job: name, attemptID: attemptID, outcome: outcome)
    }

    /// Takes on a job's new state from the machine and turns its effects into writes (committed together
    /// at the end of the step) and after-commit actions.
    func perform(_ effects: [JobMachine.Effect], _ next: JobMachine.State, run: ActiveRun, job name: String,
                 attemptID: Int64? = nil, outcome: AttemptOutcome? = nil) {
        if var s = run.jobs[name] {
            s.held = next.held
            s.attempts = next.attempts
            s.nextAt = next.nextAt
            run.jobs[name] = s
        }
        if run.jobs[name]?.state != next.state { run.setState(name, next.state) }
        for effect in effects {
            switch effect {
            case let .recordAttempt(lost, verdict, message, endedAt):
                guard let attemptID else { continue }
                let o = outcome ?? AttemptOutcome()
                writes.append { db in
                    try db.run("""
                        UPDATE attempts SET state = ?, exit_code = ?, signal = ?, timed_out = ?, killed = ?, verdict = ?, message = ?,
                            ended_at = ? WHERE id = ?
                        """, [lost ? "lost" : "ended", o.exitCode, o.signal, o.timedOut, o.killed, verdict.rawValue, message, endedAt, attemptID])
                }
            case let .recordJob(state, exitCode, message, nextAt, endedAt, event, detail):
                setJob(run, name, state, exitCode: exitCode, message: message, nextAt: nextAt, endedAt: endedAt, event: event, detail: detail)
            case .recordHeld(let held):
                writes.append { db in
                    try db.execute(sql: "UPDATE jobs SET held = ? WHERE run_id = ? AND name = ?", arguments: [held, run.id, name])
                    try Store.event(db, runID: run.id, job: name, kind: held ? "job.held" : "job.released", detail: nil)
                }
            case .clearHold:
                writes.append { db in
                    try db.execute(sql: "UPDATE jobs SET held = 0, next_at = NULL WHERE run_id = ? AND name = ?", arguments: [run.id, name])
                }
            case .forgetOutcome:
                guard let attemptID else { continue }
                let launcher = self.launcher, key = attemptKey(attemptID)
                afterCommit.append { launcher.forget(key) }
            case .kill:
                killJob(run, name)
            case .failurePolicy(let policy):
                performRun(RunMachine.jobFailed(run.machine, job: name, policy: policy, running: run.running.sorted()), run)
            case .progress(let line):
                onProgress?(line)
            }
        }
    }

    func killJob(_ run: ActiveRun, _ name: String) {
        guard var s = run.jobs[name], s.state == .running else { return }
        s.killRequested = true
        run.jobs[name] = s
        if cancelSlurm(run, name) { return }
        if let job = run.jobByName[name], case .waitFile = job.kind {
            finishFileWait(run, name, state: .abnormal, message: "killed by an operator while waiting for the file")
            return
        }
        if s.supervisorPid == nil, let group = s.orphanGroup {
            // No supervisor left to escalate: the whole group gets SIGKILL once this is recorded.
            writes.append { db in try Store.event(db, runID: run.id, job: name, kind: "job.kill-sent", detail: "SIGKILL to process group \(group) (its supervisor is gone)") }
            afterCommit.append { _ = kill(-group, SIGKILL) }
        } else if let pid = s.supervisorPid {
            // Recorded first; the signal goes once that is committed (the supervisor escalates to SIGKILL).
            writes.append { db in try Store.event(db, runID: run.id, job: name, kind: "job.kill-sent", detail: "SIGTERM to supervisor \(pid)") }
            afterCommit.append { _ = kill(pid, SIGTERM) }
        }
    }

    // MARK: - File waits

    func checkFile(_ run: ActiveRun, _ job: Job, _ wait: Job.FileWait, now: Double) {
        guard var s = run.jobs[job.name], now >= s.nextFileCheck else { return }
        s.nextFileCheck = now + wait.interval
        let path = resolve(expand(wait.path, environment(run, job)), base: workdir(run, job))
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value
        let (watch, verdict) = JobMachine.fileSeen(JobMachine.FileWatch(size: s.fileSize, stableSince: s.fileStableSince), size: size,
                                                   at: now, stable: wait.stable, timeout: job.timeout, startedAt: s.startedAt)
        s.fileSize = watch.size
        s.fileStableSince = watch.stableSince
        run.jobs[job.name] = s
        switch verdict {
        case .waiting: break
        case .arrived(let bytes):
            finishFileWait(run, job.name, state: .normal, message: "\(site.relative(path)) arrived (\(bytes) bytes)")
        case .timedOut:
            finishFileWait(run, job.name, state: .abnormal,
                           message: "\(site.relative(path)) did not arrive and settle within \(JobDuration.format(job.timeout ?? 0))")
        }
    }

    func finishFileWait(_ run: ActiveRun, _ name: String, state: JobState, message: String) {
        guard let job = run.jobByName[name], let s = run.jobs[name] else { return }
        let (next, effects) = JobMachine.ended(s.machineState, job: job, state: state, message: message, at: clock.now())
        perform(effects, next, run: run, job: name)
    }

    // MARK: - Writing

    func setJob(_ run: ActiveRun, _ name: String, _ state: JobState, exitCode: Int? = nil, message: String? = nil,
                nextAt: Double? = nil, endedAt: Double? = nil, event: String, detail: String?) {
        writes.append { db in
            try db.run("""
                UPDATE jobs SET state = ?, exit_code = COALESCE(?, exit_code), message = ?, next_at = ?,
                    ended_at = COALESCE(?, ended_at) WHERE run_id = ? AND name = ?
                """, [state.rawValue, exitCode, message, nextAt, endedAt, run.id, name])
            try Store.event(db, runID: run.id, job: name, kind: event, detail: detail)
        }
    }

    /// Commits every queued change in one transaction.
    func flush() throws {
        guard !writes.isEmpty else { return }
        let batch = writes
        let effects = afterCommit
        writes = []
        afterCommit = []
        uncommittedAlerts = []
        try store.db.write { db in
            for w in batch { try w(db) }
        }
        // Committed: now, and only now, what it justifies.
        alertsToSend += uncommittedAlerts
        uncommittedAlerts = []
        for effect in effects { effect() }
    }

    /// Gives up ownership of every run (they stay as they are; another engine may adopt them).
    public func releaseAll() throws {
        try flush()
        let ids = Array(runs.keys)
        try store.db.write { db in
            for id in ids { try db.run("UPDATE runs SET owner = NULL WHERE id = ? AND owner = ?", [id, identity]) }
        }
        runs = [:]
    }

    /// Runs one run to its end in the foreground.
    public func runToEnd(_ id: Int64) throws -> RunState {
        var idle = 0.0005
        while runs[id] != nil {
            // After a step that changed something, go again at once: more is usually due.
            if try step() { idle = 0.0005; continue }
            idle = min(idle * 2, 0.05)
            launcher.waitForActivity(idle)
        }
        return try store.run(id)?.state ?? .abnormal
    }
}
