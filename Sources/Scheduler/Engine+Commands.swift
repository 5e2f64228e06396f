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
            let at = clock.now()
            writes.append { db in
                try db.execute(sql: "UPDATE commands SET done_at = ?, result = ? WHERE id = ?",
                               arguments: [at, result, c.id])
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
                let (next, effects, answer) = RunMachine.kill(run.machine, running: run.running.sorted())
                performRun((next, effects), run)
                // A run killed while waiting ends here, also when the verb applies it to a run nobody executes.
                if run.state == .waiting { settle(run, now: clock.now()) }
                return answer
            default:
                return "error: \(c.action) needs a job"
            }
        }
        guard let s = run.jobs[name] else { return "error: \(run.net.name) has no job \(name)" }
        guard let command = JobMachine.Command(rawValue: c.action) else { return "error: unknown action \(c.action)" }
        let (next, effects, answer) = JobMachine.command(command, s.machineState, job: name, at: clock.now())
        perform(effects, next, run: run, job: name)
        return answer.text
    }
}
