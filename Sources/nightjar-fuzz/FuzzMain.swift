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

#if NIGHTJAR_LIBFUZZER
/// libFuzzer's own main is linked in as well (SwiftPM then points main at ours); whichever runs,
/// the target comes from the environment.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    if selected == nil { selected = targetFromEnvironment() }
    return runOne(data, size)
}

func targetFromEnvironment() -> FuzzTargets.Target {
    let names = FuzzTargets.all.map(\.name).joined(separator: ", ")
    guard let name = ProcessInfo.processInfo.environment["NIGHTJAR_FUZZ_TARGET"], let target = FuzzTargets.target(named: name) else {
        printError("set NIGHTJAR_FUZZ_TARGET to one of: \(names)")
        exit(2)
    }
    return target
}
#endif

@main struct NightjarFuzz {
    static func main() {
#if NIGHTJAR_LIBFUZZER
        selected = targetFromEnvironment()
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { runOne($0, $1) })
#else
        // Without libFuzzer: replay files (reproducers, a corpus) through a target.
        let env = ProcessInfo.processInfo.environment
        let names = FuzzTargets.all.map(\.name).joined(separator: ", ")
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
