import Accounts
import ArgumentParser
import Foundation
import Operations

/// `nightjar token create`: API tokens for scripts.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "API tokens for scripts (sent as `Authorization: Bearer TOKEN`).",
        subcommands: [Create.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API token acting as an account; it is printed once and kept only as a hash.")
        @OptionGroup var site: SiteOptions
        @Option(help: "The account the token acts as.") var user: String
        @Option(help: "How long it is valid: 90d, 12h, 30m, or never.") var expires = "90d"

        func run() throws {
            guard let lifetime = Self.lifetime(expires) else {
                throw Failure.badInput("error: --expires \(expires): write a number with d, h or m (90d, 12h, 30m), or never")
            }
            let token: String
            do { token = try Accounts(store: try site.openStore()).createToken(user: user, lifetime: lifetime, by: Actor.cli.name) }
            catch { throw accountFailure(error) }
            print(token)
            FileHandle.standardError.write(Data("token for \(user) created; it is shown only this once\n".utf8))
        }

        /// Seconds for `90d`, `12h`, `30m`; `.some(nil)` for `never`; nil when unreadable.
        static func lifetime(_ text: String) -> Double?? {
            if text == "never" { return .some(nil) }
            guard let unit = text.last, let n = Int(text.dropLast()), n > 0, n <= 36_500 * 24 * 60 else { return nil }
            switch unit {
            case "d": return Double(n) * 86_400
            case "h": return Double(n) * 3600
            case "m": return Double(n) * 60
            default: return nil
            }
        }
    }
}
