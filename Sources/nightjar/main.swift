import ArgumentParser
import Foundation
import OperatorFiles

// Whatever Nightjar creates (database, logs, control files, spool) is for owner and group only.
umask(0o027)

// Exit codes are part of the contract: 0 success, 1 a job or render failed, 2 bad input or usage.
do {
    var command = try Nightjar.parseAsRoot()
    try command.run()
} catch {
    let code = Nightjar.exitCode(for: error)
    if code == .success {
        Nightjar.exit(withError: error)   // --help, --version
    }
    // A file the machine could not read or write (disk full, read-only, permissions) is a failure of
    // the run, not bad input: exit 1 with the file and the system's reason, not Foundation's dump.
    if let io = IOFailure(error) {
        FileHandle.standardError.write(Data((io.message + "\n").utf8))
        exit(1)
    }
    if let failure = error as? Failure {
        // Messages echo names and paths the operator typed or wrote: never let them reach the terminal raw.
        FileHandle.standardError.write(Data((failure.message.escapingControlsPerLine + "\n").utf8))
        exit(failure.code)
    }
    if code.rawValue == 64 || code.rawValue == 1 && !(error is ExitCode) {
        FileHandle.standardError.write(Data((Nightjar.fullMessage(for: error).escapingControlsPerLine + "\n").utf8))
        exit(2)
    }
    Nightjar.exit(withError: error)
}
