// nightjar-supervise: runs one job attempt and records how it ended (Supervise.swift), or, with
// `--serve`, stays up for the scheduler and forks a supervisor per attempt (ForkServer.swift).
//
// usage: nightjar-supervise CONTROL_DIR ATTEMPT_ID TIMEOUT_S GRACE_S STDOUT STDERR WORKDIR -- ARGV...
//        nightjar-supervise --serve CONTROL_DIR     (requests on fd 3; started by the scheduler)

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let args = CommandLine.arguments
if args.count == 3 && args[1] == "--serve" {
    serve(socket: 3)
}
guard let attempt = Attempt(args.dropFirst()) else {
    complain(Attempt.usage)
    exit(2)
}
supervise(attempt, environment: environ)
