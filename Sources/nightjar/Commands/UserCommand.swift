import Accounts
import ArgumentParser
import Foundation
import Operations

/// Account errors are the admin's input: exit 2 with the sentence.
func accountFailure(_ error: Error) -> Error {
    if let e = error as? AccountError { return Failure.badInput("error: \(e)") }
    return operatorError(error)
}

/// `nightjar user …`: web accounts.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Web accounts: add, list, disable, change a password.",
        discussion: """
            Roles: admin (accounts and everything), operator (run, hold, release, skip, kill, rerun, publish, ack, purge),
            viewer (read only), vendor:NAME (a print vendor's staff: only the batches published to vendor NAME).
            Passwords are kept as bcrypt hashes (cost 12). Every change is in the audit trail.
            """,
        subcommands: [Add.self, List.self, Disable.self, Passwd.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an account; asks for its password twice (or reads it from stdin).")
        @OptionGroup var site: SiteOptions
        @Argument(help: "The account name.") var name: String
        @Option(help: "admin, operator, viewer or vendor:NAME.") var role: String
        @Flag(help: "Read the password from the first line of stdin instead of the terminal.") var passwordStdin = false

        func run() throws {
            guard let parsed = Role(role) else { throw Failure.badInput("error: --role \(role): the roles are \(Role.usage)") }
            let vendors = parsed.vendor == nil ? [] : Set(try site.siteConfig().vendorOutboxes.keys)
            guard AccountName.isValid(name) else { throw Failure.badInput("error: account \(name.debugDescription): \(AccountName.rule)") }
            if let vendor = parsed.vendor, !vendors.contains(vendor) {
                throw Failure.badInput("error: no vendor \(vendor) in nightjar.yaml (spool: vendors:)"
                    + (vendors.isEmpty ? "" : "; vendors: \(vendors.sorted().joined(separator: ", "))"))
            }
            let password = try PasswordPrompt.read(fromStdin: passwordStdin)
            do {
                try Accounts(store: try site.openStore()).add(name: name, role: parsed, password: password, vendors: vendors, by: Actor.cli.name)
            } catch { throw accountFailure(error) }
            print("account \(name) added (\(parsed))")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the accounts.")
        @OptionGroup var site: SiteOptions
        @Flag(help: "Print JSON.") var json = false

        struct View: Encodable {
            var name: String, role: String, disabled: Bool, created_at: String?
        }

        func run() throws {
            let zone = site.zone
            let rows = try Accounts(store: try site.openStore()).list()
            if json {
                Output.json(rows.map { View(name: $0.name, role: $0.role.description, disabled: $0.disabled, created_at: Output.iso($0.createdAt, zone)) })
                return
            }
            Output.table(["NAME", "ROLE", "STATE", Output.header("CREATED", zone)], rows.map {
                [$0.name, $0.role.description, $0.disabled ? "disabled" : "enabled", Output.time($0.createdAt, zone)]
            })
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account: no more logins, its sessions end, its tokens stop working.")
        @OptionGroup var site: SiteOptions
        @Argument(help: "The account name.") var name: String

        func run() throws {
            do { try Accounts(store: try site.openStore()).disable(name, by: Actor.cli.name) } catch { throw accountFailure(error) }
            print("account \(name) disabled; its sessions ended and its tokens no longer work")
        }
    }

    struct Passwd: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set an account's password; its sessions end.")
        @OptionGroup var site: SiteOptions
        @Argument(help: "The account name.") var name: String
        @Flag(help: "Read the password from the first line of stdin instead of the terminal.") var passwordStdin = false

        func run() throws {
            let accounts = Accounts(store: try site.openStore())
            guard try accounts.account(name) != nil else { throw accountFailure(AccountError.unknownUser(name)) }
            let password = try PasswordPrompt.read(fromStdin: passwordStdin)
            do { try accounts.setPassword(name, password: password, by: Actor.cli.name) } catch { throw accountFailure(error) }
            print("password of \(name) changed; its sessions ended")
        }
    }
}
