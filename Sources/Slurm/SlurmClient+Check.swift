import Foundation

extension SlurmClient {
    /// One finding of `nightjar executors check`.
    public struct Finding: Sendable {
        public var ok: Bool
        public var text: String
    }

    /// Checks what the daemon's host needs to run an executor's jobs: the client commands, the
    /// controller (and munge) answering, the executor's partition/account/qos accepted (`sbatch
    /// --test-only`), Slurm's completion record readable here, and — with `probeDirectory` — one real job
    /// whose output must come back through the file system the nodes share with this host.
    public func check(partition: String?, account: String?, qos: String?, extra: [String], jobcomp: String?,
                      probeDirectory: String?, wait: Double = 60) -> [Finding] {
        var out: [Finding] = []
        for tool in ["sbatch", "squeue", "scancel", "scontrol"] {
            if paths[tool] == nil { out.append(Finding(ok: false, text: "\(tool) is not on PATH (install slurm-client)")) }
        }
        guard out.isEmpty else { return out }
        let config: [String: String]
        do {
            config = try configuration()
            out.append(Finding(ok: true, text: "slurmctld answers (cluster \(config["ClusterName"] ?? "?"), controller \(config["SlurmctldHost[0]"] ?? config["SlurmctldHost"] ?? "?"))"))
        } catch {
            out.append(Finding(ok: false, text: "slurmctld does not answer: \(error) (is SLURM_CONF right, munged running with the cluster's key?)"))
            return out
        }
        var probe = Submission(name: "nightjar-check", argv: ["/bin/true"], environment: environment, workdir: probeDirectory ?? "/tmp",
                               stdoutPath: "/dev/null", stderrPath: "/dev/null", partition: partition, account: account, qos: qos, extra: extra)
        do {
            let r = try run([try tool("sbatch"), "--test-only"] + probe.arguments.filter { $0 != "--parsable" }, environment: environment,
                            stdin: BatchScript.exec(probe.argv))
            if r.succeeded {
                out.append(Finding(ok: true, text: "sbatch --test-only accepts the executor's partition, account, qos and extra options"))
            } else {
                out.append(Finding(ok: false, text: "sbatch --test-only refuses the executor's options: \(Self.message(r.stderr) ?? "status \(r.status)")"))
            }
        } catch {
            out.append(Finding(ok: false, text: "sbatch --test-only could not run: \(error)"))
        }
        let age = config["MinJobAge"] ?? "?"
        let file = jobcomp ?? (config["JobCompType"] == "jobcomp/filetxt" ? config["JobCompLoc"] : nil)
        if let file, JobCompletionFile(path: file).isReadable {
            out.append(Finding(ok: true, text: "completion records readable here: \(file)"))
        } else {
            out.append(Finding(ok: false, text: "no job-completion file readable here (JobCompType=jobcomp/filetxt, or 'jobcomp:' in the executor): after a restart, an attempt whose submission is not in the queue can be proven never submitted only within MinJobAge (\(age)); older ones are recorded lost"))
        }
        guard let dir = probeDirectory else { return out }
        // A real job writes a file in the site root from its node: the shared file system and the job's user, end to end.
        let token = "nightjar-check-\(UUID().uuidString.prefix(8))"
        let file2 = "\(dir)/.\(token)"
        probe.name = token
        probe.argv = ["/bin/sh", "-c", "hostname > \"$1\"", "sh", file2]
        probe.stdoutPath = "/dev/null"
        probe.stderrPath = "/dev/null"
        probe.timeLimit = 60
        do {
            let id = try submit(probe)
            let end = Date().addingTimeInterval(wait)
            var job: SlurmJob?
            while Date() < end {
                job = try jobs().first { $0.id == id }
                if job?.isTerminal == true { break }
                usleep(200_000)
            }
            defer { try? FileManager.default.removeItem(atPath: file2) }
            guard let job, job.isTerminal else {
                try? cancel(id)
                out.append(Finding(ok: false, text: "test job \(id) did not end within \(Int(wait)) s (\(job?.state ?? "unknown")\(job?.reason.map { ": \($0)" } ?? "")); cancelled"))
                return out
            }
            if job.state == "COMPLETED", let host = try? String(contentsOfFile: file2, encoding: .utf8) {
                out.append(Finding(ok: true, text: "test job \(id) ran on \(job.node ?? "?") (host \(host.trimmingCharacters(in: .whitespacesAndNewlines))) and its file is visible here: the site root is shared"))
            } else if job.state == "COMPLETED" {
                out.append(Finding(ok: false, text: "test job \(id) ran on \(job.node ?? "?") but its file is not visible here: the site root (\(dir)) is not shared with the nodes at the same path"))
            } else {
                out.append(Finding(ok: false, text: "test job \(id) ended \(job.state) on \(job.node ?? "?"): is \(dir) on the nodes, and writable by this user?"))
            }
        } catch {
            out.append(Finding(ok: false, text: "the test job could not be submitted: \(error)"))
        }
        return out
    }
}
