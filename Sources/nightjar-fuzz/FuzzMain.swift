import FuzzTargets
import Foundation
#if NIGHTJAR_LIBFUZZER
import CLibFuzzer
#endif

/// libFuzzer entry point: NIGHTJAR_FUZZ_TARGET names the target (see `FuzzTargets.all`).
/// A violation of a target's contract aborts, so libFuzzer saves the input as a crash.
nonisolated(unsafe) var selected: FuzzTargets.Target?

func printError(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }

func runOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Data(bytes: $0, count: size) } ?? Data()
    let problems = selected!.run(bytes)
    if !problems.isEmpty {
        printError("contract violated:\n" + problems.joined(separator: "\n"))
        abort()
    }
    return 0
}

@main struct NightjarFuzz {
    static func main() {
        let env = ProcessInfo.processInfo.environment
        let names = FuzzTargets.all.map(\.name).joined(separator: ", ")
#if NIGHTJAR_LIBFUZZER
        guard let name = env["NIGHTJAR_FUZZ_TARGET"], let target = FuzzTargets.target(named: name) else {
            printError("set NIGHTJAR_FUZZ_TARGET to one of: \(names)")
            exit(2)
        }
        selected = target
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { runOne($0, $1) })
#else
        // Without libFuzzer: replay files (reproducers, a corpus) through a target.
        var args = Array(CommandLine.arguments.dropFirst())
        let name = env["NIGHTJAR_FUZZ_TARGET"] ?? (args.isEmpty ? "" : args.removeFirst())
        guard let target = FuzzTargets.target(named: name), !args.isEmpty else {
            printError("usage: nightjar-fuzz TARGET FILE|DIR… (targets: \(names)); built with -DNIGHTJAR_LIBFUZZER it is a libFuzzer binary")
            exit(2)
        }
        selected = target
        var files: [String] = []
        for a in args {
            if let items = try? FileManager.default.contentsOfDirectory(atPath: a) {
                files += items.sorted().map { a + "/" + $0 }
            } else {
                files.append(a)
            }
        }
        for f in files {
            guard let data = FileManager.default.contents(atPath: f) else { continue }
            _ = data.withUnsafeBytes { runOne($0.bindMemory(to: UInt8.self).baseAddress, data.count) }
        }
        print("\(target.name): \(files.count) inputs, no crash")
#endif
    }
}
