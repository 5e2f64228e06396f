import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a new password: from the terminal twice with echo off, or one line of stdin (`--password-stdin`).
enum PasswordPrompt {
    static func read(fromStdin: Bool) throws -> String {
        if fromStdin {
            guard let line = Swift.readLine(strippingNewline: true) else { throw Failure.badInput("--password-stdin: stdin is empty") }
            return line
        }
        guard isatty(STDIN_FILENO) == 1 else {
            throw Failure.badInput("stdin is not a terminal: give the password on stdin with --password-stdin")
        }
        let first = try silently("New password: ")
        let second = try silently("Repeat it: ")
        guard first == second else { throw Failure.badInput("the two passwords differ; nothing was changed") }
        return first
    }

    /// One line from the terminal with echo off (restored even when reading fails).
    static func silently(_ prompt: String) throws -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        guard tcgetattr(STDIN_FILENO, &saved) == 0 else { throw Failure.badInput("cannot read the terminal's settings") }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        defer {
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = Swift.readLine(strippingNewline: true) else { throw Failure.badInput("no password given") }
        return line
    }
}
