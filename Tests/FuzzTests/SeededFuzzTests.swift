import Foundation
import FuzzTargets
import Testing

/// A short, deterministic fuzzing pass for `swift test`: each target gets its seed corpus and a few
/// thousand SplitMix64 mutations of it. Every input must return (a trap fails the whole run) with
/// the contract kept: a value, or a documented error carrying its file and line. `make fuzz` runs
/// libFuzzer over the same targets for longer.
@Suite struct SeededFuzzTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("corpus")
    static let inputsPerTarget = 3000

    static func seeds(_ target: String) throws -> [[UInt8]] {
        let dir = corpus.appendingPathComponent(target)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        return try names.map { Array(try Data(contentsOf: dir.appendingPathComponent($0))) }
    }

    @Test(arguments: FuzzTargets.all.map(\.name))
    func mutationsOfTheSeedsKeepTheContract(_ name: String) throws {
        let target = try #require(FuzzTargets.target(named: name))
        let seeds = try Self.seeds(name)
        #expect(!seeds.isEmpty, "no seeds in Tests/FuzzTests/corpus/\(name)")
        for seed in seeds {
            let problems = target.run(Data(seed))
            #expect(problems.isEmpty, "seed: \(problems)")
        }
        // The seed of the generator is fixed: the same inputs on every run and machine.
        var mutator = Mutator(seed: 0x4E49_4748_544A_4152, seeds: seeds)
        mutator.maxLength = 16 * 1024
        var failures = 0
        // To find the input behind a trap: NIGHTJAR_FUZZ_TRACE=DIR keeps the last input per target there.
        let trace = ProcessInfo.processInfo.environment["NIGHTJAR_FUZZ_TRACE"].map { "\($0)/\(name)" }
        for i in 0..<Self.inputsPerTarget {
            let input = mutator.next()
            if let trace { FileManager.default.createFile(atPath: trace, contents: Data(input)) }
            let problems = target.run(Data(input))
            if !problems.isEmpty && failures < 3 {
                failures += 1
                Issue.record("\(name) input \(i) (\(input.count) bytes, base64 \(Data(input.prefix(512)).base64EncodedString())): \(problems)")
            }
        }
    }
}
