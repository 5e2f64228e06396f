import CCups
import Foundation
import Spool

/// IPP job options given as `-o name=value` (several per argument, as `lp` takes them), parsed with
/// libcups's cupsParseOptions and checked for what CUPS would silently get wrong.
public struct PrintOptions: Sendable {
    public var pairs: [(name: String, value: String)] = []
    public var arguments: [String]

    public static let none = try! PrintOptions(arguments: [])

    public init(arguments: [String]) throws {
        self.arguments = arguments
        for arg in arguments {
            var opts: UnsafeMutablePointer<cups_option_t>? = nil
            let n = cupsParseOptions(arg, 0, &opts)
            defer { cupsFreeOptions(n, opts) }
            guard n > 0, let opts, arg.contains("=") else {
                throw SpoolError.badInput("-o \(arg): give IPP options as name=value (for example -o media=jpn_hagaki_100x148mm)")
            }
            for i in 0..<Int(n) {
                let name = String(cString: opts[i].name), value = opts[i].value.map { String(cString: $0) } ?? ""
                try Self.check(name, value, arg)
                pairs.removeAll { $0.name == name }
                pairs.append((name, value))
            }
        }
    }

    static func check(_ name: String, _ value: String, _ arg: String) throws {
        let nameOK = name.range(of: "^[a-z0-9][a-z0-9._-]*$", options: .regularExpression) != nil
        guard nameOK, !value.isEmpty else {
            throw SpoolError.badInput("-o \(arg): '\(name)=\(value)' is not an IPP option name=value (lower-case name, non-empty value)")
        }
        switch name {
        case "finishings":
            // CUPS encodes a keyword (finishings=staple) as 0 without a word: only the numeric enums work.
            guard value.split(separator: ",").allSatisfy({ Int($0).map { (3...101).contains($0) } ?? false }) else {
                throw SpoolError.badInput("-o \(arg): finishings must be IPP enum numbers, e.g. 3 (none), 4 (staple), 5 (punch), 20 (staple-top-left); several as 4,5")
            }
        case "copies":
            guard let c = Int(value), (1...9999).contains(c) else { throw SpoolError.badInput("-o \(arg): copies must be a whole number from 1 to 9999") }
        case "sides":
            guard ["one-sided", "two-sided-long-edge", "two-sided-short-edge"].contains(value) else {
                throw SpoolError.badInput("-o \(arg): sides is one-sided, two-sided-long-edge or two-sided-short-edge")
            }
        default: break
        }
    }
}
