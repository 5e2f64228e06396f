import Foundation
import LiveHTTP

extension LiveServer {
    /// `nightjar serve` on the CLI test site's state directory.
    convenience init(_ cli: CLI, arguments: [String] = [], environment: [String: String] = [:]) throws {
        let env = (cli.process([]).environment ?? [:]).merging(environment) { $1 }
        try self.init(binary: CLI.binary, arguments: arguments, environment: env, directory: cli.root)
    }
}

extension CLI {
    /// `nightjar ARGS` with `input` on its standard input.
    func run(_ args: [String], input: String) throws -> (status: Int32, out: String, err: String) {
        let p = process(args)
        let inPipe = Pipe(), out = Pipe(), err = Pipe()
        p.standardInput = inPipe
        p.standardOutput = out
        p.standardError = err
        try p.run()
        inPipe.fileHandleForWriting.write(Data(input.utf8))
        try inPipe.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
}

extension CLI {
    /// Runs a program to its end with posix_spawn and waitpid, output discarded: Foundation's Process
    /// may never see the end of a child that leaves a daemon behind (scripts/private-cupsd does).
    static func tool(_ args: [String]) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in [0, 1, 2] { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
        let argv = args.map { strdup($0) } + [nil]
        let envp = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, args[0], &actions, nil, argv, envp)
        guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}
