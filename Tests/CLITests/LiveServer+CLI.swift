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
