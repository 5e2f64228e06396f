import Executors
import Forms
import Foundation
import JobNets
import OperatorFiles
import Records
import Render
import Slurm
import Spool
import Store

/// `render --shards N --executor hpc`: the render as a Slurm job array. Each task runs this same
/// command in shard mode (`--shard-of N --into STAGING`): it reads the whole input, cuts the same
/// volumes as a one-machine render and renders those whose index mod N is its own into the staging
/// directory. A failed task is submitted again alone; once every shard's result is in, the merge here
/// writes manifests, rejects and SHA256SUMS and renames the output into place, and the batch is
/// recorded — the files are byte for byte those of a one-machine render.
extension RenderCommand {
    func checkShardOptions() throws {
        if let shards {
            guard shards >= 1 else { throw Failure.badInput("--shards must be at least 1") }
            guard executor != nil else { throw Failure.badInput("--shards needs --executor NAME, a slurm executor of nightjar.yaml") }
            guard shardTries >= 1 else { throw Failure.badInput("--shard-tries must be at least 1") }
            if let m = shardMemory, MemorySize.megabytes(m) == nil { throw Failure.badInput("--shard-memory \(m): write a size such as 512M or 2G") }
            if shardOf != nil { throw Failure.badInput("--shards and --shard-of do not go together") }
        } else if executor != nil {
            throw Failure.badInput("--executor is for sharded renders: give --shards N too")
        }
        if let shardOf {
            guard shardOf >= 1, into != nil else { throw Failure.badInput("--shard-of N needs N ≥ 1 and --into DIR (it is run by a sharded render)") }
        }
    }

    func makeRenderer(_ form: Form) throws -> Renderer {
        var options = Renderer.Options()
        options.volumePages = volumePages
        if let jobs { options.jobs = max(1, jobs) }
        options.maxRejects = maxRejects
        do { return try Renderer(form: form, options: options) } catch { throw Failure.badInput("\(error)") }
    }

    /// Shard mode, on a node: this shard's volumes and its result into the staging directory.
    func renderShard(_ renderer: Renderer, form: Form, source: RecordReader, inputSHA256: String, count: Int) throws {
        guard let into else { return }
        let env = ProcessInfo.processInfo.environment["SLURM_ARRAY_TASK_ID"]
        guard let index = shardIndex ?? env.flatMap({ Int($0) }), index >= 0, index < count else {
            throw Failure.badInput("--shard-of \(count): no shard index (--shard-index, or SLURM_ARRAY_TASK_ID in a Slurm array) below \(count)")
        }
        let started = Date()
        do {
            try renderer.renderShard(source: source, inputName: data, inputSHA256: inputSHA256, shard: index, count: count,
                                     staging: Renderer.ShardStaging(root: into))
        } catch { throw renderFailure(error, form: form) }
        let node = ProcessInfo.processInfo.environment["SLURMD_NODENAME"] ?? ProcessInfo.processInfo.hostName
        print("shard \(index) of \(count) rendered on \(node) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }

    /// The coordinator: submit, watch, retry, merge, commit, record.
    func renderSharded(form: Form, renderer: Renderer) throws {
        guard let shards, let executorName = executor else { return }
        let config = try site.siteConfig()
        guard let executor = config.executors[executorName] else {
            throw Failure.badInput("--executor \(executorName): no such executor in nightjar.yaml; executors: \(config.executors.keys.sorted().joined(separator: ", "))")
        }
        guard executor.kind == .slurm else { throw Failure.badInput("--executor \(executorName) is a local executor; sharded renders run on a slurm one") }
        if !replace, !Renderer.outputIsFree(out) { throw Failure.badInput("\(out) already exists and is not empty; choose a new --out directory") }
        let cwd = FileManager.default.currentDirectoryPath
        let absoluteOut = out.hasPrefix("/") ? out : cwd + "/" + out
        let started = Date()
        let inputSHA = try Renderer.sha256(file: data)
        let staging = Renderer.ShardStaging(outDir: absoluteOut)
        do { try staging.create() } catch { throw Failure.failed("render failed: cannot create \(staging.root): \(error)") }
        // Nothing of a failed or stopped render stays: the staging directory is hidden and goes with it.
        var committed = false
        defer { if !committed { staging.remove() } }

        let name = "nj-render-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let submission = SlurmClient.Submission(
            name: name, argv: shardArgv(count: shards, staging: staging), environment: ProcessInfo.processInfo.environment,
            workdir: cwd, stdoutPath: staging.logs + "/shard-%a.%A.out", stderrPath: staging.logs + "/shard-%a.%A.err",
            cpus: jobs, memoryMB: shardMemory.flatMap(MemorySize.megabytes), partition: executor.partition,
            account: executor.account, qos: executor.qos, extra: executor.extra)
        let client = SlurmClient()
        let completion = executor.jobcomp.map(JobCompletionFile.init)
            ?? (try? client.configuration())?["JobCompLoc"].flatMap { $0.hasPrefix("/") ? JobCompletionFile(path: $0) : nil }
        let array = SlurmArrayRun(client: client, submission: submission, count: shards, tries: shardTries,
                                  poll: min(executor.poll, 1), completion: completion)
        // A kill of the render (a job's kill or timeout sends SIGTERM) cancels its shards in Slurm.
        let stops = [SIGTERM, SIGINT, SIGHUP].map { sig -> DispatchSourceSignal in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { array.stop() }
            source.resume()
            return source
        }
        let tasks: [SlurmArrayRun.Task]
        do {
            defer {
                // The merge is this process's own work: a signal ends it as it would a one-machine render.
                stops.forEach { $0.cancel() }
                for sig in [SIGTERM, SIGINT, SIGHUP] { signal(sig, SIG_DFL) }
            }
            tasks = try array.run(accept: { FileManager.default.fileExists(atPath: staging.part($0)) },
                                  event: { FileHandle.standardError.write(Data("render: shards: \($0)\n".utf8)) })
        } catch let failed as SlurmArrayRun.Failed {
            let t = failed.task
            let said = Self.lastLine(ofFile: "\(staging.logs)/shard-\(t.index).\(t.arrays.last ?? "").err").map { ": \($0)" } ?? ""
            throw Failure.failed("render failed: shard \(t.index) of \(shards) failed \(t.tries) time\(t.tries == 1 ? "" : "s"); "
                                 + "the last try on \(t.node ?? "no node") as Slurm job \(t.slurmID): \(t.failure ?? "?")\(said); no batch was made")
        } catch is SlurmArrayRun.Stopped {
            throw Failure.failed("render stopped by a signal: its shards were cancelled in Slurm and nothing was written")
        } catch {
            throw Failure.failed("render failed: \(error); no batch was made")
        }
        let summary: Renderer.Summary
        do {
            summary = try renderer.mergeShards(count: shards, staging: staging, inputName: data, inputSHA256: inputSHA, outDir: out)
        } catch { throw renderFailure(error, form: form) }
        committed = true
        staging.remove()
        let seconds = Date().timeIntervalSince(started)
        let batch = try Spool(store: try site.openStore()).recordRender(Spool.RenderedBatch(
            form: form.name, input: data, inputSHA256: inputSHA, directory: out, records: summary.records, notices: summary.notices,
            rejected: summary.rejected, pages: summary.pages, volumes: summary.volumes.count, user: ProcessIdentity.user))
        let nodes = Set(tasks.compactMap(\.node)).sorted()
        let retried = tasks.filter { $0.tries > 1 }.count
        let placement = "\(shards) shard\(shards == 1 ? "" : "s") on \(nodes.joined(separator: ", ")) (Slurm array job \(tasks.first?.arrays.first ?? "?")"
            + (retried > 0 ? "; \(retried) submitted again" : "") + ")"
        if json {
            FileHandle.standardError.write(Data("render: \(placement)\n".utf8))
            Output.json(summary)
            return
        }
        print("batch \(batch): \(summary.records) records = \(summary.rendered) rendered + \(summary.rejected) rejected; \(summary.notices) notices")
        print("\(summary.pages) pages in \(summary.volumes.count) volume\(summary.volumes.count == 1 ? "" : "s") in \(out) (\(String(format: "%.1f", seconds)) s, \(Int(Double(summary.pages) / max(seconds, 0.001))) pages/s)")
        print(placement)
        if summary.rejected > 0 { print("rejected records and why: \(out)/rejects.csv") }
    }

    /// The command each array task runs: this render's own options, in shard mode. `--data`, `--out`
    /// and `--form` go as given (the task runs in this directory), so the manifest names the input
    /// exactly as a one-machine render does.
    func shardArgv(count: Int, staging: Renderer.ShardStaging) -> [String] {
        let binary = nodeBinary ?? (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var a = [binary, "render", "--form", form, "--data", data, "--out", out, "--volume-pages", String(volumePages)]
        if let root = site.root { a += ["--root", root] }
        if let jobs { a += ["--jobs", String(jobs)] }
        if let encoding { a += ["--encoding", encoding] }
        if let format { a += ["--format", format] }
        if tsv { a.append("--tsv") }
        if !sort.isEmpty { a += ["--sort"] + sort }
        return a + ["--shard-of", String(count), "--into", staging.root]
    }

    /// A render error as the one-machine render reports it: refusals exit 2, failures exit 1.
    func renderFailure(_ error: Error, form: Form) -> Error {
        switch error {
        case let e as Renderer.RenderError:
            switch e {
            case .outputExists: return Failure.badInput("\(e)")
            case .tooManyRejects, .nothingRendered: return Failure.failed("render failed: \(e)" + encodingHint(form: form))
            case .io: return Failure.failed("render failed: \(e)")
            }
        case let e as RecordError where e.kind == .io: return Failure.failed("render failed: \(e)")
        case let e as RecordError: return Failure.badInput("\(e)")
        case let e as NoticeGrouper.GroupError: return Failure.badInput("\(e)")
        case let v as ValidationFailure: return Failure.badInput(v.description)
        case let f as Failure: return f
        default: return Failure.failed("render failed: \(error)")
        }
    }

    static func lastLine(ofFile path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return text.split(separator: "\n").last.map { String($0.prefix(300)) }
    }
}
