import Foundation
import GRDB
import JobNets
import Store

/// Operator commands (hold, release, skip, kill) reach the engine that owns a run through the
/// `commands` table; the engine applies them within a step and writes the result back.
extension Engine {
    struct PendingCommand {
        var id: Int64
        var runID: Int64
        var job: String?
        var action: String
    }

    func applyCommands() throws {
        guard !runs.isEmpty else { return }
        let ids = runs.keys.map { String($0) }.joined(separator: ",")
        let pending = try store.db.read { db in
            try Row.fetchAll(db, sql: "SELECT id, run_id, job, action FROM commands WHERE done_at IS NULL AND run_id IN (\(ids)) ORDER BY id")
                .map { PendingCommand(id: $0["id"], runID: $0["run_id"], job: $0["job"], action: $0["action"]) }
        }
        for c in pending {
            let result = apply(c)
            writes.append { db in
                try db.execute(sql: "UPDATE commands SET done_at = ?, result = ? WHERE id = ?",
                               arguments: [Date().timeIntervalSince1970, result, c.id])
                try db.execute(sql: "UPDATE audit SET result = ? WHERE id = (SELECT MAX(id) FROM audit WHERE run_id = ? AND action = ? AND result IS NULL)",
                               arguments: [result, c.runID, c.action])
            }
        }
    }

    /// Applies one command to a run this engine owns; returns what happened, in a sentence.
    func apply(_ c: PendingCommand) -> String {
        guard let run = runs[c.runID] else { return "error: run \(c.runID) is not active" }
        guard let name = c.job else {
            switch c.action {
            case "kill":
                if run.state == .waiting {
                    let what = run.waitingFor ?? "waiting to start"
                    stopRun(run, reason: "cancelled by an operator while \(what)")
                    // Nothing runs: it ends here, also when the verb applies it to a run nobody executes.
                    do { try endIfDone(run, now: Date().timeIntervalSince1970) } catch { return "error: \(error)" }
                    return "cancelled; it was \(what)"
                }
                stopRun(run, reason: "the net was killed by an operator")
                let running = run.running.sorted()
                killRunning(run)
                return running.isEmpty ? "stopped; no job was running" : "stopped; killing \(running.joined(separator: ", "))"
            default:
                return "error: \(c.action) needs a job"
            }
        }
        guard let s = run.jobs[name] else { return "error: \(run.net.name) has no job \(name)" }
        switch c.action {
        case "hold":
            guard s.state == .waiting || s.state == .retryWait else { return "error: \(name) is \(s.state.rawValue); only a waiting job can be held" }
            guard !s.held else { return "\(name) was already held" }
            run.jobs[name]?.held = true
            writes.append { db in
                try db.execute(sql: "UPDATE jobs SET held = 1 WHERE run_id = ? AND name = ?", arguments: [run.id, name])
                try Store.event(db, runID: run.id, job: name, kind: "job.held", detail: nil)
            }
            return "\(name) held"
        case "release":
            guard s.held else { return "\(name) was not held" }
            run.jobs[name]?.held = false
            writes.append { db in
                try db.execute(sql: "UPDATE jobs SET held = 0 WHERE run_id = ? AND name = ?", arguments: [run.id, name])
                try Store.event(db, runID: run.id, job: name, kind: "job.released", detail: nil)
            }
            return "\(name) released"
        case "skip":
            guard s.state != .running else { return "error: \(name) is running; kill it first, then skip it" }
            guard s.state != .normal && s.state != .skipped else { return "\(name) had already ended normally" }
            run.setState(name, .skipped)
            run.jobs[name]?.held = false
            run.jobs[name]?.nextAt = nil
            writes.append { db in
                try db.execute(sql: "UPDATE jobs SET held = 0, next_at = NULL WHERE run_id = ? AND name = ?", arguments: [run.id, name])
            }
            setJob(run, name, .skipped, message: "marked ended normally by an operator", endedAt: Date().timeIntervalSince1970,
                   event: "job.skipped", detail: nil)
            return "\(name) marked ended normally"
        case "kill":
            guard s.state == .running else { return "error: \(name) is \(s.state.rawValue), not running" }
            killJob(run, name)
            return "\(name): kill sent"
        default:
            return "error: unknown action \(c.action)"
        }
    }
}
